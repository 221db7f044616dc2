package io.jtgt.backend.s3;

import io.jtgt.scsi.spi.AllocationRun;
import io.jtgt.scsi.spi.BackingStore;
import io.jtgt.scsi.spi.BackingStoreException;
import io.jtgt.scsi.spi.BackingStoreException.Kind;
import io.jtgt.scsi.spi.Capabilities;
import io.netty.buffer.ByteBuf;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Consumer;
import java.util.function.Supplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import software.amazon.awssdk.services.s3.S3Client;

/**
 * A virtual block device stored as fixed-size chunk objects under an S3 prefix.
 *
 * <ul>
 *   <li>A request is split at chunk boundaries; the pieces go out in parallel on the store's pool,
 *       whose {@code s3MaxConcurrency} threads bound the S3 requests in flight for this LUN.
 *   <li>Memory: reads stream into the caller's buffer and whole-chunk writes stream from it; only
 *       a read-modify-write holds a chunk-sized buffer, one per pool thread at most, so the store
 *       never holds more than {@code s3MaxConcurrency × s3ChunkSize} of its own (see
 *       {@link #bufferBytes()}). Data of commands waiting for a thread is the transport's, bounded
 *       by its command window.
 *   <li>A chunk never written has no object and reads as zeros (sparse).
 *   <li>Every write piece holds its chunk's {@link ChunkLocks asynchronous lock}: a partial-chunk
 *       write is a read-modify-write of the whole object, and the lock keeps a concurrent write of
 *       another part of the same chunk from being overwritten by a stale copy. A full-chunk write
 *       skips the read.
 *   <li>No write-back cache: a write completes once S3 acknowledged every PUT it made, so FUA and
 *       SYNCHRONIZE CACHE have nothing left to do.
 * </ul>
 */
final class S3BackingStore implements BackingStore {

    private static final Logger LOG = LoggerFactory.getLogger(S3BackingStore.class);
    /** Keys asked per LIST when mapping allocation: one request describes up to this many chunks. */
    private static final int ALLOCATION_LIST_KEYS = 1000;

    private final S3StorageOptions options;
    private final Geometry geometry;
    private final boolean readOnly;
    private final S3Client client;
    private final ChunkObjects objects;
    private final ExecutorService pool;
    private final Consumer<S3BackingStore> onClosed;
    private final ChunkLocks locks = new ChunkLocks();
    private final Capabilities capabilities;
    private final Gauge bufferBytes = new Gauge();

    private final AtomicInteger inFlight = new AtomicInteger();
    private final AtomicBoolean closeStarted = new AtomicBoolean();
    private final CompletableFuture<Void> closed = new CompletableFuture<>();
    private volatile boolean closing;

    S3BackingStore(S3StorageOptions options, Geometry geometry, boolean readOnly, S3Client client,
            ExecutorService pool, Consumer<S3BackingStore> onClosed) {
        this.options = options;
        this.geometry = geometry;
        this.readOnly = readOnly;
        this.client = client;
        this.objects = new ChunkObjects(client, options);
        this.pool = pool;
        this.onClosed = onClosed;
        // unmap deletes whole-chunk objects and zeroes partial ones: both read back as zeros;
        // the chunk is the natural transfer unit (one request per chunk)
        this.capabilities = new Capabilities(!readOnly, true, true, false, geometry.chunkSize(), 1);
    }

    Geometry geometry() {
        return geometry;
    }

    /** Bytes of read-modify-write buffers held now, and at most (bounded by s3MaxConcurrency × chunk size). */
    Gauge bufferBytes() {
        return bufferBytes;
    }

    /** S3 requests in flight now, and at most (bounded by s3MaxConcurrency). */
    Gauge requestsInFlight() {
        return objects.requestsInFlight();
    }

    @Override
    public long size() {
        return geometry.size();
    }

    @Override
    public Capabilities capabilities() {
        return capabilities;
    }

