package io.jtgt.metrics.jmx;

import io.jtgt.scsi.api.ManagementService;
import io.jtgt.scsi.api.ManagementService.LunStats;
import io.jtgt.scsi.api.ManagementService.SessionStats;
import java.util.HashMap;
import java.util.Map;
import java.util.function.Supplier;
import javax.management.InstanceAlreadyExistsException;
import javax.management.InstanceNotFoundException;
import javax.management.JMException;
import javax.management.MBeanServer;
import javax.management.MalformedObjectNameException;
import javax.management.ObjectName;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Keeps one MXBean registered per mapped LUN and per live session. ManagementService tells no one
 * when LUNs or sessions come and go, so {@link #refresh()} compares the names it registered with
 * a fresh snapshot and registers or unregisters the difference; its owner calls it every few
 * seconds. The attribute values never lag: each access reads ManagementService anew. Only the
 * appearance and disappearance of a name waits for the next refresh.
 */
public final class JmxPublisher implements AutoCloseable {

    public static final String DOMAIN = "io.jtgt";

    private static final Logger LOG = LoggerFactory.getLogger(JmxPublisher.class);

    private final MBeanServer server;
    private final ManagementService management;
    private final Map<ObjectName, Object> registered = new HashMap<>();

    public JmxPublisher(MBeanServer server, ManagementService management) {
        this.server = server;
        this.management = management;
    }

    public static ObjectName lunName(String target, int lun) {
        return name("type=Lun,target=" + ObjectName.quote(target) + ",lun=" + lun);
    }

    public static ObjectName sessionName(String target, int tsih) {
        return name("type=Session,target=" + ObjectName.quote(target) + ",tsih=" + tsih);
    }

    private static ObjectName name(String keys) {
        try {
            return new ObjectName(DOMAIN + ":" + keys);
        } catch (MalformedObjectNameException e) {
            throw new IllegalArgumentException(keys + ": " + e.getMessage(), e);
        }
    }

    /** Registers the MXBeans of new LUNs and sessions and unregisters those of gone ones. */
    public synchronized void refresh() {
        Map<ObjectName, Supplier<Object>> wanted = new HashMap<>();
        for (LunStats s : management.lunStats()) {
            wanted.put(lunName(s.target(), s.lun()), () -> new LunStatistics(management, s.target(), s.lun()));
        }
        for (SessionStats s : management.sessionStats()) {
            wanted.put(sessionName(s.target(), s.tsih()), () -> new SessionStatistics(management, s.target(), s.tsih()));
        }
        registered.keySet().removeIf(name -> {
            if (wanted.containsKey(name)) {
                return false;
            }
            unregister(name);
            return true;
        });
        wanted.forEach((name, bean) -> {
            if (!registered.containsKey(name)) {
                register(name, bean.get());
            }
        });
    }

    /** The names this publisher has registered now. */
    public synchronized java.util.Set<ObjectName> names() {
        return java.util.Set.copyOf(registered.keySet());
    }

    /** Unregisters everything it registered. */
    @Override
    public synchronized void close() {
        registered.keySet().forEach(this::unregister);
        registered.clear();
    }

    private void register(ObjectName name, Object bean) {
        try {
            server.registerMBean(bean, name);
            registered.put(name, bean);
        } catch (InstanceAlreadyExistsException e) {
            // Someone else's (another jtgt in the same JVM?): leave it, and try again next time.
            LOG.debug("JMX name {} is taken", name);
        } catch (JMException e) {
            LOG.warn("cannot register {}: {}", name, e.getMessage());
        }
    }

    private void unregister(ObjectName name) {
        try {
            server.unregisterMBean(name);
        } catch (InstanceNotFoundException e) {
            // Unregistered by someone else: nothing left to do.
        } catch (JMException e) {
            LOG.warn("cannot unregister {}: {}", name, e.getMessage());
        }
    }
}
