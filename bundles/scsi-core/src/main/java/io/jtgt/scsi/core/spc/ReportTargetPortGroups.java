package io.jtgt.scsi.core.spc;

import static io.jtgt.scsi.core.Cdb.put16;
import static io.jtgt.scsi.core.Cdb.put32;
import static io.jtgt.scsi.core.Cdb.u32;

import io.jtgt.scsi.api.ScsiResponse;
import io.jtgt.scsi.core.CommandContext;
import java.io.ByteArrayOutputStream;
import java.util.TreeSet;

/**
 * REPORT TARGET PORT GROUPS (SPC-4 6.36) for implicit ALUA (TPGS 01b in standard INQUIRY data).
 * Every iSCSI target portal group of the target is one target port group holding one target
 * port, both identified by the group's tag (as in VPD 83h): all paths reach the same logical unit
 * through one set of tasks, so every group is active/optimized and the answer is the same on
 * every path, which is what multipath needs to spread I/O over them.
 */
final class ReportTargetPortGroups {

    static final int SERVICE_ACTION = 0x0A;

    /** SPC-4 6.36: ASYMMETRIC ACCESS STATE 0h active/optimized. */
    private static final int ACTIVE_OPTIMIZED = 0x0;
    /** SPC-4 6.36: AO_SUP, the only state a group of this target can be in. */
    private static final int SUPPORTS_ACTIVE_OPTIMIZED = 0x01;
    /** SPC-4 6.36: STATUS CODE 0h, no status available (no state was ever changed). */
    private static final int NO_STATUS = 0x0;
    /** SPC-4 6.36: the extended header's IMPLICIT TRANSITION TIME, 0: no transitions happen. */
    private static final int EXTENDED_FORMAT = 0x1;

    private ReportTargetPortGroups() {}

    static java.util.concurrent.CompletionStage<ScsiResponse> execute(CommandContext ctx) {
        byte[] cdb = ctx.cdb();
        boolean extended = ((cdb[1] >> 5) & 0x7) == EXTENDED_FORMAT; // PARAMETER DATA FORMAT
        int allocation = (int) Math.min(u32(cdb, 6), Integer.MAX_VALUE);
        ByteArrayOutputStream descriptors = new ByteArrayOutputStream();
        TreeSet<Integer> groups = new TreeSet<>();
        for (int tag : ctx.targetPortGroups()) {
            groups.add(IdentificationPages.portId(tag));
        }
        if (groups.isEmpty()) {
            groups.add(IdentificationPages.portId(ctx.tpgt())); // a target reached without configured groups
        }
        for (int id : groups) {
            byte[] d = new byte[8 + 4];
            d[0] = (byte) (0x80 | ACTIVE_OPTIMIZED); // PREF: every path is as good as any other
            d[1] = SUPPORTS_ACTIVE_OPTIMIZED;
            put16(d, 2, id); // TARGET PORT GROUP
            d[5] = NO_STATUS;
            d[7] = 1; // TARGET PORT COUNT
            put16(d, 8 + 2, id); // RELATIVE TARGET PORT IDENTIFIER
            descriptors.writeBytes(d);
        }
        byte[] body = descriptors.toByteArray();
        int header = extended ? 8 : 4;
        byte[] data = new byte[header + body.length];
        put32(data, 0, data.length - 4); // RETURN DATA LENGTH
        if (extended) {
            data[4] = (byte) (EXTENDED_FORMAT << 4); // FORMAT TYPE; IMPLICIT TRANSITION TIME 0
        }
        System.arraycopy(body, 0, data, header, body.length);
        return CommandContext.done(CommandContext.dataIn(data, allocation));
    }
}
