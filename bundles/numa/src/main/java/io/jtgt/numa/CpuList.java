package io.jtgt.numa;

import java.util.BitSet;

/**
 * The kernel's cpulist format ({@code 0-3,8-11}, {@code 5}, empty for none), as sysfs writes it
 * in {@code nodeN/cpulist}, {@code cpu/online} and {@code node/online} (Documentation/ABI
 * stable sysfs-devices-system-cpu; lib/bitmap.c bitmap_parselist). Also used for node lists.
 */
public final class CpuList {

    /** Far above any real CPU count; a bigger number is a corrupt file, not a machine. */
    static final int MAX_ID = 1 << 16;

    private CpuList() {}

    /** Parses a list; whitespace around it (the trailing newline) is ignored. */
    public static BitSet parse(String text) {
        BitSet result = new BitSet();
        String s = text == null ? "" : text.trim();
        if (s.isEmpty()) {
            return result;
        }
        for (String part : s.split(",")) {
            String range = part.trim();
            int dash = range.indexOf('-');
            int from;
            int to;
            try {
                if (dash < 0) {
                    from = Integer.parseInt(range);
                    to = from;
                } else {
                    from = Integer.parseInt(range.substring(0, dash).trim());
                    String upper = range.substring(dash + 1).trim();
                    int colon = upper.indexOf(':'); // "0-15:2/4" strides exist in the parser, not in sysfs output
                    if (colon >= 0) {
                        throw new IllegalArgumentException("stride ranges are not supported: '" + range + "'");
                    }
                    to = Integer.parseInt(upper);
                }
            } catch (NumberFormatException e) {
                throw new IllegalArgumentException("not a cpu list: '" + s + "'");
            }
            if (from < 0 || to < from || to > MAX_ID) {
                throw new IllegalArgumentException("bad range '" + range + "' in cpu list '" + s + "'");
            }
            result.set(from, to + 1);
        }
        return result;
    }

    /** Formats a set the way sysfs does ({@code 0-3,8}). */
    public static String format(BitSet set) {
        StringBuilder out = new StringBuilder();
        int start = set.nextSetBit(0);
        while (start >= 0) {
            int end = set.nextClearBit(start) - 1;
            if (out.length() > 0) {
                out.append(',');
            }
            out.append(start);
            if (end > start) {
                out.append('-').append(end);
            }
            start = set.nextSetBit(end + 1);
        }
        return out.toString();
    }

    /** The set bits as an ascending array. */
    public static int[] toArray(BitSet set) {
        return set.stream().toArray();
    }
}
