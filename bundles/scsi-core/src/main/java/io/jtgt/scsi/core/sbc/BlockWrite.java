package io.jtgt.scsi.core.sbc;

import io.jtgt.scsi.api.ScsiResponse;
import io.jtgt.scsi.core.AtomicWriteGate;
import io.jtgt.scsi.core.CommandOutcome;
import io.jtgt.scsi.core.CommandContext;
import io.jtgt.scsi.core.Medium;
import io.netty.buffer.ByteBuf;
import io.jtgt.scsi.spi.IoCallback;
import java.util.concurrent.CompletableFuture;
import java.util.function.BiConsumer;

/**
 * One WRITE's two waits in one object: first for its Data-Out (on the connection's loop), then for
 * the store. It is the callback of both and the future scsi-core's dispatcher waits on, so a WRITE
 * costs this object and the Data-Out future, not a chain of stages (the per-I/O garbage of the hot
 * path). It releases the gathered buffer once the store is done with it.
 */
final class BlockWrite extends CommandOutcome implements BiConsumer<Object, Throwable>, IoCallback {

    private final Medium medium;
    private final AtomicWriteGate gate;
    private final long lba;
    private final long offset;
    private final int bytes;
    private final boolean fua;
    /** The Data-Out, once it arrived. */
    private ByteBuf buf;
    private boolean dataDone;
    /** Whether this write entered {@link #gate} lock-free and leaves it when the store is done. */
    private boolean lockFree;

    private BlockWrite(Medium medium, AtomicWriteGate gate, long lba, long offset, int bytes, boolean fua) {
        this.medium = medium;
        this.gate = gate;
        this.lba = lba;
        this.offset = offset;
        this.bytes = bytes;
        this.fua = fua;
    }

    /** Writes {@code bytes} of Data-Out at {@code lba} ({@code offset} in bytes). */
    static BlockWrite start(CommandContext ctx, Medium m, long lba, long offset, int bytes, boolean fua) {
        BlockWrite write = new BlockWrite(m, ctx.device().atomicWriteGate(), lba, offset, bytes, fua);
        ctx.requestData(bytes).whenComplete(write);
        return write;
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
            finish(null, CommandContext.dataPhaseError());
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
        buf.release();
        if (lockFree) {
            gate.leaveLockFree();
        }
        if (t != null) {
            finish(null, t);
        } else {
            finish(ScsiResponse.good(), null);
        }
    }
}
