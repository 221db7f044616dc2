package io.jtgt.iscsi.osgi;

import io.jtgt.iscsi.server.RunningPortal;
import io.jtgt.scsi.api.Portal;
import io.jtgt.scsi.config.PortalDefinition;
import java.util.Dictionary;
import java.util.Hashtable;
import java.util.Map;
import org.osgi.framework.BundleContext;
import org.osgi.framework.ServiceRegistration;
import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.ConfigurationPolicy;
import org.osgi.service.component.annotations.Deactivate;
import org.osgi.service.component.annotations.Reference;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One {@code io.jtgt.portal} factory configuration ({@code id}, {@code portal} = host:port):
 * binds it on the shared server and registers it as a {@link Portal} service. A bad value or a
 * port in use is logged in one line and leaves only this portal down (registered as not
 * listening, so management shows it).
 */
@org.osgi.annotation.bundle.Capability(namespace = "osgi.service",
        attribute = "objectClass:List<String>=io.jtgt.scsi.api.Portal")
@Component(
        service = {},
        configurationPid = "io.jtgt.portal",
        configurationPolicy = ConfigurationPolicy.REQUIRE,
        immediate = true)
public final class PortalComponent {

    private static final Logger LOG = LoggerFactory.getLogger(PortalComponent.class);

    private final RunningPortal running;
    private final ServiceRegistration<Portal> registration;

    @Activate
    public PortalComponent(BundleContext context, @Reference IscsiServerComponent server, Map<String, Object> properties) {
        Object pid = properties.get("service.pid");
        RunningPortal bound = null;
        Portal portal;
        try {
            PortalDefinition definition = PortalDefinition.fromProperties(properties);
            bound = server.server().bind(definition);
            portal = bound;
        } catch (RuntimeException e) {
            LOG.error("{}: portal not started: {}", pid, e.getMessage());
            portal = new DownPortal(properties);
        }
        this.running = bound;
        Dictionary<String, Object> serviceProperties = new Hashtable<>();
        serviceProperties.put("portal.id", portal.id());
        serviceProperties.put("portal.address", portal.address());
        this.registration = context.registerService(Portal.class, portal, serviceProperties);
    }

    @Deactivate
    void deactivate() {
        try {
            registration.unregister();
        } catch (IllegalStateException alreadyGone) {
            // the framework unregistered it while stopping the bundle
        }
        if (running != null) {
            running.close();
        }
    }

    /** A configured portal that could not be bound. */
    private record DownPortal(int id, String address) implements Portal {

        DownPortal(Map<String, Object> properties) {
            this(intOrMinusOne(properties.get(PortalDefinition.ID)), String.valueOf(properties.get(PortalDefinition.PORTAL)));
        }

        private static int intOrMinusOne(Object value) {
            try {
                return value instanceof Number n ? n.intValue() : Integer.parseInt(String.valueOf(value).trim());
            } catch (NumberFormatException e) {
                return -1;
            }
        }

        @Override
        public boolean listening() {
            return false;
        }
    }
}
