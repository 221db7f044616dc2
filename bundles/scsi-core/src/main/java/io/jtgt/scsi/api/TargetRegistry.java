package io.jtgt.scsi.api;

import java.util.Collection;
import java.util.Optional;

/** The SCSI targets this daemon exposes, as the transport looks them up. An OSGi service. */
public interface TargetRegistry {

    /**
     * Every configured target, in name order.
     *
     * <p>Named {@code allTargets} (not {@code targets}) because the one class implementing both
     * this and {@link ManagementService} could not otherwise exist: {@code ManagementService.targets()}
     * returns {@code List<TargetView>}, and Java allows only one {@code targets()} per class.
     */
    Collection<ScsiTarget> allTargets();

    /** The target with this name (an IQN), if configured. */
    Optional<ScsiTarget> target(String name);

    /**
     * Registers a listener for target removal; closing the returned handle unregisters it. The
     * default registry never removes targets, so it never calls the listener.
     */
    default AutoCloseable addTargetListener(TargetListener listener) {
        return () -> { };
    }
}
