package io.jtgt.scsi.core.sbc;

import io.jtgt.scsi.api.ScsiResponse;
import io.jtgt.scsi.core.CommandContext;
import io.jtgt.scsi.core.Medium;
import java.util.concurrent.CompletionStage;

/**
 * WRITE AND VERIFY (10) (SBC-3 5.36), (12) (5.37), (16) (5.38): the data is written through to
 * stable storage (the verification must see the medium, not a cache) and read back; with
 * BYTCHK=1 the read-back is compared with the Data-Out, with BYTCHK=0 reading it without error
 * is the verification.
 */
final class WriteAndVerify {

    private WriteAndVerify() {}

    static CompletionStage<ScsiResponse> execute(CommandContext ctx) {
        byte[] cdb = ctx.cdb();
        Medium m = ctx.medium();
        BlockIo io = BlockIo.parse(cdb).requireNoProtection().requireInRange(m).requireWithinTransferLimit(m);
        boolean byteCheck = (cdb[1] & 0x02) != 0;
        int bytes = io.bytes(m);
        ctx.command().scsiTransferLength(bytes);
        int toWrite = Write.acceptedBytes(ctx, m, bytes);
        if (toWrite == 0) {
            return CommandContext.good();
        }
        long offset = io.offset(m);
        return ctx.receiveData(toWrite).thenCompose(buf -> {
            buf.retain(); // kept for the comparison after the write released its reference
            return Write.write(m, offset, buf, toWrite, true).handle((v, t) -> {
                if (t != null) {
                    buf.release();
                    throw t instanceof RuntimeException re ? re : new IllegalStateException(t);
                }
                return buf;
            });
        }).thenCompose(buf -> {
            if (byteCheck) {
                return Verify.compareWithMedium(m, offset, toWrite, buf, 0);
            }
            buf.release();
            return Verify.readThrough(m, offset, toWrite / m.blockSize());
        }).thenApply(v -> ScsiResponse.good());
    }

}
