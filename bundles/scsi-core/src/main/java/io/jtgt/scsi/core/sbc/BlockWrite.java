package io.jtgt.scsi.core.sbc;

import io.jtgt.scsi.api.ScsiResponse;
import io.jtgt.scsi.core.AtomicWriteGate;
import io.jtgt.scsi.core.CommandContext;
import io.jtgt.scsi.core.Medium;
import io.jtgt.scsi.spi.IoCallback;
import io.netty.buffer.ByteBuf;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.function.BiConsumer;

/**
 * One WRITE's two waits in one object: first for its Data-Out (on the connection's loop), then for
 * the store. It is the callback of both. On the hot path it reports straight to the command's
 * context and is kept there for the next command ({@link CommandContext#claimDirect()}), so a WRITE
 * in steady state makes no object here; otherwise it completes a future of its own. It releases
 * the gathered buffer once the store is done with it.
 */
final class BlockWrite implements BiConsumer<Object, Throwable>, IoCallback {

    private Medium medium;
    private AtomicWriteGate gate;
    private long lba;
    private long offset;
    private int bytes;
    private boolean fua;
    /** The Data-Out, once it arrived. */
    private ByteBuf buf;
    private boolean dataDone;
    /** Whether this write entered {@link #gate} lock-free and leaves it when the store is done. */
    private boolean lockFree;
    /** Where the outcome goes: the context (direct), or else {@link #future}. */
    private CommandContext direct;
    private CompletableFuture<ScsiResponse> future;

    /**
     * Writes {@code bytes} of Data-Out at {@code lba} ({@code offset} in bytes), reporting to
     * {@code ctx} directly when it may ({@link CommandContext#REPORTED_DIRECTLY} is then returned).
     */
    static CompletionStage<ScsiResponse> start(CommandContext ctx, Medium m, long lba, long offset, int bytes,
            boolean fua) {
        BlockWrite write;
        CompletionStage<ScsiResponse> result;
        if (ctx.claimDirect()) {
            write = ctx.handlerState(BlockWrite.class, BlockWrite::new);
            write.direct = ctx;
            write.future = null;
            result = CommandContext.REPORTED_DIRECTLY;
        } else {
            write = new BlockWrite();
            write.future = new CompletableFuture<>();
            result = write.future;
        }
        write.medium = m;
        write.gate = ctx.device().atomicWriteGate();
        write.lba = lba;
        write.offset = offset;
        write.bytes = bytes;
        write.fua = fua;
        write.buf = null;
        write.dataDone = false;
        write.lockFree = false;
        ctx.requestData(bytes, write);
        return result;
    }

    /**
     * First the Data-Out arrives (a {@link ByteBuf}), then, on the range-locked path, the store
     * finishes (a null result).
     */
    @Override
    public void accept(Object result, Throwable t) {
        if (!dataDone) {
            dataDone = true;
            dataArrived((ByteBuf) result, t);
        } else {
            stored(t);
        }
    }

    private void dataArrived(ByteBuf data, Throwable t) {
        if (t != null) {
            report(CommandContext.dataPhaseError());
            return;
        }
        buf = data;
        // SBC-4 4.29: the store write is ordered against WRITE ATOMIC; the same call either way,
        // only while an atomic write is around does it wait for a range lock.
        if (gate.enterLockFree()) {
            lockFree = true;
            try {
                medium.store().write(offset, source(), fua, this);
            } catch (RuntimeException e) { // a backend that throws instead of reporting
                stored(e);
            }
        } else {
            gate.plain(lba, bytes / medium.blockSize(), this::storeWrite).whenComplete(this);
        }
    }

    private CompletableFuture<Void> storeWrite() {
        try {
            return medium.store().write(offset, source(), fua);
        } catch (RuntimeException e) {
            return CompletableFuture.failedFuture(e);
        }
    }

    private ByteBuf source() {
        return buf.readableBytes() == bytes ? buf : buf.slice(buf.readerIndex(), bytes);
    }

    /** The store finished the lock-free write (any thread). */
    @Override
    public void ioDone(Throwable failure) {
        stored(failure);
    }

    private void stored(Throwable t) {
        ByteBuf data = buf;
        buf = null;
        data.release();
        if (lockFree) {
            gate.leaveLockFree();
        }
        report(t);
    }

    /** The last thing done here: once reported directly, this object may serve the next command. */
    private void report(Throwable t) {
        CommandContext to = direct;
        if (to != null) {
            direct = null;
            to.reportIo(null, t);
        } else if (t != null) {
            future.completeExceptionally(t);
        } else {
            future.complete(ScsiResponse.good());
        }
    }
}
