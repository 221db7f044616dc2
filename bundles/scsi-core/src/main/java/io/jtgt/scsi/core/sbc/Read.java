package io.jtgt.scsi.core.sbc;

import io.jtgt.scsi.api.ScsiResponse;
import io.jtgt.scsi.core.AtomicWriteGate;
import io.jtgt.scsi.core.CommandContext;
import io.jtgt.scsi.core.Medium;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufAllocator;
import io.netty.buffer.PooledByteBufAllocator;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.CompletionStage;

/**
 * READ (6) (SBC-3 5.8), READ (10) (5.9), READ (12) (5.10), READ (16) (5.11). DPO and FUA are
 * accepted and need no action: reads always come from the store, which holds every completed
 * write. The data goes into a pooled direct buffer of exactly the transfer size, whose ownership
 * passes to the transport with the response.
 */
final class Read {

    private Read() {}

    static CompletionStage<ScsiResponse> execute(CommandContext ctx) {
        Medium m = ctx.medium();
        BlockIo io = BlockIo.parse(ctx.cdb()).requireNoProtection().requireInRange(m).requireWithinTransferLimit(m);
        if (io.blocks() == 0) {
            return CommandContext.good(); // SBC-3 5.9: zero length transfers nothing and is not an error
        }
        // SBC-4 4.29: never a torn view of a WRITE ATOMIC in flight on this range. The same store
        // read either way; only while an atomic write is around does it wait for a range lock.
        AtomicWriteGate gate = ctx.device().atomicWriteGate();
        ByteBufAllocator allocator = ctx.command().allocator();
        long offset = io.offset(m);
        int bytes = io.bytes(m);
        if (gate.enterLockFree()) {
            return BlockRead.start(ctx, allocator, m, offset, bytes, gate);
        }
        return gate.plain(io.lba(), io.blocks(), () -> BlockRead.start(allocator, m, offset, bytes, null));
    }

    /** Reads {@code bytes} at {@code offset} into a new pooled buffer, released on failure. */
    static CompletableFuture<ByteBuf> read(Medium m, long offset, int bytes) {
        return read(PooledByteBufAllocator.DEFAULT, m, offset, bytes);
    }

    /** As {@link #read(Medium, long, int)}, the buffer from {@code allocator} (the transport's, for Data-In). */
    static CompletableFuture<ByteBuf> read(ByteBufAllocator allocator, Medium m, long offset, int bytes) {
        ByteBuf buf = allocator.directBuffer(bytes, bytes);
        CompletableFuture<Void> f;
        try {
            f = m.store().read(offset, buf, bytes);
        } catch (RuntimeException e) {
            f = CompletableFuture.failedFuture(e);
        }
        return f.handle((v, t) -> {
            if (t != null) {
                buf.release();
                throw t instanceof CompletionException ce ? ce : new CompletionException(t);
            }
            return buf;
        });
    }
}
