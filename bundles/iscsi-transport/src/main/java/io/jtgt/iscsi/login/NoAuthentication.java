package io.jtgt.iscsi.login;

import java.util.List;

/** AuthMethod=None: every initiator is accepted (RFC 7143 12.1). */
public final class NoAuthentication implements Authenticator {

    public static final String NONE = "None";

    @Override
    public List<String> methods(String targetName) {
        return List.of(NONE);
    }

    @Override
    public AuthExchange begin(String method, String initiatorName, String targetName) {
        if (!NONE.equals(method)) {
            throw new IllegalArgumentException("unsupported AuthMethod " + method);
        }
        return (keys, response) -> keys.isEmpty() ? AuthExchange.State.DONE : AuthExchange.State.FAILED;
    }
}
