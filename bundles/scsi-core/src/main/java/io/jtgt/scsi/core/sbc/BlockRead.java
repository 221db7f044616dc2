package io.jtgt.scsi.core.sbc;

import io.jtgt.scsi.api.ScsiResponse;
import io.jtgt.scsi.core.AtomicWriteGate;
import io.jtgt.scsi.core.CommandContext;
import io.jtgt.scsi.core.Medium;
import io.jtgt.scsi.spi.IoCallback;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufAllocator;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;

/**
 * One READ's store call: the pooled buffer the store fills and the callback the store reports to.
 * On the hot path it reports straight to the command's context and is kept there for the next
 * command ({@link CommandContext#claimDirect()}), so a READ in steady state makes no object here;
 * otherwise it completes a future of its own. On failure the buffer is released here; on success
 * it passes to the transport.
 */
final class BlockRead implements IoCallback {

    private ByteBuf buf;
    /** The gate to leave when the store is done; null when the caller's admission does that. */
    private AtomicWriteGate lockFree;
    /** Where the outcome goes: the context (direct), or else {@link #future}. */
    private CommandContext direct;
    private CompletableFuture<ScsiResponse> future;

    /**
     * Reads {@code bytes} at {@code offset} into a buffer of {@code allocator}, reporting to
     * {@code ctx} directly when it may ({@link CommandContext#REPORTED_DIRECTLY} is then returned).
     *
     * @param lockFree the gate this read entered lock-free (it leaves it when done), or null
     */
    static CompletionStage<ScsiResponse> start(CommandContext ctx, ByteBufAllocator allocator, Medium m, long offset,
            int bytes, AtomicWriteGate lockFree) {
        if (!ctx.claimDirect()) {
            return start(allocator, m, offset, bytes, lockFree);
        }
        BlockRead read = ctx.handlerState(BlockRead.class, BlockRead::new);
        read.direct = ctx;
        read.future = null;
        read.run(allocator, m, offset, bytes, lockFree);
        return CommandContext.REPORTED_DIRECTLY;
    }

    /** As {@link #start(CommandContext, ByteBufAllocator, Medium, long, int, AtomicWriteGate)}, through a future. */
    static CompletableFuture<ScsiResponse> start(ByteBufAllocator allocator, Medium m, long offset, int bytes,
            AtomicWriteGate lockFree) {
        BlockRead read = new BlockRead();
        CompletableFuture<ScsiResponse> future = new CompletableFuture<>();
        read.future = future;
        read.run(allocator, m, offset, bytes, lockFree);
        return future;
    }

    private void run(ByteBufAllocator allocator, Medium m, long offset, int bytes, AtomicWriteGate lockFree) {
        this.lockFree = lockFree;
        try {
            this.buf = allocator.directBuffer(bytes, bytes);
            m.store().read(offset, buf, bytes, this);
        } catch (RuntimeException | OutOfMemoryError e) { // a backend that throws instead of reporting
            if (buf == null) {
                if (lockFree != null) {
                    lockFree.leaveLockFree();
                }
                report(null, e);
                return;
            }
            ioDone(e);
        }
    }

    /** The store finished (any thread). The last thing done here, once reported, is reporting. */
    @Override
    public void ioDone(Throwable t) {
        ByteBuf data = buf;
        buf = null;
        if (lockFree != null) {
            lockFree.leaveLockFree();
        }
        if (t != null) {
            data.release();
            report(null, t);
        } else {
            report(data, null);
        }
    }

    private void report(ByteBuf data, Throwable t) {
        CommandContext to = direct;
        if (to != null) {
            direct = null;
            to.reportIo(data, t);
        } else if (t != null) {
            future.completeExceptionally(t);
        } else {
            future.complete(ScsiResponse.good(data));
        }
    }
}
