package io.jtgt.admin;

import io.jtgt.scsi.api.AdminService;
import io.jtgt.scsi.config.ConfigPids;
import io.jtgt.scsi.config.PortalDefinition;
import io.jtgt.scsi.config.StorageDefinition;
import io.jtgt.scsi.config.TargetDefinition;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import org.osgi.service.cm.Configuration;

/**
 * The jtgt configurations in Config Admin at one moment, parsed: storages by deviceID, portals by
 * id, targets and access rules by (lower-case) target name. A configuration that does not parse
 * is left out of the maps (its component ignores it as well) and listed in {@link #invalid()}.
 * When two configurations name the same object, the one with the smaller PID wins, as it would
 * in a listing.
 */
final class ConfigSnapshot {

    final Map<Long, Stored<StorageDefinition>> storages = new TreeMap<>();
    final Map<Integer, Stored<PortalDefinition>> portals = new TreeMap<>();
    final Map<String, Stored<TargetDefinition>> targets = new TreeMap<>();
    final Map<String, Stored<AccessRuleConfig>> accessRules = new TreeMap<>();
    /** The {@value ConfigPids#PERFORMANCE} singleton, or null. */
    Configuration performance;
    final Set<String> pids = new HashSet<>();
    private final List<String> invalid = new ArrayList<>();

    ConfigSnapshot(Configuration[] configurations) {
        Configuration[] sorted = configurations == null ? new Configuration[0] : configurations.clone();
        Arrays.sort(sorted, Comparator.comparing(Configuration::getPid));
        for (Configuration c : sorted) {
            pids.add(c.getPid());
            Map<String, Object> props = Properties.toMap(c.getProperties());
            try {
                add(c, props);
            } catch (IllegalArgumentException e) {
                invalid.add(c.getPid() + ": " + e.getMessage());
            }
        }
    }

    private void add(Configuration c, Map<String, Object> props) {
        String factoryPid = c.getFactoryPid();
        if (ConfigPids.STORAGE.equals(factoryPid)) {
            StorageDefinition s = StorageDefinition.fromProperties(props);
            storages.putIfAbsent(s.deviceId(), new Stored<>(c, s));
        } else if (ConfigPids.PORTAL.equals(factoryPid)) {
            PortalDefinition p = PortalDefinition.fromProperties(props);
            portals.putIfAbsent(p.id(), new Stored<>(c, p));
        } else if (ConfigPids.TARGET.equals(factoryPid)) {
            TargetDefinition t = TargetDefinition.fromProperties(props);
            targets.putIfAbsent(key(t.name()), new Stored<>(c, t));
        } else if (ConfigNames.AUTH.equals(factoryPid)) {
            AccessRuleConfig a = AccessRuleConfig.fromProperties(props);
            accessRules.putIfAbsent(a.key(), new Stored<>(c, a));
        } else if (ConfigPids.PERFORMANCE.equals(c.getPid())) {
            performance = c;
        }
    }

    /** iSCSI names compare case-insensitively (RFC 3722); {@link AdminService#DISCOVERY} too. */
    static String key(String targetName) {
        return targetName.toLowerCase(Locale.ROOT);
    }

    Stored<TargetDefinition> target(String name) {
        return targets.get(key(name));
    }

    /**
     * The performance keys, without framework bookkeeping. A {@code .cfg} file holds strings: those
     * that read as a boolean or a whole number get that type back, as the JSON they came from had it.
     * Config Admin keeps no order: the keys come sorted, so that an export is stable.
     */
    Map<String, Object> performanceProperties() {
        Map<String, Object> result = new TreeMap<>();
        if (performance != null) {
            Properties.own(Properties.toMap(performance.getProperties())).forEach((k, v) -> result.put(k, typed(v)));
        }
        return result;
    }

    private static Object typed(Object value) {
        if (!(value instanceof String s)) {
            return value;
        }
        if (s.equals("true") || s.equals("false")) {
            return Boolean.parseBoolean(s);
        }
        if (s.matches("-?(0|[1-9][0-9]{0,17})")) {
            long l = Long.parseLong(s);
            return l == (int) l ? (Object) (int) l : (Object) l;
        }
        return s;
    }

    /** One line per configuration that does not parse: PID and the problem. */
    List<String> invalid() {
        return List.copyOf(invalid);
    }
}
