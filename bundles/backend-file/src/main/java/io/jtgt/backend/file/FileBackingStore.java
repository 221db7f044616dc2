package io.jtgt.backend.file;

import io.jtgt.scsi.spi.AllocationRun;
import io.jtgt.scsi.spi.BackingStore;
import io.jtgt.scsi.spi.BackingStoreException;
import io.jtgt.scsi.spi.BackingStoreException.Kind;
import io.jtgt.scsi.spi.Capabilities;
import io.jtgt.scsi.spi.IoCallback;
import io.jtgt.scsi.spi.IoFuture;
import io.netty.buffer.ByteBuf;
import io.netty.util.Recycler;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Path;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Executor;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Consumer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A flat file as a {@link BackingStore}: positional {@link FileChannel} reads and writes, run on
 * the provider's I/O pool so the caller (possibly a Netty event loop) never blocks on the disk.
 * A small read the page cache holds entirely is done on the caller's thread instead, with a read
 * that cannot block (preadv2 RWF_NOWAIT, through JNA).
 *
 * <p>FUA writes go through a second channel opened with {@code DSYNC} (O_DSYNC): the kernel then
 * makes just that write's range durable before pwrite returns, whereas {@code force(false)}
 * (fdatasync) after the write would also flush every other dirty page of the file that
 * concurrent non-FUA writes left behind. {@link #flush()} (SYNCHRONIZE CACHE) is fdatasync.
 */
final class FileBackingStore implements BackingStore {

    private static final Logger LOG = LoggerFactory.getLogger(FileBackingStore.class);

    /** One blocking step run on the I/O pool. */
    @FunctionalInterface
    private interface IoTask<T> {
        T run() throws IOException;
    }

    private final Path path;
    private final FileChannel channel;
    private final FileChannel dsyncChannel; // null when read-only
    private final NativeFile nativeFile; // null without JNA
    /** Whether small reads are first tried from the page cache ({@link #readFromCache}). */
    private volatile boolean cachedReads;
    private final Capabilities capabilities;
    private final long blockSize;
    /** Grows with {@link #resize}; read on every command, written on the I/O executor. */
    private volatile long size;
    private final Executor executor;
    private final Consumer<FileBackingStore> onClosed;

    private final AtomicInteger inFlight = new AtomicInteger();
    private final AtomicBoolean closeStarted = new AtomicBoolean();
    private final AtomicBoolean released = new AtomicBoolean();
    private final CompletableFuture<Void> closed = new CompletableFuture<>();
    private volatile boolean closing;

    FileBackingStore(Path path, FileChannel channel, FileChannel dsyncChannel, NativeFile nativeFile,
            Capabilities capabilities, int blockSize, long size, Executor executor,
            Consumer<FileBackingStore> onClosed) {
        this.path = path;
        this.channel = channel;
        this.dsyncChannel = dsyncChannel;
        this.nativeFile = nativeFile;
        this.cachedReads = nativeFile != null && !Boolean.getBoolean("jtgt.file.poolReadsOnly");
        this.capabilities = capabilities;
        this.blockSize = blockSize;
        this.size = size;
        this.executor = executor;
        this.onClosed = onClosed;
    }

    /** Every read goes through the I/O pool (a storage placed on a NUMA node: its pinned threads). */
    void readsOnPoolOnly() {
        cachedReads = false;
    }

    Path path() {
        return path;
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
        if (length < INLINE_READ_LIMIT && cachedReads && readFromCache(offset, dst, length)) {
            done.ioDone(null);
            return;
        }
        start(Transfer.of(this, null, offset, dst, length, done));
    }

    /**
     * Reads below this size are first tried on the caller's thread from the page cache; larger
     * ones go to the pool, where more than one core copies (and an event loop is not held up).
     */
    static final int INLINE_READ_LIMIT = 64 * 1024;

    /**
     * A read the page cache holds entirely, done on the caller's thread (preadv2 RWF_NOWAIT never
     * waits for the disk, so an event loop may do it): no hop to the pool and back, which at low
     * queue depth wakes a sleeping thread twice per command. False when any of it is not cached,
     * at EOF, or on any trouble: the pool then reads it whole, as before.
     */
    private boolean readFromCache(long offset, ByteBuf dst, int length) {
        if (!dst.hasMemoryAddress()) {
            return false; // a heap or composite buffer: the pool's path
        }
        if (!begin()) { // counted in flight: close() waits for it, so the descriptor stays open meanwhile
            return false;
        }
        try {
            int start = dst.writerIndex();
            int n = nativeFile.calls().readCached(nativeFile.fd(), dst.memoryAddress() + start, length, offset);
            if (n != length) {
                return false;
            }
            dst.writerIndex(start + length);
            return true;
        } catch (UnsupportedOperationException | LinkageError e) { // no RWF_NOWAIT here, or no JNA binding
            cachedReads = false;
            LOG.info("{}: every read goes through the I/O pool ({})", path, e.toString());
            return false;
        } catch (IOException | RuntimeException e) {
            return false; // the pool's read reports what is wrong
        } finally {
            finishOne();
        }
    }

    /** The pool's part of a read: fills {@code dst} from its writer index. */
    private void readInto(long offset, ByteBuf dst, int length) throws IOException {
        int start = dst.writerIndex();
        int done = owned(dst)
                ? readFully(offset, dst.internalNioBuffer(start, length))
                : readFully(offset, dst.nioBuffers(start, length));
        if (done < length) {
            dst.setZero(start + done, length - done); // past EOF of a short file: zeros, like a hole
        }
        dst.writerIndex(start + length);
    }

    /**
     * Whether {@code buf} is one plain buffer of its own (not a slice or composite): then its
     * internal NIO view serves the I/O, instead of a new ByteBuffer per call. A slice's internal
     * view would be its parent's, which the event loop may be using at the same moment.
     */
    private static boolean owned(ByteBuf buf) {
        return buf.unwrap() == null && buf.nioBufferCount() == 1;
    }

    /** Reads until the buffers are full or EOF; returns the bytes read. */
    private int readFully(long offset, ByteBuffer[] targets) throws IOException {
        int done = 0;
        for (ByteBuffer target : targets) {
            done += readFully(offset + done, target);
            if (target.hasRemaining()) {
                break; // EOF
            }
        }
        return done;
    }

    /** Fills {@code target} from {@code offset}, or up to EOF; returns the bytes read. */
    private int readFully(long offset, ByteBuffer target) throws IOException {
        long position = offset;
        while (target.hasRemaining()) {
            int n = channel.read(target, position); // positional: no shared file pointer
            if (n < 0) {
                break;
            }
            position += n;
        }
        return (int) (position - offset);
    }

    @Override
    public CompletableFuture<Void> write(long offset, ByteBuf src, boolean forceUnitAccess) {
        IoFuture result = new IoFuture();
        write(offset, src, forceUnitAccess, result);
        return result;
    }

    @Override
    public void write(long offset, ByteBuf src, boolean forceUnitAccess, IoCallback done) {
        if (dsyncChannel == null) {
            done.ioDone(new BackingStoreException(Kind.UNSUPPORTED,
                    "write to " + path + " refused: the store is read-only"));
            return;
        }
        start(Transfer.of(this, forceUnitAccess ? dsyncChannel : channel, offset, src, src.readableBytes(), done));
    }

    /** The pool's part of a write: all readable bytes of {@code src}, its reader index unmoved. */
    private static void writeFrom(FileChannel target, long offset, ByteBuf src) throws IOException {
        if (owned(src)) {
            writeFully(target, src.internalNioBuffer(src.readerIndex(), src.readableBytes()), offset);
        } else {
            long position = offset;
            for (ByteBuffer source : src.nioBuffers(src.readerIndex(), src.readableBytes())) {
                position = writeFully(target, source, position);
            }
        }
    }

    /**
     * One read or write on the pool, and its report: a single object per I/O where a future, its
     * completion stage and a lambda would be three. Netty's {@link Recycler} keeps the ended ones
     * for the thread that asks for the next (a connection's event loop), though they end on a pool
     * thread, so in steady state an I/O makes none.
     */
    private static final class Transfer implements Runnable {

        private static final Recycler<Transfer> RECYCLER = new Recycler<>() {
            @Override
            protected Transfer newObject(Handle<Transfer> handle) {
                MADE.incrementAndGet();
                return new Transfer(handle);
            }
        };

        /** How many were made so far, in every store (tests check that they are reused). */
        static final AtomicInteger MADE = new AtomicInteger();

        private final Recycler.Handle<Transfer> handle;
        private FileBackingStore store;
        /** Where a write goes (the plain or the O_DSYNC channel); null for a read. */
        private FileChannel target;
        private long offset;
        private ByteBuf buf;
        private int length;
        private IoCallback done;

        private Transfer(Recycler.Handle<Transfer> handle) {
            this.handle = handle;
        }

        static Transfer of(FileBackingStore store, FileChannel target, long offset, ByteBuf buf, int length,
                IoCallback done) {
            Transfer t = RECYCLER.get();
            t.store = store;
            t.target = target;
            t.offset = offset;
            t.buf = buf;
            t.length = length;
            t.done = done;
            return t;
        }

        @Override
        public void run() {
            FileBackingStore on = store;
            IoCallback to = done;
            Throwable failure = null;
            try {
                if (target == null) {
                    on.readInto(offset, buf, length);
                } else {
                    writeFrom(target, offset, buf);
                }
            } catch (Throwable t) {
                failure = target == null
                        ? IoErrors.classify(t, Kind.READ_ERROR, on.path, "read")
                        : IoErrors.classify(t, Kind.WRITE_ERROR, on.path,
                                target == on.dsyncChannel ? "FUA write" : "write");
            }
            recycle(); // before the report, which may start the next I/O on another thread
            try {
                to.ioDone(failure);
            } finally {
                on.finishOne();
            }
        }

        /** The store would not take it (closed, or the pool shut down). */
        void refused(Throwable why) {
            IoCallback to = done;
            recycle();
            to.ioDone(why);
        }

        boolean isRead() {
            return target == null;
        }

        private void recycle() {
            store = null;
            target = null;
            buf = null;
            done = null;
            handle.recycle(this);
        }
    }

    /** How many transfer objects the pool's reads and writes made so far, in every store. */
    static int transfersMade() {
        return Transfer.MADE.get();
    }

    private void start(Transfer transfer) {
        Throwable refused = enqueue(transfer.isRead() ? "read" : "write", transfer);
        if (refused != null) {
            transfer.refused(refused);
        }
    }

    /** Writes all of {@code source} at {@code position}; returns the position after it. */
    private static long writeFully(FileChannel target, ByteBuffer source, long position) throws IOException {
        while (source.hasRemaining()) {
            int n = target.write(source, position);
            if (n <= 0) {
                throw new IOException("positional write made no progress at " + position);
            }
            position += n;
        }
        return position;
    }

    /**
     * Extends the file (ftruncate through {@link RandomAccessFile#setLength}: sparse, the new range
     * reads as zeros). A store that cannot unmap (fully provisioned, or a filesystem without hole
     * punching) also preallocates the new range when JNA is available, as the opener does for a
     * new fully provisioned file. Shrinking is refused: the data past the new end would be lost.
     */
    @Override
    public CompletableFuture<Void> resize(long newSize) {
        long current = size;
        if (newSize < current) {
            return CompletableFuture.failedFuture(new BackingStoreException(Kind.UNSUPPORTED, "shrinking " + path
                    + " from " + current + " to " + newSize + " bytes is refused: the data past the new end would be lost"));
        }
        if (newSize % blockSize != 0) {
            return CompletableFuture.failedFuture(new BackingStoreException(Kind.UNSUPPORTED,
                    "new size " + newSize + " of " + path + " is not a multiple of the block size " + blockSize));
        }
        if (dsyncChannel == null) {
            return CompletableFuture.failedFuture(new BackingStoreException(Kind.UNSUPPORTED,
                    "resize of " + path + " refused: the store is read-only"));
        }
        if (newSize == current) {
            return CompletableFuture.completedFuture(null);
        }
        return submit("resize", Kind.WRITE_ERROR, () -> {
            synchronized (this) { // two resizes in a row: each sees the size the other left
                long before = size;
                if (newSize <= before) {
                    return null;
                }
                try (java.io.RandomAccessFile file = new java.io.RandomAccessFile(path.toFile(), "rw")) {
                    file.setLength(newSize);
                }
                if (nativeFile != null && !capabilities.canUnmap()) {
                    try {
                        nativeFile.calls().allocate(nativeFile.fd(), before, newSize - before);
                    } catch (IOException e) {
                        LOG.warn("{}: the grown range stays sparse: {}", path, e.getMessage());
                    }
                }
                size = newSize;
                LOG.info("Resized {} from {} to {} bytes", path, before, newSize);
                return null;
            }
        });
    }

    @Override
    public CompletableFuture<Void> flush() {
        if (dsyncChannel == null) {
            return CompletableFuture.completedFuture(null); // nothing can be dirty
        }
        return submit("flush", Kind.WRITE_ERROR, () -> {
            channel.force(false); // fdatasync: data and the metadata needed to read it back
            return null;
        });
    }

    @Override
    public CompletableFuture<Void> unmap(long offset, long length) {
        if (!capabilities.canUnmap()) {
            return BackingStore.super.unmap(offset, length);
        }
        return submit("unmap", Kind.WRITE_ERROR, () -> {
            nativeFile.calls().punchHole(nativeFile.fd(), offset, length);
            return null;
        });
    }

    @Override
    public CompletableFuture<AllocationRun> allocation(long offset, long length) {
        if (!capabilities.canReportAllocation()) {
            return CompletableFuture.failedFuture(new BackingStoreException(Kind.UNSUPPORTED,
                    "allocation map of " + path + " not available (no JNA/libc)"));
        }
        return submit("allocation query", Kind.READ_ERROR, () -> allocationRun(offset, length));
    }

    /**
     * The run starting at {@code offset}, in whole blocks: a block counts as mapped when any byte
     * of it is data (SEEK_DATA/SEEK_HOLE work in filesystem blocks, which may be smaller than the
     * LUN's blocks). Each loop step moves past one extent of the file, so the loop ends.
     */
    private AllocationRun allocationRun(long offset, long length) throws IOException {
        long end = Math.min(offset + length, size);
        if (offset >= end) {
            return new AllocationRun(offset, length, false);
        }
        LinuxFileCalls calls = nativeFile.calls();
        int fd = nativeFile.fd();
        long data = calls.seekData(fd, offset);
        long firstDataBlock = data < 0 ? end : alignDown(data);
        if (firstDataBlock > offset) {
            return new AllocationRun(offset, Math.min(firstDataBlock, end) - offset, false);
        }
        long position = data;
        while (true) {
            long hole = calls.seekHole(fd, position);
            long mappedEnd = hole < 0 ? end : alignUp(hole);
            if (mappedEnd >= end) {
                return new AllocationRun(offset, end - offset, true);
            }
            long nextData = calls.seekData(fd, hole);
            long nextDataBlock = nextData < 0 ? end : alignDown(nextData);
            if (nextDataBlock > mappedEnd) { // at least one whole block of hole follows
                return new AllocationRun(offset, mappedEnd - offset, true);
            }
            position = nextData;
        }
    }

    private long alignDown(long value) {
        return value - value % blockSize;
    }

    private long alignUp(long value) {
        return alignDown(value + blockSize - 1);
    }

    @Override
    public CompletableFuture<Void> close() {
        if (closeStarted.compareAndSet(false, true)) {
            closing = true;
            if (inFlight.get() == 0) {
                releaseOnPool();
            }
        }
        return closed;
    }

    /**
     * Runs {@code task} on the I/O pool; the future completes with its result or with a
     * classified {@link BackingStoreException}, never with a CompletionException wrapper.
     */
    private <T> CompletableFuture<T> submit(String operation, Kind failureKind, IoTask<T> task) {
        CompletableFuture<T> result = new CompletableFuture<>();
        Throwable refused = enqueue(operation, () -> {
            try {
                result.complete(task.run());
            } catch (Throwable t) {
                result.completeExceptionally(IoErrors.classify(t, failureKind, path, operation));
            } finally {
                finishOne();
            }
        });
        if (refused != null) {
            result.completeExceptionally(refused);
        }
        return result;
    }

    /**
     * Counts {@code io} in flight and hands it to the pool, which then runs it (it ends with
     * {@link #finishOne}); returns why not instead when the store is closing or the pool is shut
     * down.
     */
    private Throwable enqueue(String operation, Runnable io) {
        if (!begin()) {
            return new BackingStoreException(Kind.UNAVAILABLE, path + " is closed");
        }
        try {
            executor.execute(io);
            return null;
        } catch (RejectedExecutionException e) {
            finishOne();
            return new BackingStoreException(Kind.UNAVAILABLE,
                    operation + " on " + path + " refused: the file backend is shut down", e);
        }
    }

    /** Counts one I/O in flight; false (and not counted) once the store is closing. */
    private boolean begin() {
        inFlight.incrementAndGet();
        if (closing) {
            finishOne();
            return false;
        }
        return true;
    }

    private void finishOne() {
        if (inFlight.decrementAndGet() == 0 && closing) {
            release();
        }
    }

    private void releaseOnPool() {
        try {
            executor.execute(this::release);
        } catch (RejectedExecutionException e) {
            release();
        }
    }

    /** Persists the volatile cache and closes every descriptor; runs once, after the last I/O. */
    private void release() {
        if (!released.compareAndSet(false, true)) {
            return;
        }
        Throwable failure = null;
        try {
            if (dsyncChannel != null) {
                channel.force(false); // a removed LUN leaves no acknowledged write in the page cache only
            }
        } catch (IOException e) {
            failure = e;
        }
        failure = closeQuietly(channel, failure);
        failure = closeQuietly(dsyncChannel, failure);
        if (nativeFile != null) {
            nativeFile.close();
        }
        onClosed.accept(this);
        if (failure == null) {
            LOG.debug("Closed {}", path);
            closed.complete(null);
        } else {
            LOG.warn("Closing {} failed: {}", path, failure.toString());
            closed.completeExceptionally(IoErrors.classify(failure, Kind.WRITE_ERROR, path, "close"));
        }
    }

    private static Throwable closeQuietly(FileChannel toClose, Throwable earlier) {
        if (toClose == null) {
            return earlier;
        }
        try {
            toClose.close();
            return earlier;
        } catch (IOException e) {
            return earlier != null ? earlier : e;
        }
    }

    @Override
    public String toString() {
        return "FileBackingStore[" + path + ", " + size + " bytes, " + capabilities + "]";
    }
}
