package io.jtgt.scsi.osgi;

import io.jtgt.scsi.api.ManagementService;
import io.jtgt.scsi.api.Portal;
import io.jtgt.scsi.api.TargetRegistry;
import io.jtgt.scsi.core.ScsiTargetService;
import io.jtgt.scsi.spi.BackingStoreProvider;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.Deactivate;
import org.osgi.service.component.annotations.Reference;
import org.osgi.service.component.annotations.ReferenceCardinality;
import org.osgi.service.component.annotations.ReferencePolicy;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Owns the one {@link ScsiTargetService} of the framework and offers it as {@link TargetRegistry}
 * (for the transport), {@link ManagementService} (for the shell) and {@link ScsiTargetService}
 * (for the storage and target configuration components of this bundle). Backend providers and
 * portals are tracked dynamically: installing or removing a backend bundle brings its LUNs online
 * or NOT READY without touching anything else.
 */
@Component(immediate = true, service = {TargetRegistry.class, ManagementService.class, ScsiTargetService.class})
public class ScsiTargetComponent extends ScsiTargetService {

    private static final Logger LOG = LoggerFactory.getLogger(ScsiTargetComponent.class);

    /**
     * The state that survives restarts lives under {@code ${karaf.data}/jtgt}: persistent
     * reservations with APTPL in {@code pr/} (SPC-4 5.9.5), mode parameters saved with SP=1 in
     * {@code mode/} (SPC-4 6.9), one file per storage. Outside Karaf (no karaf.data) both are kept
     * in memory only.
     */
    public ScsiTargetComponent() {
        super(stateDir());
    }

    private static java.nio.file.Path stateDir() {
        String data = System.getProperty("karaf.data");
        return data == null || data.isBlank() ? null : java.nio.file.Path.of(data, "jtgt");
    }

    /** Providers as registered, mapped to what was handed to the service (renamed by service property). */
    private final Map<BackingStoreProvider, BackingStoreProvider> bound = new ConcurrentHashMap<>();

    @Reference(cardinality = ReferenceCardinality.MULTIPLE, policy = ReferencePolicy.DYNAMIC,
            unbind = "unbindProvider")
    void bindProvider(BackingStoreProvider provider, Map<String, Object> properties) {
        BackingStoreProvider effective = TypedProvider.of(provider, properties.get(BackingStoreProvider.BACKEND_TYPE));
        bound.put(provider, effective);
        LOG.info("backend '{}' available", effective.backendType());
        addProvider(effective);
    }

    void unbindProvider(BackingStoreProvider provider) {
        BackingStoreProvider effective = bound.remove(provider);
        if (effective != null) {
            LOG.info("backend '{}' gone", effective.backendType());
            removeProvider(effective);
        }
    }

    @Reference(cardinality = ReferenceCardinality.MULTIPLE, policy = ReferencePolicy.DYNAMIC, unbind = "unbindPortal")
    void bindPortal(Portal portal) {
        addPortal(portal);
    }

    void unbindPortal(Portal portal) {
        removePortal(portal);
    }

    @Deactivate
    void deactivate() {
        close();
    }
}
