package io.jtgt.iscsi.text;

/** A login or text data segment that is not a valid key=value list (RFC 7143 6.1). */
public final class TextFormatException extends IllegalArgumentException {

    private static final long serialVersionUID = 1L;

    public TextFormatException(String message) {
        super(message);
    }
}
