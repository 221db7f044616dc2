package io.jtgt.scsi.config;

import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.regex.Pattern;

/**
 * One SCSI target (a gotgt {@code iscsitargets} entry, factory PID {@value ConfigPids#TARGET}).
 * In Config Admin: {@code name}, {@code tpgt.<tag>} = comma-separated portal ids,
 * {@code lun.<n>} = deviceID, and optionally the target's own transport limits ({@link TargetLimits}).
 *
 * @param name the iSCSI name (iqn., eui. or naa. form)
 * @param portalGroups portal group tag to portal ids
 * @param luns LUN number to storage deviceID
 * @param limits transport limits overriding the daemon's for this target ({@link TargetLimits#NONE}: none)
 */
public record TargetDefinition(String name, Map<Integer, List<Integer>> portalGroups, Map<Integer, Long> luns,
        TargetLimits limits) {

    public static final String NAME = "name";
    public static final String TPGT_PREFIX = "tpgt.";
    public static final String LUN_PREFIX = "lun.";
    /** SAM-5 4.6.8: flat space addressing reaches LUNs 0..16383. */
    public static final int MAX_LUN = 16383;

    // RFC 7143 4.2.7.1 / RFC 3721: iqn.yyyy-mm.reversed.domain[:anything], eui.<16 hex>, naa.<16|32 hex>
    private static final Pattern NAME_PATTERN = Pattern.compile(
            "iqn\\.\\d{4}-\\d{2}\\.[a-z0-9][a-z0-9.-]*(:[^\\s]+)?|eui\\.[0-9a-f]{16}|naa\\.([0-9a-f]{16}|[0-9a-f]{32})",
            Pattern.CASE_INSENSITIVE);

    public TargetDefinition {
        Map<Integer, List<Integer>> groups = new TreeMap<>();
        portalGroups.forEach((k, v) -> groups.put(k, List.copyOf(v)));
        portalGroups = Collections.unmodifiableMap(groups);
        luns = Collections.unmodifiableMap(new TreeMap<>(luns));
        limits = limits == null ? TargetLimits.NONE : limits;
    }

    /** A target with the daemon's transport limits. */
    public TargetDefinition(String name, Map<Integer, List<Integer>> portalGroups, Map<Integer, Long> luns) {
        this(name, portalGroups, luns, TargetLimits.NONE);
    }

    public static TargetDefinition fromProperties(Map<String, ?> props) {
        String name = ConfigValues.stringValue("target", props, NAME, null);
        String owner = "target " + name;
        if (name.length() > 223 || !NAME_PATTERN.matcher(name).matches()) {
            throw ConfigException.field(owner, NAME, name, "is not an iSCSI name (iqn.yyyy-mm.domain[:id], eui. or naa.)");
        }
        Map<Integer, List<Integer>> groups = new TreeMap<>();
        Map<Integer, Long> luns = new TreeMap<>();
        for (Map.Entry<String, ?> e : props.entrySet()) {
            String key = e.getKey();
            if (key.equals(NAME) || TargetLimits.isKey(key) || ConfigValues.isFrameworkKey(key)) {
                continue;
            }
            if (key.startsWith(TPGT_PREFIX)) {
                int tag = suffix(owner, key, TPGT_PREFIX, 1, 65535);
                List<Integer> ids = new ArrayList<>();
                for (String s : ConfigValues.listValue(owner, key, e.getValue())) {
                    long id = ConfigValues.toLong(owner, key, s);
                    if (id < 0 || id > 65535) {
                        throw ConfigException.field(owner, key, e.getValue(), "names a portal id out of range (0..65535)");
                    }
                    if (!ids.contains((int) id)) {
                        ids.add((int) id);
                    }
                }
                groups.put(tag, ids);
            } else if (key.startsWith(LUN_PREFIX)) {
                int lun = suffix(owner, key, LUN_PREFIX, 0, MAX_LUN);
                long deviceId = ConfigValues.toLong(owner, key, e.getValue());
                if (deviceId < 0) {
                    throw ConfigException.field(owner, key, deviceId, "is not a deviceID");
                }
                luns.put(lun, deviceId);
            } else {
                throw ConfigException.field(owner, key, e.getValue(),
                        "is not a target property (name, tpgt.<tag>, lun.<n>, " + String.join(", ", TargetLimits.KEYS)
                                + ")");
            }
        }
        return new TargetDefinition(name, groups, luns, TargetLimits.fromProperties(owner, props));
    }

    private static int suffix(String owner, String key, String prefix, int min, int max) {
        String text = key.substring(prefix.length());
        int value;
        try {
            value = Integer.parseInt(text);
        } catch (NumberFormatException e) {
            throw new ConfigException(owner + ": property " + key + " has no number after '" + prefix + "'");
        }
        if (value < min || value > max) {
            throw new ConfigException(owner + ": property " + key + " is out of range (" + prefix + min + ".." + prefix + max + ")");
        }
        return value;
    }

    public Map<String, Object> toProperties() {
        Map<String, Object> props = new LinkedHashMap<>();
        props.put(NAME, name);
        portalGroups.forEach((tag, ids) -> props.put(TPGT_PREFIX + tag,
                String.join(",", ids.stream().map(String::valueOf).toList())));
        luns.forEach((lun, id) -> props.put(LUN_PREFIX + lun, id));
        props.putAll(limits.toProperties());
        return props;
    }
}