    @Override
    public CompletableFuture<Void> read(long offset, ByteBuf dst, int length) {
        if (dst.writableBytes() < length) {
            return CompletableFuture.failedFuture(new IllegalArgumentException(
                    "read of " + length + " bytes into a buffer with " + dst.writableBytes() + " writable"));
        }
        int start = dst.writerIndex();
        return operation("read", offset, length, () -> {
            List<CompletableFuture<Void>> pieces = new ArrayList<>();
            forEachPiece(offset, length, (index, inChunk, pieceOffset, pieceLength) ->
                    pieces.add(onPool(() -> { // disjoint ranges of dst: the pieces never overlap
                        objects.readInto(index, inChunk, dst, start + (int) (pieceOffset - offset), pieceLength);
                        return null;
                    }, "read of chunk " + index)));
            return allOf(pieces).thenRun(() -> dst.writerIndex(start + length));
        });
    }

    @Override
    public CompletableFuture<Void> write(long offset, ByteBuf src, boolean forceUnitAccess) {
        if (readOnly) {
            return CompletableFuture.failedFuture(new BackingStoreException(Kind.UNSUPPORTED,
                    "write to " + options.describe() + " refused: the store is read-only"));
        }
        int length = src.readableBytes();
        int srcStart = src.readerIndex();
        // every PUT is acknowledged before the future completes: FUA needs nothing more
        return operation("write", offset, length, () -> {
            List<CompletableFuture<Void>> pieces = new ArrayList<>();
            forEachPiece(offset, length, (index, inChunk, pieceOffset, pieceLength) -> {
                int from = srcStart + (int) (pieceOffset - offset);
                pieces.add(locks.withLock(index, () -> onPool(() -> {
                    int chunkLength = geometry.chunkLength(index);
                    if (pieceLength == chunkLength) { // full chunk: no read, PUT straight from src
                        objects.put(index, src, from, pieceLength);
                        return null;
                    }
                    byte[] chunk = acquireChunk(chunkLength); // SBC: read, patch, write back whole
                    try {
                        objects.readRange(index, 0, chunk, chunkLength);
                        src.getBytes(from, chunk, inChunk, pieceLength);
                        objects.put(index, chunk);
                    } finally {
                        releaseChunk(chunk);
                    }
                    return null;
                }, "write of chunk " + index)));
            });
            return allOf(pieces);
        });
    }

    @Override
    public CompletableFuture<Void> flush() {
        return CompletableFuture.completedFuture(null); // nothing is ever cached: every write was acknowledged by S3
    }

    @Override
    public CompletableFuture<Void> unmap(long offset, long length) {
        if (readOnly) {
            return BackingStore.super.unmap(offset, length);
        }
        return operation("unmap", offset, length, () -> {
            List<CompletableFuture<Void>> pieces = new ArrayList<>();
            forEachPiece(offset, length, (index, inChunk, pieceOffset, pieceLength) ->
                    pieces.add(locks.withLock(index, () -> onPool(() -> {
                        int chunkLength = geometry.chunkLength(index);
                        if (pieceLength == chunkLength) {
                            objects.delete(index); // a whole chunk: its object goes
                            return null;
                        }
                        byte[] chunk = acquireChunk(chunkLength);
                        try {
                            if (!objects.readRange(index, 0, chunk, chunkLength)) {
                                return null; // never written: already zeros
                            }
                            Arrays.fill(chunk, inChunk, inChunk + pieceLength, (byte) 0);
                            if (allZero(chunk)) {
                                objects.delete(index);
                            } else {
                                objects.put(index, chunk);
                            }
                        } finally {
                            releaseChunk(chunk);
                        }
                        return null;
                    }, "unmap of chunk " + index))));
            return allOf(pieces);
        });
    }

