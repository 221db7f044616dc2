package io.jtgt.scsi.core.spc;

import static io.jtgt.scsi.core.Cdb.put32;
import static io.jtgt.scsi.core.Cdb.put64;
import static io.jtgt.scsi.core.Cdb.u32;
import static io.jtgt.scsi.core.Cdb.u8;

import io.jtgt.scsi.api.ScsiResponse;
import io.jtgt.scsi.core.CommandContext;
import io.jtgt.scsi.core.LunAddressing;
import io.jtgt.scsi.core.ScsiException;
import io.jtgt.scsi.core.SenseCode;
import java.util.List;
import java.util.concurrent.CompletionStage;

/**
 * REPORT LUNS (SPC-4 6.33): the target's LUNs in SAM-5 single-level format (peripheral device
 * addressing below 256, flat space above, exactly as {@link LunAddressing} decodes them). Clears
 * a pending REPORTED LUNS DATA HAS CHANGED for the addressed LUN.
 */
final class ReportLuns {

    private ReportLuns() {}

    static CompletionStage<ScsiResponse> execute(CommandContext ctx) {
        byte[] cdb = ctx.cdb();
        int select = u8(cdb, 2);
        long allocation = u32(cdb, 6);
        if (allocation < 16) {
            throw ScsiException.invalidCdbField(6, -1); // SPC-4 6.33: at least 16 bytes
        }
        List<Integer> luns = switch (select) {
            case 0x00, 0x02 -> ctx.luns(); // no well-known LUNs exist, so 00h and 02h agree
            case 0x01 -> List.of();
            default -> throw ScsiException.invalidCdbField(2, -1);
        };
        byte[] data = new byte[8 + 8 * luns.size()];
        put32(data, 0, 8L * luns.size());
        for (int i = 0; i < luns.size(); i++) {
            put64(data, 8 + 8 * i, LunAddressing.encode(luns.get(i)));
        }
        if (ctx.device() != null) {
            ctx.clearUnitAttention(SenseCode.REPORTED_LUNS_DATA_CHANGED);
        }
        return CommandContext.done(CommandContext.dataIn(data, (int) Math.min(allocation, Integer.MAX_VALUE)));
    }
}
