package io.jtgt.scsi.config;

/**
 * A configuration value that cannot be used. The message always names the object, the field and
 * the value, e.g. {@code storage 1000: blockShift=7 is out of range (9..12)}.
 */
public class ConfigException extends IllegalArgumentException {

    private static final long serialVersionUID = 1L;

    public ConfigException(String message) {
        super(message);
    }

    public ConfigException(String message, Throwable cause) {
        super(message, cause);
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
