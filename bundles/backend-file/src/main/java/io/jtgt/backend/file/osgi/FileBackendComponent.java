package io.jtgt.backend.file.osgi;

import io.jtgt.backend.file.FileBackingStoreProvider;
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
import org.osgi.service.component.annotations.Modified;
import org.osgi.service.component.annotations.Reference;
import org.osgi.service.component.annotations.ReferenceCardinality;
import org.osgi.service.component.annotations.ReferencePolicyOption;

/**
 * Publishes a {@link FileBackingStoreProvider} as the {@code backendType=file}
 * {@link BackingStoreProvider} service. The provider itself is the service object (registered
 * by hand rather than being this component), so that deactivation can unregister it first, and
 * then close its stores and threads. Storages with {@code enableNUMA}/{@code numaNode} get I/O
 * threads pinned to their node when the {@link NumaPlacement} is active (optional reference: without
 * the numa bundle nothing is placed; a new placement restarts the component). {@code fileIoThreads}
 * of the {@code io.jtgt.performance} singleton (optional) sizes the I/O threads; a change applies
 * live (@Modified), the LUNs stay online.
 */
@Component(immediate = true, service = {}, configurationPid = "io.jtgt.performance",
        configurationPolicy = ConfigurationPolicy.OPTIONAL)
public final class FileBackendComponent {

    static final String IO_THREADS = FileBackingStoreProvider.IO_THREADS_KEY;

    private FileBackingStoreProvider provider;
    private ServiceRegistration<BackingStoreProvider> registration;

    @Reference(cardinality = ReferenceCardinality.OPTIONAL, policyOption = ReferencePolicyOption.GREEDY)
    NumaPlacement numa;

    @Activate
    void activate(BundleContext context, Map<String, Object> config) {
        provider = new FileBackingStoreProvider(FileBackingStoreProvider.ioThreadsSetting(config.get(IO_THREADS)),
                numa == null ? NumaPlacement.inactive() : numa);
        Dictionary<String, Object> properties = new Hashtable<>();
        properties.put(BackingStoreProvider.BACKEND_TYPE, provider.backendType());
        registration = context.registerService(BackingStoreProvider.class, provider, properties);
    }

    @Modified
    void modified(Map<String, Object> config) {
        provider.ioThreads(FileBackingStoreProvider.ioThreadsSetting(config.get(IO_THREADS)));
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