    /** A chunk is mapped when its object exists; the run ends at the first chunk that differs. */
    @Override
    public CompletableFuture<AllocationRun> allocation(long offset, long length) {
        return operation("allocation query", offset, 0, () -> onPool(() -> {
            long end = Math.min(offset + length, geometry.size());
            if (offset >= end) {
                return new AllocationRun(offset, length, false);
            }
            long first = geometry.chunkOf(offset);
            long[] written = objects.writtenChunksFrom(first, ALLOCATION_LIST_KEYS);
            if (written.length > 0 && written[0] == first) {
                int run = 1;
                while (run < written.length && written[run] == first + run) {
                    run++;
                }
                return new AllocationRun(offset, Math.min(end, geometry.chunkStart(first + run)) - offset, true);
            }
            long nextWritten = written.length > 0 ? geometry.chunkStart(written[0]) : end;
            return new AllocationRun(offset, Math.min(end, nextWritten) - offset, false);
        }, "allocation query at " + offset));
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

    // ---- plumbing

    @FunctionalInterface
    private interface PieceVisitor {
        void visit(long chunkIndex, int offsetInChunk, long pieceOffset, int pieceLength);
    }

    @FunctionalInterface
    private interface S3Call<T> {
        T run();
    }

    /** Splits {@code [offset, offset+length)} at chunk boundaries. */
    private void forEachPiece(long offset, long length, PieceVisitor visitor) {
        long position = offset;
        long end = offset + length;
        while (position < end) {
            long index = geometry.chunkOf(position);
            int inChunk = (int) (position - geometry.chunkStart(index));
            int pieceLength = (int) Math.min(end - position, geometry.chunkLength(index) - inChunk);
            visitor.visit(index, inChunk, position, pieceLength);
            position += pieceLength;
        }
    }

    /** Checks range and state, counts the operation in flight until it completes. */
    private <T> CompletableFuture<T> operation(String what, long offset, long length,
            Supplier<CompletableFuture<T>> body) {
        if (offset < 0 || length < 0 || offset + length > geometry.size()) {
            return CompletableFuture.failedFuture(new IllegalArgumentException(what + " of " + length + " bytes at "
                    + offset + " is outside the device of " + geometry.size() + " bytes"));
        }
        inFlight.incrementAndGet();
        if (closing) {
            finishOne();
            return CompletableFuture.failedFuture(
                    new BackingStoreException(Kind.UNAVAILABLE, options.describe() + " is closed"));
        }
        CompletableFuture<T> result;
        try {
            result = body.get();
        } catch (RuntimeException e) {
            result = CompletableFuture.failedFuture(e);
        }
        CompletableFuture<T> done = new CompletableFuture<>();
        result.whenComplete((value, error) -> {
            finishOne();
            if (error == null) {
                done.complete(value);
            } else {
                BackingStoreException failure = S3Failures.classify(error, what + " on " + options.describe());
                LOG.debug("{}", failure.getMessage());
                done.completeExceptionally(failure);
            }
        });
        return done;
    }

    private <T> CompletableFuture<T> onPool(S3Call<T> call, String what) {
        CompletableFuture<T> result = new CompletableFuture<>();
        try {
            pool.execute(() -> {
                try {
                    result.complete(call.run());
                } catch (Throwable t) {
                    result.completeExceptionally(S3Failures.classify(t, what + " on " + options.describe()));
                }
            });
        } catch (RejectedExecutionException e) {
            result.completeExceptionally(new BackingStoreException(Kind.UNAVAILABLE,
                    what + " on " + options.describe() + " refused: the store is closed", e));
        }
        return result;
    }

    private static CompletableFuture<Void> allOf(List<CompletableFuture<Void>> pieces) {
        return pieces.size() == 1 ? pieces.get(0) : CompletableFuture.allOf(pieces.toArray(CompletableFuture[]::new));
    }

    /**
     * A chunk-sized buffer for one read-modify-write. Only pool tasks take one, and each at most
     * one at a time, so a store never holds more than {@code s3MaxConcurrency} of them.
     */
    private byte[] acquireChunk(int length) {
        bufferBytes.add(length);
        return new byte[length];
    }

    private void releaseChunk(byte[] chunk) {
        bufferBytes.subtract(chunk.length);
    }

    private static boolean allZero(byte[] bytes) {
        for (byte b : bytes) {
            if (b != 0) {
                return false;
            }
        }
        return true;
    }

    private void finishOne() {
        if (inFlight.decrementAndGet() == 0 && closing) {
            release();
        }
    }

    /** After the last operation: stops the pool and closes the client; runs once. */
    private void release() {
        if (closed.isDone()) {
            return;
        }
        synchronized (closed) {
            if (closed.isDone()) {
                return;
            }
            pool.shutdown();
            try {
                client.close();
            } catch (RuntimeException e) {
                LOG.debug("closing the S3 client of {}: {}", options.describe(), e.toString());
            }
            onClosed.accept(this);
            LOG.debug("Closed {}", options.describe());
            closed.complete(null);
        }
    }

    /** For the provider's shutdown: waits (bounded) for the pool's threads. */
    void awaitThreads(long timeout, TimeUnit unit) throws InterruptedException {
        pool.awaitTermination(timeout, unit);
    }

    @Override
    public String toString() {
        return "S3BackingStore[" + options + ", " + geometry + "]";
    }
}
