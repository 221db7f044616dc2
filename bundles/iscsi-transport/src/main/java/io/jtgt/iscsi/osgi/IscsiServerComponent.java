package io.jtgt.iscsi.osgi;

import io.jtgt.iscsi.server.IscsiServer;
import io.jtgt.iscsi.server.TransportSettings;
import io.jtgt.scsi.api.TargetRegistry;
import java.util.Map;
import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.ConfigurationPolicy;
import org.osgi.service.component.annotations.Deactivate;
import org.osgi.service.component.annotations.Reference;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Owns the one {@link IscsiServer} of the framework, configured by the optional singleton PID
 * {@code io.jtgt.iscsi} (the {@link TransportSettings} property names). A change of that
 * configuration restarts the server and, through their static reference, every portal.
 */
@Component(
        service = IscsiServerComponent.class,
        configurationPid = "io.jtgt.iscsi",
        configurationPolicy = ConfigurationPolicy.OPTIONAL,
        immediate = true)
public final class IscsiServerComponent {

    private static final Logger LOG = LoggerFactory.getLogger(IscsiServerComponent.class);

    private final IscsiServer server;

    @Activate
    public IscsiServerComponent(@Reference TargetRegistry registry, Map<String, Object> properties) {
        TransportSettings settings;
        try {
            settings = TransportSettings.fromProperties(properties);
        } catch (IllegalArgumentException e) {
            LOG.error("io.jtgt.iscsi: {}; using the default iSCSI settings", e.getMessage());
            settings = TransportSettings.defaults();
        }
        this.server = new IscsiServer(registry, settings);
    }

    public IscsiServer server() {
        return server;
    }

    @Deactivate
    void deactivate() {
        server.close();
    }
}
