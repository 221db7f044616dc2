package io.jtgt.scsi.core.sbc;

import io.jtgt.scsi.api.ScsiResponse;
import io.jtgt.scsi.core.CommandContext;
import io.jtgt.scsi.core.Medium;
import io.jtgt.scsi.core.RemovableMedium;
import io.jtgt.scsi.core.ScsiException;
import io.jtgt.scsi.core.SenseCode;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;

/**
 * START STOP UNIT (SBC-3 5.20) on a virtual medium that has no spindle:
 * <ul>
 * <li>POWER CONDITION other than START_VALID (0h): START and LOEJ are ignored (SBC-3 5.20); the
 *     unit has no power states to move between, so the command completes without effect;
 * <li>START=0 writes the volatile cache to the medium (unless NO_FLUSH), as a drive does before it
 *     spins down; the medium stays accessible (a virtual unit needs no initializing command, and
 *     initiators such as libiscsi expect TEST UNIT READY to stay GOOD);
 * <li>LOEJ=1 unloads (START=0) or loads (START=1) a removable medium (storage option
 *     {@code removable}); while any nexus prevents removal (SPC-4 6.13) both are refused with
 *     MEDIUM REMOVAL PREVENTED; on a non-removable unit LOEJ is INVALID FIELD IN CDB.
 * </ul>
 * The state change is visible to the next command at once; IMMED only decides whether the answer
 * waits for the cache flush.
 */
final class StartStopUnit {

    private StartStopUnit() {}

    static CompletionStage<ScsiResponse> execute(CommandContext ctx) {
        byte[] cdb = ctx.cdb();
        boolean immediate = (cdb[1] & 0x01) != 0;
        int powerCondition = (cdb[4] & 0xF0) >>> 4;
        if (powerCondition != 0) {
            return CommandContext.good(); // SBC-3 5.20: START and LOEJ ignored
        }
        if ((cdb[3] & 0x0F) != 0) {
            throw ScsiException.invalidCdbField(3, 3); // POWER CONDITION MODIFIER only with a power condition
        }
        boolean loej = (cdb[4] & 0x02) != 0;
        boolean start = (cdb[4] & 0x01) != 0;
        boolean noFlush = (cdb[4] & 0x04) != 0;
        if (loej && !ctx.device().definition().removable()) {
            throw ScsiException.invalidCdbField(4, 1);
        }
        Medium m = ctx.medium();
        if (m == null) {
            SenseCode why = ctx.device().notReadySense();
            throw new ScsiException(why == null ? SenseCode.NOT_READY_BECOMING_READY : why);
        }
        RemovableMedium medium = ctx.device().removableMedium();
        if (loej && medium.removalPrevented()) {
            throw new ScsiException(SenseCode.MEDIUM_REMOVAL_PREVENTED); // SBC-3 5.20, SPC-4 6.13
        }
        boolean wasLoaded = !medium.ejected();
        if (loej) {
            medium.ejected(!start);
        }
        CompletableFuture<Void> work = !start && !noFlush && wasLoaded
                ? m.store().flush()
                : CompletableFuture.completedFuture(null);
        return immediate ? CommandContext.good() : work.thenApply(v -> ScsiResponse.good());
    }
}
