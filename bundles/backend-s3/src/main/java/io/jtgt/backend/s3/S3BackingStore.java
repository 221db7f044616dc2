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
 *   <li>A chunk never written has no object and reads as zeros (sparse); {@link ChunkMap} knows
 *       which chunks may have one, so such reads and GET LBA STATUS cost no request.
 *   <li>Writes and unmaps of a chunk are {@link ChunkUpdates queued per chunk} and stored one batch
 *       at a time: a partial-chunk change is a read-modify-write of the whole object, and changes
 *       arriving while one is stored go out together in the next batch, in arrival order, so no
 *       change overwrites another with a stale copy. A batch ending in a full-chunk write skips the
 *       read and streams the data; an unmap that leaves a chunk all zeros deletes its object.
 *   <li>{@link ChunkCache} keeps the exact content of the last {@code s3ChunkCache} chunks this
 *       store read-modify-wrote (write-through: what S3 acknowledged), so the next change of such a
 *       chunk skips its GET and reads of it are served from memory.
 *   <li>Memory: reads stream into the caller's buffer and whole-chunk writes stream from it; only
 *       a read-modify-write holds a chunk-sized buffer, one per pool thread at most, so the store
 *       holds at most {@code (s3MaxConcurrency + s3ChunkCache) × s3ChunkSize} of its own (see
 *       {@link #bufferBytes()}, {@link #cacheBytes()}). Data of commands waiting for their turn is
 *       the transport's, bounded by its command window.
 *   <li>No write-back cache: a write completes once S3 acknowledged every PUT it is part of, so
 *       FUA and SYNCHRONIZE CACHE have nothing left to do.
 * </ul>
 */
final class S3BackingStore implements BackingStore {

    private static final Logger LOG = LoggerFactory.getLogger(S3BackingStore.class);
    private final S3StorageOptions options;
    private final Geometry geometry;
    private final boolean readOnly;
    private final S3Client client;
    private final ChunkObjects objects;
    private final ExecutorService pool;
    private final Consumer<S3BackingStore> onClosed;
    private final ChunkUpdates updates = new ChunkUpdates(this::storeBatch);
    private final ChunkCache cache;
    private final ChunkMap map;
    private final Capabilities capabilities;
    private final Gauge bufferBytes = new Gauge();

    private final AtomicInteger inFlight = new AtomicInteger();
    private final AtomicBoolean closeStarted = new AtomicBoolean();
    private final CompletableFuture<Void> closed = new CompletableFuture<>();
    private volatile boolean closing;

    S3BackingStore(S3StorageOptions options, Geometry geometry, ChunkMap map, boolean readOnly, S3Client client,
            ExecutorService pool, Consumer<S3BackingStore> onClosed) {
        this.options = options;
        this.geometry = geometry;
        this.map = map;
        this.readOnly = readOnly;
        this.client = client;
        this.objects = new ChunkObjects(client, options);
        this.pool = pool;
        this.onClosed = onClosed;
        this.cache = new ChunkCache(options.cacheChunks());
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

    /** Bytes of chunk content the cache holds now, and at most (bounded by s3ChunkCache × chunk size). */
    Gauge cacheBytes() {
        return cache.bytes();
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
            forEachPiece(offset, length, (index, inChunk, pieceOffset, pieceLength) -> {
                int at = start + (int) (pieceOffset - offset); // disjoint ranges of dst: pieces never overlap
                byte[] known = cache.get(index);
                if (!map.mayExist(index)) { // never written: zeros, no request (and no thread hop)
                    dst.setZero(at, pieceLength);
                } else if (known != null) { // known content: a copy
                    dst.setBytes(at, known, inChunk, pieceLength);
                } else {
                    pieces.add(onPool(() -> {
                        objects.readInto(index, inChunk, dst, at, pieceLength);
                        return null;
                    }, "read of chunk " + index));
                }
            });
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
            forEachPiece(offset, length, (index, inChunk, pieceOffset, pieceLength) -> pieces.add(updates.submit(index,
                    ChunkUpdates.Change.write(inChunk, pieceLength, src, srcStart + (int) (pieceOffset - offset)))));
            return allOf(pieces);
        });
    }

    @Override
    public CompletableFuture<Void> flush() {
        // the ChunkCache is write-through (an entry is set only after S3 acknowledged its PUT) and
        // every write completes only once its PUTs were acknowledged: nothing is left to write back
        return CompletableFuture.completedFuture(null);
    }

    @Override
    public CompletableFuture<Void> unmap(long offset, long length) {
        if (readOnly) {
            return BackingStore.super.unmap(offset, length);
        }
        return operation("unmap", offset, length, () -> {
            List<CompletableFuture<Void>> pieces = new ArrayList<>();
            forEachPiece(offset, length, (index, inChunk, pieceOffset, pieceLength) ->
                    pieces.add(updates.submit(index, ChunkUpdates.Change.unmap(inChunk, pieceLength))));
            return allOf(pieces);
        });
    }

    /** A chunk is mapped when its object may exist ({@link ChunkMap}); no request is needed. */
    @Override
    public CompletableFuture<AllocationRun> allocation(long offset, long length) {
        return operation("allocation query", offset, 0, () -> {
            long end = Math.min(offset + length, geometry.size());
            if (offset >= end) {
                return CompletableFuture.completedFuture(new AllocationRun(offset, length, false));
            }
            long first = geometry.chunkOf(offset);
            long run = map.runFrom(first, geometry.chunkOf(end - 1) + 1);
            long runEnd = Math.min(end, geometry.chunkStart(first + run));
            return CompletableFuture.completedFuture(new AllocationRun(offset, runEnd - offset, map.mayExist(first)));
        });
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

    // ---- storing a chunk's batch of changes

    private CompletableFuture<Void> storeBatch(long index, List<ChunkUpdates.Change> batch) {
        return onPool(() -> {
            storeBatchNow(index, batch);
            return null;
        }, (batch.stream().allMatch(ChunkUpdates.Change::unmap) ? "unmap" : "write") + " of chunk " + index);
    }

    /**
     * One GET at most (none when the cache knows the chunk or a change covers it whole), the
     * changes applied in arrival order, then one PUT, or one DELETE when an unmap left only zeros.
     * A batch whose last change covers the whole chunk needs no buffer: it is PUT straight from
     * that change's data (or DELETEd).
     */
    private void storeBatchNow(long index, List<ChunkUpdates.Change> batch) {
        int chunkLength = geometry.chunkLength(index);
        int last = batch.size() - 1;
        int whole = last;
        while (whole >= 0 && !batch.get(whole).covers(chunkLength)) {
            whole--;
        }
        ChunkUpdates.Change tail = batch.get(last);
        try {
            if (whole == last && tail.unmap()) { // a whole chunk unmapped: its object goes
                delete(index);
                return;
            }
            if (whole == last) {
                cache.forget(index); // streamed, not kept: the cache would need a copy
                map.markWritten(index);
                objects.put(index, tail.data(), tail.dataIndex(), chunkLength);
                return;
            }
            byte[] chunk = acquireChunk(chunkLength);
            try {
                if (whole < 0) {
                    load(index, chunk, chunkLength);
                }
                for (int i = Math.max(whole, 0); i <= last; i++) {
                    apply(batch.get(i), chunk);
                }
                if (batch.stream().anyMatch(ChunkUpdates.Change::unmap) && allZero(chunk)) {
                    delete(index);
                } else {
                    map.markWritten(index);
                    objects.put(index, chunk);
                    cache.put(index, chunk); // the buffer now is the cached copy; never changed again
                }
            } finally {
                releaseChunk(chunk);
            }
        } catch (RuntimeException e) {
            cache.forget(index); // S3 may hold the old or the new content now
            throw e;
        }
    }

    /** The chunk's current content into {@code chunk}: zeros if never written, else from the cache or a GET. */
    private void load(long index, byte[] chunk, int chunkLength) {
        byte[] known = cache.get(index);
        if (!map.mayExist(index)) {
            Arrays.fill(chunk, (byte) 0);
        } else if (known != null) {
            System.arraycopy(known, 0, chunk, 0, chunkLength);
        } else {
            objects.readRange(index, 0, chunk, chunkLength);
        }
    }

    /** The chunk's object goes (if it may exist); unmarked only once S3 acknowledged. */
    private void delete(long index) {
        cache.forget(index);
        if (map.mayExist(index)) {
            objects.delete(index);
            map.markDeleted(index);
        }
    }

    private static void apply(ChunkUpdates.Change change, byte[] chunk) {
        if (change.data() == null) {
            Arrays.fill(chunk, change.offset(), change.offset() + change.length(), (byte) 0);
        } else {
            change.data().getBytes(change.dataIndex(), chunk, change.offset(), change.length());
        }
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
     * one at a time, so a store never holds more than {@code s3MaxConcurrency} of them (besides the
     * cache's {@code s3ChunkCache}).
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
