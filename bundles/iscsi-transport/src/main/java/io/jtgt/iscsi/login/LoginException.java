package io.jtgt.iscsi.login;

/** Ends a login with a failure status (RFC 7143 11.13.5); the message is for the log. */
public final class LoginException extends Exception {

    private static final long serialVersionUID = 1L;

    private final int status;

    public LoginException(int status, String message) {
        super(message);
        this.status = status;
    }

    public int status() {
        return status;
    }
}
