package io.jtgt.numa.osgi;

import io.jtgt.numa.NumaPlacement;
import io.jtgt.numa.NumaSettings;
import java.util.Map;
import org.osgi.framework.BundleContext;
import org.osgi.framework.ServiceRegistration;
import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.ConfigurationPolicy;
import org.osgi.service.component.annotations.Deactivate;
import org.osgi.service.component.annotations.Modified;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Publishes the {@link NumaPlacement} for the {@code io.jtgt.performance} keys
 * ({@code enableNUMA}, {@code numaBufferPoolSize}, {@code numaBufferSize}) and logs the topology
 * in one line. A change of the configuration republishes it, which restarts the transport and
 * the backends that use it (static references).
 */
@Component(immediate = true, service = {}, configurationPid = "io.jtgt.performance",
        configurationPolicy = ConfigurationPolicy.OPTIONAL)
public final class NumaComponent {

    private static final Logger LOG = LoggerFactory.getLogger(NumaComponent.class);

    private BundleContext context;
    private NumaSettings current;
    private ServiceRegistration<NumaPlacement> registration;

    @Activate
    void activate(BundleContext context, Map<String, Object> properties) {
        this.context = context;
        publish(settings(properties));
    }

    /**
     * The performance PID changes for other keys too (ioUringQueueDepth) and arrives after boot:
     * only a change of the NUMA settings republishes, so the transport is not restarted for nothing.
     */
    @Modified
    void modified(Map<String, Object> properties) {
        NumaSettings settings = settings(properties);
        if (!settings.equals(current)) {
            unregister();
            publish(settings);
        }
    }

    private static NumaSettings settings(Map<String, Object> properties) {
        NumaSettings settings;
        try {
            settings = NumaSettings.fromProperties(properties);
        } catch (IllegalArgumentException e) {
            LOG.error("io.jtgt.performance: {}; NUMA placement off", e.getMessage());
            settings = NumaSettings.defaults();
        }
        return settings;
    }

    private void publish(NumaSettings settings) {
        NumaPlacement placement = NumaPlacement.system(settings);
        LOG.info("NUMA: {}", placement.describe());
        current = settings;
        registration = context.registerService(NumaPlacement.class, placement, null);
    }

    @Deactivate
    void deactivate() {
        unregister();
    }

    private void unregister() {
        try {
            registration.unregister();
        } catch (IllegalStateException alreadyGone) {
            // the framework unregistered it while stopping the bundle
        }
    }
}
