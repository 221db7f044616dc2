package io.jtgt.itests.sample.osgi;

import io.jtgt.itests.sample.MemoryBackend;
import io.jtgt.scsi.spi.BackingStoreProvider;
import java.util.Dictionary;
import java.util.Hashtable;
import org.osgi.framework.BundleContext;
import org.osgi.framework.ServiceRegistration;
import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.Deactivate;

/**
 * Registers the memory backend as a {@link BackingStoreProvider} with {@code backendType=memory}:
 * all a third-party backend has to do for jtgt to serve its storages.
 */
@Component(immediate = true, service = {})
public final class MemoryBackendComponent {

    private MemoryBackend backend;
    private ServiceRegistration<BackingStoreProvider> registration;

    @Activate
    void activate(BundleContext context) {
        backend = new MemoryBackend();
        Dictionary<String, Object> properties = new Hashtable<>();
        properties.put(BackingStoreProvider.BACKEND_TYPE, backend.backendType());
        registration = context.registerService(BackingStoreProvider.class, backend, properties);
    }

    @Deactivate
    void deactivate() {
        try {
            registration.unregister(); // jtgt takes the memory LUNs to NOT READY first
        } catch (IllegalStateException alreadyGone) {
            // unregistered by the framework while the bundle stopped
        }
        backend.close();
    }
}
