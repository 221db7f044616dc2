package io.jtgt.scsi.core.sbc;

import io.jtgt.scsi.api.ScsiResponse;
import io.jtgt.scsi.core.CommandContext;
import io.jtgt.scsi.core.Medium;
import io.netty.buffer.ByteBuf;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;

/**
 * WRITE (6) (SBC-3 5.32), WRITE (10) (5.33), WRITE (12) (5.34), WRITE (16) (5.35). FUA is passed
 * to the store (and forced when the caching page has WCE off, SBC-3 6.4.5); DPO is accepted and
 * ignored (jtgt keeps no read cache to evict from). The store write goes through the
 * {@link io.jtgt.scsi.core.AtomicWriteGate} so it never interleaves with a WRITE ATOMIC.
 */
final class Write {

    private Write() {}

    static CompletionStage<ScsiResponse> execute(CommandContext ctx) {
        Medium m = ctx.medium();
        BlockIo io = BlockIo.parse(ctx.cdb()).requireNoProtection().requireInRange(m).requireWithinTransferLimit(m);
        int bytes = io.bytes(m);
        ctx.command().scsiTransferLength(bytes);
        int toWrite = acceptedBytes(ctx, m, bytes);
        if (toWrite == 0) {
            return CommandContext.good();
        }
        boolean fua = io.fua() || !ctx.device().modeParameters().writeCacheEnabled();
        long offset = io.offset(m);
        // the Data-Out arrives first; only the store write is ordered against WRITE ATOMIC
        return BlockWrite.start(ctx, m, io.lba(), offset, toWrite, fua);
    }

    /**
     * How much of the transfer the initiator really sends: all of it, or, when its expected data
     * transfer length is shorter, the whole blocks that length covers (the initiator sees a
     * residual overflow; RFC 7143 11.4.5.1, and what libiscsi's residual tests expect).
     */
    static int acceptedBytes(CommandContext ctx, Medium m, int bytes) {
        int expected = ctx.command().expectedDataTransferLength();
        if (expected >= bytes) {
            return bytes;
        }
        return Math.max(0, expected) / m.blockSize() * m.blockSize();
    }

    /** Writes {@code bytes} of {@code buf} and releases {@code buf} once the store is done with it. */
    static CompletableFuture<Void> write(Medium m, long offset, ByteBuf buf, int bytes, boolean fua) {
        CompletableFuture<Void> w;
        try {
            ByteBuf src = buf.readableBytes() == bytes ? buf : buf.slice(buf.readerIndex(), bytes);
            w = m.store().write(offset, src, fua);
        } catch (RuntimeException e) {
            w = CompletableFuture.failedFuture(e);
        }
        return w.whenComplete((v, t) -> buf.release());
    }
}
