package io.jtgt.scsi.core.spc;

import static io.jtgt.scsi.api.TaskManagementFunction.ABORT_TASK;
import static io.jtgt.scsi.api.TaskManagementFunction.ABORT_TASK_SET;
import static io.jtgt.scsi.api.TaskManagementFunction.CLEAR_ACA;
import static io.jtgt.scsi.api.TaskManagementFunction.CLEAR_TASK_SET;
import static io.jtgt.scsi.api.TaskManagementFunction.I_T_NEXUS_RESET;
import static io.jtgt.scsi.api.TaskManagementFunction.LOGICAL_UNIT_RESET;
import static io.jtgt.scsi.api.TaskManagementFunction.QUERY_TASK;
import static io.jtgt.scsi.api.TaskManagementFunction.TARGET_WARM_RESET;
import static io.jtgt.scsi.core.Cdb.u32;

import io.jtgt.scsi.api.ScsiResponse;
import io.jtgt.scsi.api.TaskManagementFunction;
import io.jtgt.scsi.core.CommandContext;
import java.util.Set;
import java.util.concurrent.CompletionStage;

/**
 * REPORT SUPPORTED TASK MANAGEMENT FUNCTIONS (SPC-4 6.30): the bits for
 * {@link TaskManagementFunction#SUPPORTED}, the set the transport performs. With REPD=1 the
 * extended 16-byte format, which adds no timeout information (TMFTMOV 0).
 */
final class ReportSupportedTaskManagementFunctions {

    private ReportSupportedTaskManagementFunctions() {}

    static CompletionStage<ScsiResponse> execute(CommandContext ctx) {
        boolean extended = (ctx.cdb()[2] & 0x80) != 0; // REPD
        int allocation = (int) Math.min(u32(ctx.cdb(), 6), Integer.MAX_VALUE);
        byte[] d = new byte[extended ? 16 : 4];
        Set<TaskManagementFunction> s = TaskManagementFunction.SUPPORTED;
        d[0] = (byte) ((s.contains(ABORT_TASK) ? 0x80 : 0) | (s.contains(ABORT_TASK_SET) ? 0x40 : 0)
                | (s.contains(CLEAR_ACA) ? 0x20 : 0) | (s.contains(CLEAR_TASK_SET) ? 0x10 : 0)
                | (s.contains(LOGICAL_UNIT_RESET) ? 0x08 : 0) | (s.contains(QUERY_TASK) ? 0x04 : 0)
                | (s.contains(TARGET_WARM_RESET) ? 0x02 : 0)); // ATS ATSS CACAS CTSS LURS QTS TRS; WAKES 0
        d[1] = (byte) (s.contains(I_T_NEXUS_RESET) ? 0x01 : 0); // ITNRS; QAES, QTSS 0
        if (extended) {
            d[3] = 0x0C; // ADDITIONAL DATA LENGTH
        }
        return CommandContext.done(CommandContext.dataIn(d, allocation));
    }
}
