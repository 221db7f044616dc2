package io.jtgt.shell;

import io.jtgt.scsi.api.AdminService;
import java.io.PrintStream;
import java.util.Locale;
import org.apache.karaf.shell.api.action.Action;
import org.apache.karaf.shell.api.action.lifecycle.Reference;

/**
 * Shared plumbing of the jtgt commands that change the configuration: the {@link AdminService}
 * and argument parsing whose errors are one line naming the argument. Numbers are taken as
 * strings and parsed here, so that {@code lun-map t x 1000} says {@code LUN: 'x' is not a number}
 * rather than a conversion stack. A command only parses, calls the service and prints one line.
 */
public abstract class AdminCommand implements Action {

    @Reference
    protected AdminService admin;

    @Override
    public final Object execute() throws Exception {
        run(System.out); // Karaf redirects System.out to the calling session
        return null;
    }

    protected abstract void run(PrintStream out) throws Exception;

    /** A whole number in {@code min..max}, or an error naming {@code argument}. */
    protected static long number(String argument, String value, long min, long max) {
        long n;
        try {
            n = Long.parseLong(value.trim());
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException(argument + ": '" + value + "' is not a whole number");
        }
        if (n < min || n > max) {
            throw new IllegalArgumentException(argument + ": " + n + " is out of range (" + min + ".." + max + ")");
        }
        return n;
    }

    protected static int intNumber(String argument, String value, int min, int max) {
        return (int) number(argument, value, min, max);
    }

    /** A storage deviceID (a non-negative long). */
    protected static long deviceId(String value) {
        return number("DEVICE-ID", value, 0, Long.MAX_VALUE);
    }

    /**
     * A size in bytes: a number with an optional binary unit (K, M, G, T; {@code KiB} etc. too),
     * e.g. {@code 64M} = 67108864.
     */
    protected static long size(String argument, String value) {
        String text = value.trim().toUpperCase(Locale.ROOT).replace("IB", "").replace("B", "");
        int shift = 0;
        if (!text.isEmpty()) {
            switch (text.charAt(text.length() - 1)) {
                case 'K' -> shift = 10;
                case 'M' -> shift = 20;
                case 'G' -> shift = 30;
                case 'T' -> shift = 40;
                default -> shift = 0;
            }
        }
        String digits = shift == 0 ? text : text.substring(0, text.length() - 1);
        long n;
        try {
            n = Long.parseLong(digits);
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException(argument + ": '" + value + "' is not a size (e.g. 1073741824, 512M, 1G)");
        }
        if (n < 0 || n > (Long.MAX_VALUE >> shift)) {
            throw new IllegalArgumentException(argument + ": '" + value + "' is out of range");
        }
        return n << shift;
    }
}
