package io.jtgt.scsi.core.sbc;

import static io.jtgt.scsi.core.Cdb.put32;
import static io.jtgt.scsi.core.Cdb.u16;
import static io.jtgt.scsi.core.Cdb.u32;

import io.jtgt.scsi.api.ScsiResponse;
import io.jtgt.scsi.core.CommandContext;
import java.util.concurrent.CompletionStage;

/**
 * READ DEFECT DATA (10) (SBC-3 5.13) and (12) (SBC-3 5.14). A virtual block device has no
 * defects: the primary and grown lists asked for exist and are empty, which any DEFECT LIST
 * FORMAT can express, so the header echoes the request with a DEFECT LIST LENGTH of 0.
 */
final class ReadDefectData {

    private ReadDefectData() {}

    static CompletionStage<ScsiResponse> readDefectData10(CommandContext ctx) {
        byte[] cdb = ctx.cdb();
        byte[] data = new byte[4];
        data[1] = (byte) (cdb[2] & 0x1F); // PLISTV, GLISTV as requested, DEFECT LIST FORMAT echoed
        return CommandContext.done(CommandContext.dataIn(data, u16(cdb, 7)));
    }

    static CompletionStage<ScsiResponse> readDefectData12(CommandContext ctx) {
        byte[] cdb = ctx.cdb();
        byte[] data = new byte[8];
        data[1] = (byte) (cdb[1] & 0x1F);
        put32(data, 4, 0); // DEFECT LIST LENGTH
        return CommandContext.done(CommandContext.dataIn(data, (int) Math.min(u32(cdb, 6), Integer.MAX_VALUE)));
    }
}
