package io.jtgt.backend.file.osgi;

import io.jtgt.backend.file.FileBackingStoreProvider;
import io.jtgt.numa.NumaPlacement;
import io.jtgt.scsi.spi.BackingStoreProvider;
import java.util.Dictionary;
import java.util.Hashtable;
import org.osgi.framework.BundleContext;
import org.osgi.framework.ServiceRegistration;
import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.Deactivate;
import org.osgi.service.component.annotations.Reference;
import org.osgi.service.component.annotations.ReferenceCardinality;
import org.osgi.service.component.annotations.ReferencePolicyOption;

/**
 * Publishes a {@link FileBackingStoreProvider} as the {@code backendType=file}
 * {@link BackingStoreProvider} service. The provider itself is the service object (registered
 * by hand rather than being this component), so that deactivation can unregister it first, and
 * then close its stores and threads. Storages with {@code enableNUMA}/{@code numaNode} get I/O
 * threads pinned to their node when the {@link NumaPlacement} is active (optional reference: without
 * the numa bundle nothing is placed; a new placement restarts the component).
 */
@Component(immediate = true, service = {})
public final class FileBackendComponent {

    private FileBackingStoreProvider provider;
    private ServiceRegistration<BackingStoreProvider> registration;

    @Reference(cardinality = ReferenceCardinality.OPTIONAL, policyOption = ReferencePolicyOption.GREEDY)
    NumaPlacement numa;

    @Activate
    void activate(BundleContext context) {
        provider = new FileBackingStoreProvider(FileBackingStoreProvider.DEFAULT_IO_THREADS,
                numa == null ? NumaPlacement.inactive() : numa);
        Dictionary<String, Object> properties = new Hashtable<>();
        properties.put(BackingStoreProvider.BACKEND_TYPE, provider.backendType());
        registration = context.registerService(BackingStoreProvider.class, provider, properties);
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
