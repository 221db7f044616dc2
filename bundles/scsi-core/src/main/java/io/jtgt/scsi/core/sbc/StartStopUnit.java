package io.jtgt.scsi.core.sbc;

import io.jtgt.scsi.api.ScsiResponse;
import io.jtgt.scsi.core.CommandContext;
import io.jtgt.scsi.core.Medium;
import io.jtgt.scsi.core.ScsiException;
import io.jtgt.scsi.core.SenseCode;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;

/**
 * START STOP UNIT (SBC-3 5.20). START=0 flushes (unless NO_FLUSH) and stops the unit: medium
 * access then answers NOT READY, INITIALIZING COMMAND REQUIRED until START=1. The medium is not
 * removable, so LOEJ=1 is INVALID FIELD IN CDB; there is no power condition support (no Power
 * Condition mode page), so a POWER CONDITION other than START_VALID is refused as well. IMMED
 * answers once the CDB is validated.
 */
final class StartStopUnit {

    private StartStopUnit() {}

    static CompletionStage<ScsiResponse> execute(CommandContext ctx) {
        byte[] cdb = ctx.cdb();
        if ((cdb[4] & 0xF0) != 0) {
            throw ScsiException.invalidCdbField(4, 7);
        }
        if ((cdb[3] & 0x0F) != 0) {
            throw ScsiException.invalidCdbField(3, 3); // POWER CONDITION MODIFIER only with a power condition
        }
        if ((cdb[4] & 0x02) != 0) {
            throw ScsiException.invalidCdbField(4, 1);
        }
        Medium m = ctx.medium();
        if (m == null) {
            SenseCode why = ctx.device().notReadySense();
            throw new ScsiException(why == null ? SenseCode.NOT_READY_BECOMING_READY : why);
        }
        boolean immediate = (cdb[1] & 0x01) != 0;
        boolean start = (cdb[4] & 0x01) != 0;
        boolean noFlush = (cdb[4] & 0x04) != 0;
        CompletableFuture<Void> work;
        if (start) {
            ctx.device().stopped(false);
            work = CompletableFuture.completedFuture(null);
        } else {
            work = (noFlush ? CompletableFuture.<Void>completedFuture(null) : m.store().flush())
                    .thenRun(() -> ctx.device().stopped(true));
        }
        return immediate ? CommandContext.good() : work.thenApply(v -> ScsiResponse.good());
    }
}
