package io.jtgt.scsi.api;

import java.util.Collection;
import java.util.Optional;

/** The SCSI targets this daemon exposes, as the transport looks them up. An OSGi service. */
public interface TargetRegistry {

    /** Every configured target, in name order. */
    Collection<ScsiTarget> targets();

    /** The target with this name (an IQN), if configured. */
    Optional<ScsiTarget> target(String name);
}
