package io.jtgt.rest;

/**
 * What the API answers: an HTTP status and a body of the given content type (JSON, or empty for
 * 204). The servlet copies it onto the response unchanged.
 */
public record Reply(int status, String contentType, String body) {

    public static final String JSON = "application/json; charset=utf-8";

    public static Reply json(int status, String body) {
        return new Reply(status, JSON, body);
    }

    /** 204 No Content: a removal that has nothing to show. */
    public static Reply noContent() {
        return new Reply(204, null, "");
    }
}
