package io.jtgt.scsi.core.sbc;

import io.jtgt.scsi.api.ScsiResponse;
import io.jtgt.scsi.core.AtomicWriteGate;
import io.jtgt.scsi.core.CommandOutcome;
import io.jtgt.scsi.core.Medium;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufAllocator;
import io.jtgt.scsi.spi.IoCallback;

/**
 * One READ's store call and its outcome in one object: the pooled buffer the store fills, the
 * callback the store reports to, and the future scsi-core's dispatcher waits on. A READ costs
 * this object (and whatever the backend spends on one op), not a chain of stages (the per-I/O
 * garbage of the hot path). On failure the buffer is released here; on success it passes to the transport.
 */
final class BlockRead extends CommandOutcome implements IoCallback {

    private final ByteBuf buf;
    /** The gate to leave when the store is done; null when the caller's admission does that. */
    private final AtomicWriteGate lockFree;

    private BlockRead(ByteBuf buf, AtomicWriteGate lockFree) {
        this.buf = buf;
        this.lockFree = lockFree;
    }

    /**
     * Reads {@code bytes} at {@code offset} into a buffer of {@code allocator}.
     *
     * @param lockFree the gate this read entered lock-free (it leaves it when done), or null
     */
    static BlockRead start(ByteBufAllocator allocator, Medium m, long offset, int bytes, AtomicWriteGate lockFree) {
        BlockRead read = new BlockRead(allocator.directBuffer(bytes, bytes), lockFree);
        try {
            m.store().read(offset, read.buf, bytes, read);
        } catch (RuntimeException e) { // a backend that throws instead of reporting
            read.ioDone(e);
        }
        return read;
    }

    /** The store finished (any thread). */
    @Override
    public void ioDone(Throwable t) {
        if (lockFree != null) {
            lockFree.leaveLockFree();
        }
        if (t != null) {
            buf.release();
            finish(null, t);
        } else {
            finish(ScsiResponse.good(buf), null);
        }
    }
}
