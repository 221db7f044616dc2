package io.jtgt.backend.iouring;

import io.jtgt.scsi.spi.BackingStore;
import io.jtgt.scsi.spi.BackingStoreException;
import io.jtgt.scsi.spi.BackingStoreException.Kind;
import io.jtgt.scsi.spi.Capabilities;
import io.jtgt.scsi.spi.IoCallback;
import io.jtgt.scsi.spi.IoFuture;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufAllocator;
import io.netty.channel.IoEventLoop;
import io.netty.util.concurrent.EventExecutor;
import io.netty.util.concurrent.Future;
import io.netty.util.concurrent.GenericFutureListener;
import io.netty.util.internal.ThreadExecutorMap;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Consumer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * An image file served through io_uring: READ/WRITE/FSYNC/FALLOCATE SQEs on the provider's rings
 * (one {@link RingFile} per ring, ops spread round-robin so large buffered copies use more than
 * one core). The caller's direct buffer is the I/O buffer; heap, composite or (with O_DIRECT)
 * misaligned buffers go through a pooled bounce buffer.
 *
 * <p>Ordering: io_uring does not order SQEs, so {@link #flush()} first waits for every write in
 * flight when it is called, then issues fdatasync (SBC-3 5.20 SYNCHRONIZE CACHE covers writes
 * already completed; waiting for in-flight ones too is stricter and cheap). FUA writes carry
 * RWF_DSYNC: that write alone is durable when its CQE arrives (SBC-3 5.40 FUA).
 */
final class IoUringBackingStore implements BackingStore {

    private static final Logger LOG = LoggerFactory.getLogger(IoUringBackingStore.class);

    /** O_DIRECT wants memory aligned to the device's logical block; 4 KiB satisfies all of them. */
    static final int DIRECT_ALIGNMENT = 4096;
    static final int FALLOC_FL_KEEP_SIZE = 0x01;
    static final int FALLOC_FL_PUNCH_HOLE = 0x02;

    private final Path path;
    private final int fd;
    private final RingFile[] rings;
    private final boolean direct;
    private final boolean readOnly;
    private final long size;
    private final Capabilities capabilities;
    private final ByteBufAllocator allocator;
    private final Consumer<IoUringBackingStore> onClosed;

    private final boolean asyncLargeTransfers = !Boolean.getBoolean("jtgt.iouring.inlineLargeTransfers");
    private final AtomicInteger nextRing = new AtomicInteger();
    /**
     * This store's handle on each io_uring event loop that submitted to it: the provider's rings,
     * and the loops of iSCSI connections that run on io_uring. Ops go to the current thread's loop
     * when it is one, so the command's own loop reads the file and sends the answer, with no hop.
     */
    private final ConcurrentHashMap<EventExecutor, RingFile> loopRings = new ConcurrentHashMap<>();
    private final int queueDepth;
    /** For each connection loop in {@link #loopRings}: the listener that drops it when the loop ends. */
    private final ConcurrentHashMap<EventExecutor, GenericFutureListener<Future<Object>>> loopEnds =
            new ConcurrentHashMap<>();
    /** False for a storage placed on a NUMA node: its I/O stays on the rings pinned there. */
    private final boolean onCallerLoops;
    /**
     * The writes in flight, linked through their own fields so that a write adds no node object;
     * guarded by itself. A flush waits for what is on it.
     */
    private final Object writesInFlight = new Object();
    private Transfer firstWrite;
    private final AtomicInteger inFlight = new AtomicInteger();
    private final AtomicInteger transfersMade = new AtomicInteger();
    private final AtomicBoolean closeStarted = new AtomicBoolean();
    private final AtomicBoolean released = new AtomicBoolean();
    private final CompletableFuture<Void> closed = new CompletableFuture<>();
    private volatile boolean closing;

    IoUringBackingStore(Path path, int fd, RingFile[] rings, int queueDepth, boolean direct, boolean readOnly,
            long size, boolean canUnmap, ByteBufAllocator allocator, boolean onCallerLoops,
            Consumer<IoUringBackingStore> onClosed) {
        this.path = path;
        this.fd = fd;
        this.rings = rings;
        this.queueDepth = queueDepth;
        this.onCallerLoops = onCallerLoops;
        for (RingFile ring : rings) {
            loopRings.put(ring.loop(), ring);
        }
        this.direct = direct;
        this.readOnly = readOnly;
        this.size = size;
        this.capabilities = new Capabilities(canUnmap, canUnmap, false, !readOnly, 0, 1);
        this.allocator = allocator;
        this.onClosed = onClosed;
    }

    boolean direct() {
        return direct;
    }

    /** The most ops any of this store's rings held at once. */
    int peakInRing() {
        int peak = 0;
        for (RingFile ring : loopRings.values()) {
            peak = Math.max(peak, ring.peakInRing());
        }
        return peak;
    }

    /** The loops this store has a handle on (its rings, and connection loops that submitted to it). */
    int loopCount() {
        return loopRings.size();
    }

    @Override
    public long size() {
        return size;
    }

    @Override
    public Capabilities capabilities() {
        return capabilities;
    }

    @Override
    public CompletableFuture<Void> read(long offset, ByteBuf dst, int length) {
        IoFuture result = new IoFuture();
        read(offset, dst, length, result);
        return result;
    }

    @Override
    public void read(long offset, ByteBuf dst, int length, IoCallback done) {
        if (dst.writableBytes() < length) {
            done.ioDone(new IllegalArgumentException(
                    "read of " + length + " bytes into a buffer with " + dst.writableBytes() + " writable"));
            return;
        }
        if (!begin()) {
            done.ioDone(closedError());
            return;
        }
        int start = dst.writerIndex();
        ByteBuf bounce = null;
        int bounceOffset = 0;
        long address;
        if (dst.hasMemoryAddress() && usable(dst.memoryAddress() + start)) {
            address = dst.memoryAddress() + start;
        } else {
            bounce = bounce(length);
            bounceOffset = alignmentOffset(bounce);
            address = bounce.memoryAddress() + bounceOffset;
        }
        RingFile ring = ring();
        Transfer op = transferOn(ring);
        op.read(offset, address, length, dst, start, bounceOffset, done);
        op.owned = bounce;
        op.sqeFlags = sqeFlags(length);
        ring.submit(op);
    }

    @Override
    public CompletableFuture<Void> write(long offset, ByteBuf src, boolean forceUnitAccess) {
        IoFuture result = new IoFuture();
        write(offset, src, forceUnitAccess, result);
        return result;
    }

    @Override
    public void write(long offset, ByteBuf src, boolean forceUnitAccess, IoCallback done) {
        if (readOnly) {
            done.ioDone(new BackingStoreException(Kind.UNSUPPORTED,
                    "write to " + path + " refused: the store is read-only"));
            return;
        }
        if (!begin()) {
            done.ioDone(closedError());
            return;
        }
        int length = src.readableBytes();
        long address;
        ByteBuf bounce = null;
        if (src.hasMemoryAddress() && usable(src.memoryAddress() + src.readerIndex())) {
            address = src.memoryAddress() + src.readerIndex();
        } else {
            bounce = bounce(length);
            int at = alignmentOffset(bounce);
            bounce.setBytes(at, src, src.readerIndex(), length);
            address = bounce.memoryAddress() + at;
        }
        RingFile ring = ring();
        Transfer op = transferOn(ring);
        op.write(offset, address, length, forceUnitAccess ? RingOp.RWF_DSYNC : 0, src, done);
        op.owned = bounce;
        op.sqeFlags = sqeFlags(length);
        linkWrite(op);
        ring.submit(op);
    }

    private void linkWrite(Transfer write) {
        synchronized (writesInFlight) {
            write.previousWrite = null;
            write.nextWrite = firstWrite;
            if (firstWrite != null) {
                firstWrite.previousWrite = write;
            }
            firstWrite = write;
        }
    }

    private void unlinkWrite(Transfer write) {
        synchronized (writesInFlight) {
            if (write.previousWrite != null) {
                write.previousWrite.nextWrite = write.nextWrite;
            } else if (firstWrite == write) {
                firstWrite = write.nextWrite;
            }
            if (write.nextWrite != null) {
                write.nextWrite.previousWrite = write.previousWrite;
            }
            write.previousWrite = null;
            write.nextWrite = null;
        }
    }

    /** A spare op of {@code ring} when on its loop (where ops end and are kept), else a new one. */
    private Transfer transferOn(RingFile ring) {
        if (ring.loop().inEventLoop()) {
            RingOp spare = ring.spare();
            if (spare != null) {
                return (Transfer) spare; // a RingFile is one store's: only this store's Transfers are there
            }
        }
        transfersMade.incrementAndGet();
        return new Transfer(ring);
    }

    /** How many op objects reads and writes made so far (tests check that they are reused). */
    int transfersMade() {
        return transfersMade.get();
    }

    /**
     * One read or write on a ring and its report to the caller: a single object per I/O, where a
     * future for the ring, a future for the caller and the stage between them would be five. Once
     * it ended it goes back to its ring's spares, so in steady state an I/O makes none.
     */
    private final class Transfer extends RingOp {

        /** The ring it was made for, whose spares it returns to. */
        private final RingFile home;
        /** The caller's buffer: filled from {@link #start} by a read, the source of a write. */
        private ByteBuf buf;
        private int start;
        /** Where in the bounce buffer ({@link RingOp#owned}) a read's data begins. */
        private int copyFrom;
        private IoCallback caller;
        // guarded by this: the flushes that wait for this write, and whether it ended (true while
        // it is a spare or a read). A write leaves writesInFlight before it is over, so a flush
        // that finds it there either waits for it or learns it ended just now.
        private List<Runnable> flushes;
        private boolean over = true;
        /** Its neighbours on the list of writes in flight; guarded by {@link #writesInFlight}. */
        private Transfer previousWrite;
        private Transfer nextWrite;

        Transfer(RingFile home) {
            super(OP_READ, IoUringBackingStore.this.fd, 0, 0, 0, 0);
            this.home = home;
        }

        void read(long offset, long address, int length, ByteBuf dst, int start, int copyFrom, IoCallback caller) {
            reuse(OP_READ, offset, address, length, 0);
            this.buf = dst;
            this.start = start;
            this.copyFrom = copyFrom;
            this.caller = caller;
        }

        void write(long offset, long address, int length, int rwFlags, ByteBuf src, IoCallback caller) {
            reuse(OP_WRITE, offset, address, length, rwFlags);
            this.buf = src;
            this.start = 0;
            this.copyFrom = 0;
            this.caller = caller;
            synchronized (this) {
                over = false;
                flushes = null;
            }
        }

        /** Back to the spares once nothing refers to it (the ring released its slot or never had it). */
        private void spare() {
            buf = null;
            caller = null;
            if (home.loop().inEventLoop()) {
                home.spare(this);
            }
        }

        @Override
        void ended(int moved, Throwable failure) {
            if (opcode == OP_READ) {
                readEnded(moved, failure);
            } else {
                writeEnded(failure);
            }
        }

        private void readEnded(int moved, Throwable failure) {
            Throwable error = null;
            try {
                if (failure != null) {
                    error = IoErrors.classify(failure, Kind.READ_ERROR, path, "read");
                } else {
                    if (owned != null) {
                        buf.setBytes(start, owned, copyFrom, moved);
                    }
                    if (moved < length) {
                        buf.setZero(start + moved, length - moved); // past EOF of a short file: zeros, like a hole
                    }
                    buf.writerIndex(start + length);
                }
            } catch (Throwable t) {
                error = IoErrors.classify(t, Kind.READ_ERROR, path, "read");
            }
            releaseOwned(this);
            IoCallback to = caller;
            try {
                to.ioDone(error);
            } finally {
                end();
            }
            spare();
        }

        private void writeEnded(Throwable failure) {
            unlinkWrite(this);
            releaseOwned(this);
            List<Runnable> waiting;
            synchronized (this) {
                over = true;
                waiting = flushes;
            }
            IoCallback to = caller;
            try {
                to.ioDone(failure == null ? null : IoErrors.classify(failure, Kind.WRITE_ERROR, path, opName()));
            } finally {
                end();
                if (waiting != null) {
                    waiting.forEach(Runnable::run);
                }
            }
            spare();
        }

        /** {@code flush} runs once this write ended; false (and it is not kept) if it already has. */
        synchronized boolean awaitedBy(Runnable flush) {
            if (over) {
                return false;
            }
            if (flushes == null) {
                flushes = new ArrayList<>(2);
            }
            flushes.add(flush);
            return true;
        }
    }

    @Override
    public CompletableFuture<Void> flush() {
        if (readOnly) {
            return CompletableFuture.completedFuture(null); // nothing can be dirty
        }
        if (!begin()) {
            return closedFailure();
        }
        CompletableFuture<Void> result = new CompletableFuture<>();
        fdatasyncAfterWrites().whenComplete((v, failure) -> {
            end();
            if (failure != null) {
                result.completeExceptionally(IoErrors.classify(failure, Kind.WRITE_ERROR, path, "flush"));
            } else {
                result.complete(null);
            }
        });
        return result;
    }

    /**
     * fdatasync issued only once every write in flight now has ended (io_uring does not order
     * SQEs); a failed write was already reported to its caller, the sync covers the rest.
     */
    private CompletableFuture<Integer> fdatasyncAfterWrites() {
        CompletableFuture<Void> covered = new CompletableFuture<>();
        AtomicInteger pending = new AtomicInteger(1); // 1: this method's own share, dropped last
        Runnable oneEnded = () -> {
            if (pending.decrementAndGet() == 0) {
                covered.complete(null);
            }
        };
        synchronized (writesInFlight) {
            // a write ending meanwhile waits here to unlink itself: it is either gone or runs oneEnded
            for (Transfer write = firstWrite; write != null; write = write.nextWrite) {
                pending.incrementAndGet();
                if (!write.awaitedBy(oneEnded)) {
                    oneEnded.run();
                }
            }
        }
        oneEnded.run();
        return covered.thenCompose(v -> {
            FutureOp sync = new FutureOp(RingOp.OP_FSYNC, fd, 0, 0, 0, RingOp.FSYNC_DATASYNC);
            ring().submit(sync);
            return sync.result;
        });
    }

    @Override
    public CompletableFuture<Void> unmap(long offset, long length) {
        if (!capabilities.canUnmap()) {
            return BackingStore.super.unmap(offset, length);
        }
        if (!begin()) {
            return closedFailure();
        }
        CompletableFuture<Void> result = new CompletableFuture<>();
        punchHole(ring(), fd, offset, length).whenComplete((n, failure) -> {
            end();
            if (failure != null) {
                result.completeExceptionally(IoErrors.classify(failure, Kind.WRITE_ERROR, path, "unmap"));
            } else {
                result.complete(null);
            }
        });
        return result;
    }

    /** IORING_OP_FALLOCATE: off = offset, addr = length, len = mode. */
    static CompletableFuture<Integer> punchHole(RingFile ring, int fd, long offset, long length) {
        FutureOp op = new FutureOp(RingOp.OP_FALLOCATE, fd, offset, length,
                FALLOC_FL_PUNCH_HOLE | FALLOC_FL_KEEP_SIZE, 0);
        ring.submit(op);
        return op.result;
    }

    @Override
    public CompletableFuture<Void> close() {
        if (closeStarted.compareAndSet(false, true)) {
            closing = true;
            if (inFlight.get() == 0) {
                release();
            }
        }
        return closed;
    }

    private boolean begin() {
        inFlight.incrementAndGet();
        if (closing) {
            end();
            return false;
        }
        return true;
    }

    private void end() {
        if (inFlight.decrementAndGet() == 0 && closing) {
            release();
        }
    }

    private <T> CompletableFuture<T> closedFailure() {
        return CompletableFuture.failedFuture(closedError());
    }

    private BackingStoreException closedError() {
        return new BackingStoreException(Kind.UNAVAILABLE, path + " is closed");
    }

    /** After the last I/O: persist the volatile cache, close the descriptor through the ring, leave the rings. */
    private void release() {
        if (!released.compareAndSet(false, true)) {
            return;
        }
        CompletableFuture<Integer> synced = readOnly
                ? CompletableFuture.completedFuture(0)
                : fdatasyncAfterWrites();
        synced.handle((v, syncFailure) -> {
            FutureOp closeOp = new FutureOp(RingOp.OP_CLOSE, fd, 0, 0, 0, 0);
            rings[0].submit(closeOp);
            closeOp.result.whenComplete((r, closeFailure) -> {
                for (RingFile ring : loopRings.values()) {
                    ring.closeOnLoop();
                }
                // a long-lived connection loop must not keep this closed store reachable
                loopEnds.forEach((loop, forget) -> loop.terminationFuture().removeListener(forget));
                loopEnds.clear();
                onClosed.accept(this);
                Throwable failure = syncFailure != null ? syncFailure : closeFailure;
                if (failure == null) {
                    LOG.debug("Closed {}", path);
                    closed.complete(null);
                } else {
                    LOG.warn("Closing {} failed: {}", path, failure.toString());
                    closed.completeExceptionally(IoErrors.classify(failure, Kind.WRITE_ERROR, path, "close"));
                }
            });
            return null;
        });
    }

    private RingFile ring() {
        RingFile here = ringOfCurrentLoop();
        if (here != null) {
            return here;
        }
        if (rings.length == 1) {
            return rings[0];
        }
        return rings[Math.floorMod(nextRing.getAndIncrement(), rings.length)];
    }

    /**
     * The handle on the current thread's io_uring loop, registered at its first op; null on any
     * other thread (an epoll or NIO loop, a pool thread), which then hops to one of our rings.
     */
    private RingFile ringOfCurrentLoop() {
        EventExecutor current = onCallerLoops ? ThreadExecutorMap.currentExecutor() : null;
        if (current == null) {
            return null;
        }
        RingFile known = loopRings.get(current);
        if (known != null || !(current instanceof IoEventLoop loop) || !loop.isCompatible(RingFile.class)
                || loop.isShuttingDown()) {
            return known;
        }
        RingFile registered = RingFile.registerHere(loop, queueDepth);
        if (registered != null) {
            loopRings.put(loop, registered);
            // a connection loop that ends takes its handle along (Netty closes it, after its completions)
            GenericFutureListener<Future<Object>> forget = f -> loopRings.remove(loop, registered);
            loopEnds.put(loop, forget);
            loop.terminationFuture().addListener(forget);
        }
        return registered;
    }

    /** Large buffered copies go to io-wq workers (parallel); small ones stay inline (cheapest). */
    private byte sqeFlags(int length) {
        return !direct && asyncLargeTransfers && length >= RingOp.ASYNC_THRESHOLD ? RingOp.IOSQE_ASYNC : 0;
    }

    private boolean usable(long address) {
        return !direct || address % DIRECT_ALIGNMENT == 0;
    }

    private ByteBuf bounce(int length) {
        return allocator.directBuffer(direct ? length + DIRECT_ALIGNMENT : length);
    }

    private int alignmentOffset(ByteBuf bounce) {
        if (!direct) {
            return 0;
        }
        long address = bounce.memoryAddress();
        return (int) ((DIRECT_ALIGNMENT - address % DIRECT_ALIGNMENT) % DIRECT_ALIGNMENT);
    }

    private static void releaseOwned(RingOp op) {
        ByteBuf owned = op.owned;
        if (owned != null) {
            op.owned = null;
            owned.release();
        }
    }

    @Override
    public String toString() {
        return "IoUringBackingStore[" + path + ", " + size + " bytes, " + rings.length + " rings"
                + (direct ? ", O_DIRECT" : "") + ", " + capabilities + "]";
    }
}
