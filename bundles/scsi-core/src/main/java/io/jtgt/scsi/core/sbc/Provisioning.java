package io.jtgt.scsi.core.sbc;

import io.jtgt.scsi.core.CommandTable;
import io.jtgt.scsi.core.Medium;

/**
 * Whether logical block provisioning management is on for a medium (SBC-3 4.7.3). One rule for
 * READ CAPACITY (16) LBPME, the Logical Block Provisioning VPD page and the commands that unmap.
 */
public final class Provisioning {

    private Provisioning() {}

    /**
     * Thin-provisioned storage whose store can really deallocate, with UNMAP in the dispatch table
     * (SBC-3 4.7.3.1: LBPME=1 promises a way to unmap).
     */
    public static boolean enabled(CommandTable table, Medium m) {
        return m != null && m.thinProvisioned() && m.capabilities().canUnmap() && table.find(0x42, -1) != null;
    }
}
