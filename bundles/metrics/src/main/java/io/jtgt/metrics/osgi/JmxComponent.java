package io.jtgt.metrics.osgi;

import io.jtgt.metrics.jmx.JmxPublisher;
import io.jtgt.scsi.api.ManagementService;
import java.lang.management.ManagementFactory;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.ConfigurationPolicy;
import org.osgi.service.component.annotations.Deactivate;
import org.osgi.service.component.annotations.Reference;
import org.osgi.service.metatype.annotations.Designate;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Publishes the LUN and session MXBeans in the platform MBeanServer (the one Karaf's
 * {@code management} feature exposes over JMX/RMI, and jconsole attaches to), refreshing the set
 * of names every {@code jmxRefreshSeconds} on a thread of its own.
 */
@Component(immediate = true, configurationPid = MetricsConfig.PID, configurationPolicy = ConfigurationPolicy.OPTIONAL)
@Designate(ocd = MetricsConfig.class)
public class JmxComponent {

    private static final Logger LOG = LoggerFactory.getLogger(JmxComponent.class);

    @Reference
    private ManagementService management;

    private JmxPublisher publisher;
    private ScheduledExecutorService refresher;

    @Activate
    void activate(MetricsConfig config) {
        publisher = new JmxPublisher(ManagementFactory.getPlatformMBeanServer(), management);
        refresher = Executors.newSingleThreadScheduledExecutor(r -> {
            Thread t = new Thread(r, "jtgt-jmx-refresh");
            t.setDaemon(true);
            return t;
        });
        int seconds = Math.max(1, config.jmxRefreshSeconds());
        refresher.scheduleWithFixedDelay(this::refresh, 0, seconds, TimeUnit.SECONDS);
    }

    private void refresh() {
        try {
            publisher.refresh();
        } catch (RuntimeException e) {
            // Never let one failed refresh end the schedule.
            LOG.warn("JMX refresh failed: {}", e.toString());
        }
    }

    @Deactivate
    void deactivate() throws InterruptedException {
        refresher.shutdownNow();
        refresher.awaitTermination(5, TimeUnit.SECONDS);
        publisher.close();
    }
}
