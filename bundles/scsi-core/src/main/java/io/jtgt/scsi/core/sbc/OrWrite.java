package io.jtgt.scsi.core.sbc;

import io.jtgt.scsi.api.ScsiResponse;
import io.jtgt.scsi.core.CommandContext;
import io.jtgt.scsi.core.Medium;
import io.jtgt.scsi.core.RangeLocks;
import io.netty.buffer.ByteBuf;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;

/**
 * ORWRITE (16) (SBC-3 5.4): each block becomes its current contents OR the Data-Out, read and
 * written under a lock on just those blocks so no other ORWRITE or COMPARE AND WRITE interleaves.
 * FUA as for WRITE; ORPROTECT must be 0 (no protection information).
 */
final class OrWrite {

    private OrWrite() {}

    static CompletionStage<ScsiResponse> execute(CommandContext ctx) {
        Medium m = ctx.medium();
        BlockIo io = BlockIo.parse(ctx.cdb()).requireNoProtection().requireInRange(m).requireWithinTransferLimit(m);
        int bytes = io.bytes(m);
        ctx.command().scsiTransferLength(bytes);
        int toWrite = Write.acceptedBytes(ctx, m, bytes);
        if (toWrite == 0) {
            return CommandContext.good();
        }
        boolean fua = io.fua() || !ctx.device().modeParameters().writeCacheEnabled();
        long offset = io.offset(m);
        RangeLocks locks = ctx.device().rangeLocks();
        return ctx.receiveData(toWrite).thenCompose(data -> locks.lock(io.lba(), toWrite / m.blockSize())
                .thenCompose(held -> {
                    CompletableFuture<Void> done;
                    try {
                        done = Read.read(m, offset, toWrite).thenCompose(current -> {
                            orInto(current, data, toWrite);
                            return Write.write(m, offset, current, toWrite, fua);
                        });
                    } catch (RuntimeException e) {
                        done = CompletableFuture.failedFuture(e);
                    }
                    return done.whenComplete((v, t) -> {
                        held.release();
                        data.release();
                    });
                })).thenApply(v -> ScsiResponse.good());
    }

    private static void orInto(ByteBuf current, ByteBuf data, int length) {
        int c = current.readerIndex();
        int d = data.readerIndex();
        for (int i = 0; i < length; i++) {
            current.setByte(c + i, current.getByte(c + i) | data.getByte(d + i));
        }
    }
}
