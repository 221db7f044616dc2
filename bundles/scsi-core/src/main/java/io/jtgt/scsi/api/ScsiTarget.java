package io.jtgt.scsi.api;

import io.jtgt.scsi.config.TargetLimits;
import java.util.List;
import java.util.Map;

/** One SCSI target device (an iSCSI target node) with its logical units. */
public interface ScsiTarget {

    /** The target name, e.g. {@code iqn.2026-11.io.jtgt:disk0}. */
    String name();

    /**
     * Target portal groups: the tag (TPGT) of each group mapped to the ids of the portals in it
     * (the gotgt {@code tpgts} entry). The transport resolves ids to addresses.
     */
    Map<Integer, List<Integer>> portalGroups();

    /**
     * The target's own transport limits (its configuration's optional keys), read at each login;
     * {@link TargetLimits#NONE} when the daemon's apply.
     *
     * @since 2.4
     */
    default TargetLimits limits() {
        return TargetLimits.NONE;
    }

    /**
     * The NUMA node every LUN's storage asks for ({@code enableNUMA}/{@code numaNode}), so that the
     * transport can serve this target's connections from threads of that node; -1 when there are
     * no LUNs, or some storage asks for no node or for another one.
     *
     * @since 2.8
     */
    default int numaNode() {
        return -1;
    }

    /**
     * Establishes an I_T nexus for a logged-in session. The nexus stays registered (visible to
     * management, holding unit attentions and reservations state) until {@link ItNexus#close()}.
     */
    ItNexus connect(NexusInfo info);
}
