package io.jtgt.admin;

import java.io.IOException;
import java.util.Dictionary;
import java.util.Enumeration;
import java.util.Hashtable;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.UUID;
import org.osgi.framework.Filter;
import org.osgi.framework.FrameworkUtil;
import org.osgi.framework.InvalidSyntaxException;
import org.osgi.framework.ServiceReference;
import org.osgi.service.cm.Configuration;
import org.osgi.service.cm.ConfigurationAdmin;

/**
 * Config Admin in a map, for tests: what the specification says about PIDs, factory names,
 * listing (only configurations that have properties) and the {@code service.*} properties it adds.
 */
public final class InMemoryConfigurationAdmin implements ConfigurationAdmin {

    final Map<String, Config> configurations = new TreeMap<>();
    /** Number of update and delete calls, to check that refused changes write nothing. */
    int writes;

    @Override
    public Configuration createFactoryConfiguration(String factoryPid) {
        return createFactoryConfiguration(factoryPid, null);
    }

    @Override
    public Configuration createFactoryConfiguration(String factoryPid, String location) {
        return configurations.computeIfAbsent(factoryPid + "." + UUID.randomUUID(), pid -> new Config(pid, factoryPid));
    }

    @Override
    public Configuration getConfiguration(String pid, String location) {
        return configurations.computeIfAbsent(pid, p -> new Config(p, null));
    }

    @Override
    public Configuration getConfiguration(String pid) {
        return getConfiguration(pid, null);
    }

    @Override
    public Configuration getFactoryConfiguration(String factoryPid, String name, String location) {
        return configurations.computeIfAbsent(factoryPid + "~" + name, pid -> new Config(pid, factoryPid));
    }

    @Override
    public Configuration getFactoryConfiguration(String factoryPid, String name) {
        return getFactoryConfiguration(factoryPid, name, null);
    }

    @Override
    public Configuration[] listConfigurations(String filter) throws InvalidSyntaxException {
        Filter f = filter == null ? null : FrameworkUtil.createFilter(filter);
        Configuration[] result = configurations.values().stream()
                .filter(c -> c.properties != null && (f == null || f.match(c.getProperties())))
                .toArray(Configuration[]::new);
        return result.length == 0 ? null : result;
    }

    /** The stored properties of one configuration (without Config Admin's own), or null. */
    Map<String, Object> properties(String pid) {
        Config c = configurations.get(pid);
        if (c == null || c.properties == null) {
            return null;
        }
        Map<String, Object> map = new LinkedHashMap<>();
        for (Enumeration<String> keys = c.properties.keys(); keys.hasMoreElements(); ) {
            String k = keys.nextElement();
            map.put(k, c.properties.get(k));
        }
        return map;
    }

    final class Config implements Configuration {
        private final String pid;
        private final String factoryPid;
        private Hashtable<String, Object> properties;
        private long changeCount;
        private boolean deleted;

        Config(String pid, String factoryPid) {
            this.pid = pid;
            this.factoryPid = factoryPid;
        }

        @Override
        public String getPid() {
            checkNotDeleted();
            return pid;
        }

        @Override
        public Dictionary<String, Object> getProperties() {
            checkNotDeleted();
            if (properties == null) {
                return null;
            }
            Hashtable<String, Object> copy = new Hashtable<>(properties);
            copy.put("service.pid", pid);
            if (factoryPid != null) {
                copy.put("service.factoryPid", factoryPid);
            }
            return copy;
        }

        @Override
        public Dictionary<String, Object> getProcessedProperties(ServiceReference<?> reference) {
            return getProperties();
        }

        @Override
        public void update(Dictionary<String, ?> props) {
            checkNotDeleted();
            Hashtable<String, Object> copy = new Hashtable<>();
            for (Enumeration<String> keys = props.keys(); keys.hasMoreElements(); ) {
                String k = keys.nextElement();
                if (!k.equals("service.pid") && !k.equals("service.factoryPid")) {
                    copy.put(k, props.get(k));
                }
            }
            properties = copy;
            changeCount++;
            writes++;
        }

        @Override
        public void delete() {
            checkNotDeleted();
            deleted = true;
            configurations.remove(pid);
            writes++;
        }

        /** Config Admin 104.15.3: every method of a deleted configuration throws. */
        private void checkNotDeleted() {
            if (deleted) {
                throw new IllegalStateException("Configuration " + pid + " deleted");
            }
        }

        @Override
        public String getFactoryPid() {
            return factoryPid;
        }

        @Override
        public void update() {
            changeCount++;
        }

        @Override
        public boolean updateIfDifferent(Dictionary<String, ?> props) {
            update(props);
            return true;
        }

        @Override
        public void setBundleLocation(String location) {}

        @Override
        public String getBundleLocation() {
            return "?";
        }

        @Override
        public long getChangeCount() {
            return changeCount;
        }

        @Override
        public void addAttributes(ConfigurationAttribute... attrs) throws IOException {
            throw new IOException("not supported");
        }

        @Override
        public Set<ConfigurationAttribute> getAttributes() {
            return Set.of();
        }

        @Override
        public void removeAttributes(ConfigurationAttribute... attrs) {}
    }
}
