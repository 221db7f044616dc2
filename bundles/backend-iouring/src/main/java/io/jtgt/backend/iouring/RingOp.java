package io.jtgt.backend.iouring;

import io.netty.buffer.ByteBuf;

/**
 * One operation on the ring, resubmitted by {@link RingFile} until it is whole: io_uring may
 * complete a READ or WRITE short (a signal, a page-cache boundary, EOF), so {@code done} counts
 * the bytes already moved and the next SQE starts after them. How its end is told is the
 * subclass's: a future ({@link FutureOp}) for the rare ops, the store's own completion for reads
 * and writes, so those cost one object each.
 */
abstract class RingOp implements Runnable {

    static final byte OP_FSYNC = 3; // IORING_OP_FSYNC (Netty's Native constants are package-private)
    static final byte OP_FALLOCATE = 17;
    static final byte OP_OPENAT = 18;
    static final byte OP_CLOSE = 19;
    static final byte OP_READ = 22;
    static final byte OP_WRITE = 23;

    static final byte IOSQE_ASYNC = 1 << 4; // run in an io-wq worker instead of inline at submit
    /**
     * Buffered transfers from this size on are handed to io-wq workers: inline, the ring thread
     * would copy every byte itself, one op after another, while workers copy in parallel.
     */
    static final int ASYNC_THRESHOLD = 64 * 1024;

    static final int FSYNC_DATASYNC = 1; // IORING_FSYNC_DATASYNC: fdatasync semantics
    static final int RWF_DSYNC = 2; // per-write O_DSYNC (FUA) — linux/fs.h
    private static final int EINTR = 4;
    private static final int EAGAIN = 11;

    // Not final: a store's reads and writes reuse their op objects ({@link #reuse}).
    byte opcode;
    final int fd;
    long offset;
    long address;
    int length;
    int rwFlags; // READ/WRITE: rw_flags; FSYNC: fsync_flags; OPENAT: open flags
    /** Buffers this op owns until it ends (path string, bounce buffer); released by the store. */
    ByteBuf owned;
    int done;
    byte sqeFlags;
    /** The ring this op hops to when submitted from another thread ({@link #run}). */
    RingFile queuedOn;

    RingOp(byte opcode, int fd, long offset, long address, int length, int rwFlags) {
        this.opcode = opcode;
        this.fd = fd;
        this.offset = offset;
        this.address = address;
        this.length = length;
        this.rwFlags = rwFlags;
    }

    /** Makes this ended op a new one on the same descriptor (the submitter's thread, before submit). */
    final void reuse(byte opcode, long offset, long address, int length, int rwFlags) {
        this.opcode = opcode;
        this.offset = offset;
        this.address = address;
        this.length = length;
        this.rwFlags = rwFlags;
        this.owned = null;
        this.done = 0;
        this.sqeFlags = 0;
    }

    /** The hop of {@link RingFile#submit} from a foreign thread, on the ring's loop. */
    @Override
    public final void run() {
        queuedOn.start(this);
    }

    /** Next SQE position: for READ/WRITE skip what already moved; OPENAT passes mode as length. */
    long nextOffset() {
        return isTransfer() ? offset + done : offset;
    }

    long nextAddress() {
        return isTransfer() ? address + done : address;
    }

    int nextLength() {
        return isTransfer() ? length - done : length;
    }

    boolean isTransfer() {
        return opcode == OP_READ || opcode == OP_WRITE;
    }

    /**
     * The op ended, once: {@code result} is the CQE's result (for READ/WRITE the bytes moved, short
     * only at EOF) when {@code failure} is null. Runs on the ring's loop, or on the submitter's
     * thread when the ring refused the op.
     */
    abstract void ended(int result, Throwable failure);

    /**
     * Accounts one CQE. Returns true when the op is finished ({@link #ended} ran), false when
     * the remainder must be submitted again.
     */
    boolean onCompletion(int res) {
        if (res == -EINTR || res == -EAGAIN) {
            return false; // transient: the same range again
        }
        if (res < 0) {
            ended(0, new ErrnoException(opName(), -res));
            return true;
        }
        if (!isTransfer()) {
            ended(res, null);
            return true;
        }
        if (res == 0) {
            if (opcode == OP_WRITE) {
                ended(0, new ErrnoException("write made no progress at " + (offset + done), 5));
            } else {
                ended(done, null); // EOF: the caller zero-fills the tail, like a hole
            }
            return true;
        }
        done += res;
        if (done < length) {
            return false; // short I/O: resubmit the remainder
        }
        ended(done, null);
        return true;
    }

    String opName() {
        switch (opcode) {
            case OP_READ: return "read";
            case OP_WRITE: return (rwFlags & RWF_DSYNC) != 0 ? "FUA write" : "write";
            case OP_FSYNC: return "fdatasync";
            case OP_OPENAT: return "open";
            case OP_CLOSE: return "close";
            case OP_FALLOCATE: return "fallocate";
            default: return "op " + opcode;
        }
    }
}
