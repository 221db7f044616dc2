package io.jtgt.scsi.core.sbc;

import io.jtgt.scsi.core.Medium;

/**
 * Whether logical block provisioning management is on for a medium (SBC-3 4.7.3). One rule for
 * READ CAPACITY (16) LBPME, the Logical Block Provisioning VPD page and the commands that unmap.
 */
public final class Provisioning {

    private Provisioning() {}

    /** Thin-provisioned storage whose store can really deallocate. */
    public static boolean enabled(Medium m) {
        return m != null && m.thinProvisioned() && m.capabilities().canUnmap();
    }

    /** GET LBA STATUS can describe the real allocation. */
    public static boolean reportsAllocation(Medium m) {
        return enabled(m) && m.capabilities().canReportAllocation();
    }
}
