package io.jtgt.scsi.config;

/**
 * A configuration value that cannot be used. The message always names the object, the field and
 * the value, e.g. {@code storage 1000: blockShift=7 is out of range (9..12)}.
 *
 * <p>{@link #kind()} tells a caller that maps refusals onto a protocol (the REST API: HTTP 400,
 * 404, 409) what went wrong without reading the message.
 */
public class ConfigException extends IllegalArgumentException {

    private static final long serialVersionUID = 1L;

    /**
     * Why a change was refused.
     *
     * @since 1.1
     */
    public enum Kind {
        /** A value is malformed or out of range. */
        INVALID,
        /** The object the change names (or references) does not exist. */
        NOT_FOUND,
        /** The change collides with what exists: the object exists already, or is in use. */
        CONFLICT
    }

    private final Kind kind;

    public ConfigException(String message) {
        this(Kind.INVALID, message);
    }

    public ConfigException(String message, Throwable cause) {
        super(message, cause);
        this.kind = Kind.INVALID;
    }

    /** @since 1.1 */
    public ConfigException(Kind kind, String message) {
        super(message);
        this.kind = java.util.Objects.requireNonNull(kind, "kind");
    }

    /** @since 1.1 */
    public Kind kind() {
        return kind;
    }

    /** A refusal because the named (or referenced) object does not exist. @since 1.1 */
    public static ConfigException notFound(String message) {
        return new ConfigException(Kind.NOT_FOUND, message);
    }

    /** A refusal because the object exists already or is in use. @since 1.1 */
    public static ConfigException conflict(String message) {
        return new ConfigException(Kind.CONFLICT, message);
    }

    /** {@code <owner>: <field>=<value> <problem>}. */
    static ConfigException field(String owner, String field, Object value, String problem) {
        return new ConfigException(owner + ": " + field + "=" + render(value) + " " + problem);
    }

    /** {@code <owner>: <field> is required}. */
    static ConfigException missing(String owner, String field) {
        return new ConfigException(owner + ": " + field + " is required");
    }

    private static String render(Object value) {
        if (value instanceof String[] array) {
            return String.join(",", array);
        }
        return String.valueOf(value);
    }
}
