package io.jtgt.backend.iouring.osgi;

import io.jtgt.backend.file.FileBackingStoreProvider;
import io.jtgt.backend.iouring.IoUringBackingStoreProvider;
import io.jtgt.numa.NumaPlacement;
import io.jtgt.scsi.spi.BackingStoreProvider;
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
import org.osgi.service.component.annotations.ReferenceCardinality;
import org.osgi.service.component.annotations.ReferencePolicyOption;

/**
 * Publishes an {@link IoUringBackingStoreProvider} as the {@code backendType=iouring}
 * {@link BackingStoreProvider}. Reads the {@code io.jtgt.performance} singleton (optional) for the
 * default {@code ioUringQueueDepth} (and {@code fileIoThreads}, which sizes the file backend's I/O
 * this backend falls back to where io_uring is unusable); a change restarts the component (no @Modified), which
 * reopens the stores with the new rings. Storages with {@code enableNUMA}/{@code numaNode} get rings
 * pinned to their node when the {@link NumaPlacement} is active (optional reference).
 */
@Component(immediate = true, service = {}, configurationPid = "io.jtgt.performance",
        configurationPolicy = ConfigurationPolicy.OPTIONAL)
public final class IoUringBackendComponent {

    static final String QUEUE_DEPTH = "ioUringQueueDepth";

    private IoUringBackingStoreProvider provider;
    private ServiceRegistration<BackingStoreProvider> registration;

    @Reference(cardinality = ReferenceCardinality.OPTIONAL, policyOption = ReferencePolicyOption.GREEDY)
    NumaPlacement numa;

    @Activate
    void activate(BundleContext context, Map<String, Object> properties) {
        provider = new IoUringBackingStoreProvider(queueDepth(properties.get(QUEUE_DEPTH)),
                IoUringBackingStoreProvider.defaultRings(), numa == null ? NumaPlacement.inactive() : numa,
                FileBackingStoreProvider.ioThreadsSetting(properties.get(FileBackingStoreProvider.IO_THREADS_KEY)));
        Dictionary<String, Object> serviceProperties = new Hashtable<>();
        serviceProperties.put(BackingStoreProvider.BACKEND_TYPE, provider.backendType());
        registration = context.registerService(BackingStoreProvider.class, provider, serviceProperties);
    }

    /** A number or numeric string; anything else keeps the seed's default of 4096. */
    static int queueDepth(Object raw) {
        if (raw instanceof Number) {
            return Math.max(1, ((Number) raw).intValue());
        }
        if (raw != null) {
            try {
                return Math.max(1, Integer.parseInt(raw.toString().trim()));
            } catch (NumberFormatException ignored) {
                // fall through to the default
            }
        }
        return IoUringBackingStoreProvider.DEFAULT_QUEUE_DEPTH;
    }

    @Deactivate
    void deactivate() {
        try {
            registration.unregister(); // scsi-core takes its LUNs offline and closes their stores
        } catch (IllegalStateException alreadyGone) {
            // the framework unregistered it while stopping the bundle
        }
        provider.close();
    }
}
