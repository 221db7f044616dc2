package io.jtgt.backend.rbd.osgi;

import io.jtgt.backend.rbd.RbdBackingStoreProvider;
import io.jtgt.scsi.spi.BackingStoreProvider;
import java.util.Dictionary;
import java.util.Hashtable;
import org.osgi.framework.BundleContext;
import org.osgi.framework.ServiceRegistration;
import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.Deactivate;

/**
 * Publishes a {@link RbdBackingStoreProvider} as the {@code backendType=ceph-rbd}
 * {@link BackingStoreProvider}. Registered by hand (as the file backend does) so deactivation
 * unregisters it first — scsi-core then takes its LUNs offline — and only then closes the images.
 * The provider registers even where librados is missing; its opens then fail (LUN offline).
 */
@Component(immediate = true, service = {})
public final class RbdBackendComponent {

    private RbdBackingStoreProvider provider;
    private ServiceRegistration<BackingStoreProvider> registration;

    @Activate
    void activate(BundleContext context) {
        provider = new RbdBackingStoreProvider();
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
