package io.jtgt.shell;

import java.util.Map;
import java.util.TreeMap;
import java.util.stream.Collectors;

/** Renders management values as short table cells. */
final class Format {

    /** What every listing shows instead of a secret. */
    static final String MASK = "****";

    private Format() {}

    /** An initiator list; empty means every initiator may log in. */
    static String initiators(java.util.List<String> initiators) {
        return initiators.isEmpty() ? "every initiator" : String.join(",", initiators);
    }

    /** CHAP state of a rule, secrets masked. */
    static String chap(io.jtgt.scsi.api.AdminService.AccessView rule) {
        if (!rule.chap()) {
            return "no CHAP";
        }
        return "CHAP user " + rule.userName() + " secret " + MASK
                + (rule.mutualUserName() == null ? "" : ", mutual user " + rule.mutualUserName() + " secret " + MASK);
    }

    /** {@code {1=[0, 2]}} as {@code 1: 0,2}, tags in ascending order. */
    static String portalGroups(Map<Integer, java.util.List<Integer>> groups) {
        if (groups == null || groups.isEmpty()) {
            return "-";
        }
        return new TreeMap<>(groups).entrySet().stream()
                .map(e -> e.getKey() + ": " + e.getValue().stream().map(String::valueOf).collect(Collectors.joining(",")))
                .collect(Collectors.joining("; "));
    }

    /** Binary units, one decimal: 1073741824 as {@code 1.0 GiB}; unknown (negative) as {@code -}. */
    static String bytes(long bytes) {
        if (bytes < 0) {
            return "-";
        }
        String[] units = {"B", "KiB", "MiB", "GiB", "TiB", "PiB"};
        double value = bytes;
        int unit = 0;
        while (value >= 1024 && unit < units.length - 1) {
            value /= 1024;
            unit++;
        }
        return unit == 0 ? bytes + " B" : String.format(java.util.Locale.ROOT, "%.1f %s", value, units[unit]);
    }

    /** A duration in microseconds as {@code 850 us}, {@code 4.1 ms} or {@code 2.0 s}. */
    static String micros(long micros) {
        if (micros < 1000) {
            return micros + " us";
        }
        if (micros < 1_000_000) {
            return String.format(java.util.Locale.ROOT, "%.1f ms", micros / 1000.0);
        }
        return String.format(java.util.Locale.ROOT, "%.1f s", micros / 1_000_000.0);
    }
}
