package io.jtgt.backend.s3.osgi;

import io.jtgt.backend.s3.S3BackingStoreProvider;
import io.jtgt.scsi.spi.BackingStoreProvider;
import java.util.Dictionary;
import java.util.Hashtable;
import org.osgi.framework.BundleContext;
import org.osgi.framework.ServiceRegistration;
import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.Deactivate;

/**
 * Publishes an {@link S3BackingStoreProvider} as the {@code backendType=s3}
 * {@link BackingStoreProvider} service. Registered by hand (not as this component) so that
 * deactivation first unregisters it, letting scsi-core take its LUNs offline, then closes the
 * stores still open.
 */
@Component(immediate = true, service = {})
public final class S3BackendComponent {

    private S3BackingStoreProvider provider;
    private ServiceRegistration<BackingStoreProvider> registration;

    @Activate
    void activate(BundleContext context) {
        provider = new S3BackingStoreProvider();
        Dictionary<String, Object> properties = new Hashtable<>();
        properties.put(BackingStoreProvider.BACKEND_TYPE, provider.backendType());
        registration = context.registerService(BackingStoreProvider.class, provider, properties);
    }

    @Deactivate
    void deactivate() {
        try {
            registration.unregister();
        } catch (IllegalStateException alreadyGone) {
            // the framework unregistered it while stopping the bundle
        }
        provider.close();
    }
}
