package io.jtgt.rest;

/**
 * Whole numbers from paths, queries and JSON text, with the shell's one-line messages naming the
 * argument ({@code lun: 'x' is not a whole number}, {@code lun: 16384 is out of range (0..16383)}).
 */
public final class Args {

    private Args() {
    }

    public static long number(String argument, String value, long min, long max) {
        long n;
        try {
            n = Long.parseLong(value.trim());
        } catch (NumberFormatException e) {
            throw ApiException.badRequest(argument + ": '" + value + "' is not a whole number");
        }
        return inRange(argument, n, min, max);
    }

    public static long inRange(String argument, long n, long min, long max) {
        if (n < min || n > max) {
            throw ApiException.badRequest(argument + ": " + n + " is out of range (" + min + ".." + max + ")");
        }
        return n;
    }

    public static int intNumber(String argument, String value, int min, int max) {
        return (int) number(argument, value, min, max);
    }

    /** A storage deviceID (gotgt {@code deviceID}: a non-negative long). */
    public static long deviceId(String value) {
        return number("deviceID", value, 0, Long.MAX_VALUE);
    }

    /** A LUN number (SAM-5 flat space addressing as the targets use it: 0..16383). */
    public static int lun(String value) {
        return intNumber("lun", value, 0, io.jtgt.scsi.config.TargetDefinition.MAX_LUN);
    }

    /** A portal id or a target portal group tag, 0..65535 (RFC 7143 13.9: TPGT is 16 bits). */
    public static int portalId(String value) {
        return intNumber("portalId", value, 0, 65535);
    }

    public static int tag(String value) {
        return intNumber("tag", value, 1, 65535);
    }
}
