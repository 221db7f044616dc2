package io.jtgt.scsi.config;

import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Reads typed values out of Config Admin / JSON property maps. Config Admin hands values over as
 * String, Long, Integer, Boolean or String[] depending on where they came from (a .cfg file, the
 * shell, the importer), so every reader accepts all of them.
 */
final class ConfigValues {

    /** Properties Config Admin, SCR and file install add on their own; never backend options. */
    static final Set<String> FRAMEWORK_KEYS = Set.of(
            "service.pid", "service.factoryPid", "service.bundleLocation", "component.name",
            "component.id", "felix.fileinstall.filename", "jtgt.source", "jtgt.importKey",
            "service.ranking", "service.id", "service.vendor", "service.description");

    private ConfigValues() {}

    /** Framework bookkeeping (service.*, component.*, felix.*, jtgt.* ...), never configuration. */
    static boolean isFrameworkKey(String key) {
        return FRAMEWORK_KEYS.contains(key) || key.startsWith("service.") || key.startsWith("component.")
                || key.startsWith("felix.") || key.startsWith("osgi.") || key.startsWith("jtgt.")
                || key.startsWith("karaf.") || key.startsWith(".");
    }

    static Object scalar(String owner, String field, Object value) {
        if (value instanceof String[] array) {
            if (array.length != 1) {
                throw ConfigException.field(owner, field, value, "must be a single value");
            }
            return array[0];
        }
        if (value instanceof Collection<?> list) {
            if (list.size() != 1) {
                throw ConfigException.field(owner, field, value, "must be a single value");
            }
            return list.iterator().next();
        }
        return value;
    }

    static long toLong(String owner, String field, Object raw) {
        Object value = scalar(owner, field, raw);
        if (value instanceof Long || value instanceof Integer || value instanceof Short || value instanceof Byte) {
            return ((Number) value).longValue();
        }
        if (value instanceof Number n) {
            double d = n.doubleValue();
            if (d == Math.rint(d) && Math.abs(d) < 0x1p62) {
                return (long) d;
            }
            throw ConfigException.field(owner, field, value, "is not a whole number");
        }
        if (value instanceof String s) {
            try {
                return Long.parseLong(s.trim());
            } catch (NumberFormatException e) {
                throw ConfigException.field(owner, field, value, "is not a whole number");
            }
        }
        throw ConfigException.field(owner, field, value, "is not a whole number");
    }

    static long longValue(String owner, Map<String, ?> props, String field, long min, long max, Long dflt) {
        Object raw = props.get(field);
        if (raw == null) {
            if (dflt == null) {
                throw ConfigException.missing(owner, field);
            }
            return dflt;
        }
        long v = toLong(owner, field, raw);
        if (v < min || v > max) {
            throw ConfigException.field(owner, field, v, "is out of range (" + min + ".." + max + ")");
        }
        return v;
    }

    static boolean booleanValue(String owner, Map<String, ?> props, String field, boolean dflt) {
        Object raw = props.get(field);
        if (raw == null) {
            return dflt;
        }
        Object value = scalar(owner, field, raw);
        if (value instanceof Boolean b) {
            return b;
        }
        if (value instanceof String s) {
            String t = s.trim();
            if (t.equalsIgnoreCase("true")) {
                return true;
            }
            if (t.equalsIgnoreCase("false")) {
                return false;
            }
        }
        throw ConfigException.field(owner, field, raw, "is not true or false");
    }

    static String stringValue(String owner, Map<String, ?> props, String field, String dflt) {
        Object raw = props.get(field);
        if (raw == null) {
            if (dflt == null) {
                throw ConfigException.missing(owner, field);
            }
            return dflt;
        }
        Object value = scalar(owner, field, raw);
        if (!(value instanceof String) && !(value instanceof Number) && !(value instanceof Boolean)) {
            throw ConfigException.field(owner, field, raw, "is not a string");
        }
        String s = String.valueOf(value).trim();
        if (s.isEmpty()) {
            if (dflt == null) {
                throw ConfigException.missing(owner, field);
            }
            return dflt;
        }
        return s;
    }

    /** A list value: String[], a collection, or one comma-separated string. */
    static List<String> listValue(String owner, String field, Object raw) {
        if (raw instanceof String[] array) {
            return List.of(array).stream().flatMap(s -> splitComma(s).stream()).toList();
        }
        if (raw instanceof Collection<?> list) {
            return list.stream().flatMap(s -> splitComma(String.valueOf(s)).stream()).toList();
        }
        if (raw instanceof int[] ints) {
            return java.util.Arrays.stream(ints).mapToObj(Integer::toString).toList();
        }
        if (raw instanceof long[] longs) {
            return java.util.Arrays.stream(longs).mapToObj(Long::toString).toList();
        }
        if (raw instanceof String || raw instanceof Number) {
            return splitComma(String.valueOf(raw));
        }
        throw ConfigException.field(owner, field, raw, "is not a list");
    }

    private static List<String> splitComma(String s) {
        return java.util.Arrays.stream(s.split(",")).map(String::trim).filter(t -> !t.isEmpty()).toList();
    }
}
