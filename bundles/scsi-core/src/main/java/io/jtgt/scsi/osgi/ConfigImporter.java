package io.jtgt.scsi.osgi;

import io.jtgt.scsi.config.ConfigException;
import io.jtgt.scsi.config.ConfigPids;
import io.jtgt.scsi.config.GotgtJson;
import io.jtgt.scsi.config.JtgtConfiguration;
import io.jtgt.scsi.config.PortalDefinition;
import io.jtgt.scsi.config.StorageDefinition;
import io.jtgt.scsi.config.TargetDefinition;
import java.io.IOException;
import java.nio.file.Path;
import java.util.Collections;
import java.util.Dictionary;
import java.util.Hashtable;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Objects;
import org.osgi.framework.InvalidSyntaxException;
import org.osgi.service.cm.Configuration;
import org.osgi.service.cm.ConfigurationAdmin;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Imports a gotgt JSON file into Config Admin: one factory configuration per storage, portal and
 * target, plus the {@value ConfigPids#PERFORMANCE} singleton, all with location "?" (so the
 * transport bundle receives the portals) and tagged {@value #SOURCE}={@value #IMPORT} with a
 * stable {@value #KEY}. Re-importing updates what changed and deletes imported configurations
 * the file no longer has; configurations made by hand or shipped in etc/ are never touched. The
 * whole file is validated first: a broken file changes nothing.
 */
public final class ConfigImporter {

    private static final Logger LOG = LoggerFactory.getLogger(ConfigImporter.class);

    public static final String SOURCE = "jtgt.source";
    public static final String IMPORT = "import";
    public static final String KEY = "jtgt.importKey";
    /** Multi-location binding (Config Admin 104.4.1): any bundle's component may consume it. */
    private static final String ANY_LOCATION = "?";

    private final ConfigurationAdmin configAdmin;

    public ConfigImporter(ConfigurationAdmin configAdmin) {
        this.configAdmin = configAdmin;
    }

    /** Imports {@code file}; returns false (after one log line naming file and field) if it is unusable. */
    public boolean importFile(Path file) {
        JtgtConfiguration config;
        try {
            config = GotgtJson.read(file);
        } catch (ConfigException e) {
            LOG.error("jtgt.config not imported: {}", e.getMessage());
            return false;
        }
        Map<String, Desired> desired = desired(config);
        try {
            Configuration[] existing = configAdmin.listConfigurations("(" + SOURCE + "=" + IMPORT + ")");
            if (existing != null) {
                for (Configuration c : existing) {
                    Object key = c.getProperties() == null ? null : c.getProperties().get(KEY);
                    Desired d = key == null ? null : desired.remove(key.toString());
                    if (d == null) {
                        c.delete();
                    } else if (!sameProperties(c.getProperties(), d.properties())) {
                        c.update(d.dictionary());
                    }
                }
            }
            for (Desired d : desired.values()) {
                Configuration c = d.factory()
                        ? configAdmin.getFactoryConfiguration(d.pid(), d.name(), ANY_LOCATION)
                        : configAdmin.getConfiguration(d.pid(), ANY_LOCATION);
                c.update(d.dictionary());
            }
        } catch (IOException | InvalidSyntaxException e) {
            LOG.error("jtgt.config {}: Config Admin refused the import: {}", file, e.getMessage());
            return false;
        }
        LOG.info("jtgt.config {} imported: {} storages, {} portals, {} targets", file, config.storages().size(),
                config.portals().size(), config.targets().size());
        return true;
    }

    /**
     * @param name the factory configuration's name (Config Admin 1.6 named factory configurations:
     *     PID {@code <factoryPid>~<name>}, e.g. {@code io.jtgt.storage~import-storage-1000})
     */
    private record Desired(String pid, String name, boolean factory, Map<String, Object> properties) {
        Dictionary<String, Object> dictionary() {
            return new Hashtable<>(properties);
        }
    }

    private static Map<String, Desired> desired(JtgtConfiguration config) {
        Map<String, Desired> result = new LinkedHashMap<>();
        for (StorageDefinition s : config.storages()) {
            add(result, ConfigPids.STORAGE, true, "storage:" + s.deviceId(), s.toProperties());
        }
        for (PortalDefinition p : config.portals()) {
            add(result, ConfigPids.PORTAL, true, "portal:" + p.id(), p.toProperties());
        }
        for (TargetDefinition t : config.targets()) {
            add(result, ConfigPids.TARGET, true, "target:" + t.name(), t.toProperties());
        }
        if (!config.performance().isEmpty()) {
            add(result, ConfigPids.PERFORMANCE, false, "performance", config.performance());
        }
        return result;
    }

    private static void add(Map<String, Desired> result, String pid, boolean factory, String key,
            Map<String, Object> props) {
        Map<String, Object> p = new LinkedHashMap<>(props);
        p.put(SOURCE, IMPORT);
        p.put(KEY, key);
        String name = "import-" + key.replaceAll("[^A-Za-z0-9._-]", "_");
        result.put(key, new Desired(pid, name, factory, Collections.unmodifiableMap(p)));
    }

    /** Equal ignoring what Config Admin adds (service.pid, service.factoryPid, service.bundleLocation). */
    private static boolean sameProperties(Dictionary<String, Object> current, Map<String, Object> wanted) {
        int own = 0;
        for (var keys = current.keys(); keys.hasMoreElements(); ) {
            String k = keys.nextElement();
            if (k.startsWith("service.")) {
                continue;
            }
            own++;
            if (!Objects.equals(current.get(k), wanted.get(k))) {
                return false;
            }
        }
        return own == wanted.size();
    }
}
