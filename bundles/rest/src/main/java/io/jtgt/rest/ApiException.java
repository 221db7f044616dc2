package io.jtgt.rest;

/**
 * A request the API refuses before (or instead of) calling a service: the HTTP status and the
 * one-line message the client gets as {@code {"error": ...}}.
 */
public final class ApiException extends RuntimeException {

    private static final long serialVersionUID = 1L;

    private final int status;

    public ApiException(int status, String message) {
        super(message);
        this.status = status;
    }

    public int status() {
        return status;
    }

    /** 400: a malformed argument; the message names it, as the shell's do. */
    public static ApiException badRequest(String message) {
        return new ApiException(400, message);
    }

    /** 404: the path names nothing. */
    public static ApiException notFound(String message) {
        return new ApiException(404, message);
    }
}
