package io.jtgt.scsi.api;

import java.util.EnumSet;
import java.util.Set;

/**
 * SAM-5 7 task management functions, and which of them the transport performs. {@link #SUPPORTED}
 * is the transport's contract: it answers every listed function with FUNCTION COMPLETE (or TASK
 * DOES NOT EXIST) and every other one with FUNCTION NOT SUPPORTED (RFC 7143 11.6.1); scsi-core
 * reports exactly this set in REPORT SUPPORTED TASK MANAGEMENT FUNCTIONS (SPC-4 6.30). CLEAR TASK
 * SET aborts the LUN's tasks of every I_T nexus (TST=000b) and leaves COMMANDS CLEARED BY ANOTHER
 * INITIATOR to the others. CLEAR ACA is not supported: NORMACA is 0 in INQUIRY and a CDB with NACA=1
 * is refused, so no ACA condition can ever exist, and SAM-5 7.3 asks CLEAR ACA only of logical units
 * that support ACA; "not supported" (and CACAS=0) is the honest answer. QUERY TASK and I_T NEXUS
 * RESET have no iSCSI function.
 */
public enum TaskManagementFunction {
    ABORT_TASK,
    ABORT_TASK_SET,
    CLEAR_ACA,
    CLEAR_TASK_SET,
    LOGICAL_UNIT_RESET,
    /** iSCSI TARGET WARM RESET (SAM-5 TARGET RESET). */
    TARGET_WARM_RESET,
    /** iSCSI TARGET COLD RESET: a warm reset that also closes every session. */
    TARGET_COLD_RESET,
    QUERY_TASK,
    I_T_NEXUS_RESET;

    /** What the transport implements. */
    public static final Set<TaskManagementFunction> SUPPORTED = java.util.Collections.unmodifiableSet(EnumSet.of(
            ABORT_TASK, ABORT_TASK_SET, CLEAR_TASK_SET, LOGICAL_UNIT_RESET, TARGET_WARM_RESET, TARGET_COLD_RESET));
}
