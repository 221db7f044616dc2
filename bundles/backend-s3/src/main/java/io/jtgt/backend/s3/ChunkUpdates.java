package io.jtgt.backend.s3;

import io.netty.buffer.ByteBuf;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.function.BiFunction;

/**
 * The changes waiting for each chunk, applied one batch at a time per chunk without blocking a
 * thread. While a chunk's batch is being stored, new changes for it queue up; when the batch is
 * acknowledged (or failed) every change still queued goes out together as the next batch: one
 * read-modify-write and one PUT (or DELETE) for all of them, in the order they arrived. A chunk
 * written by many small commands at once (a queue of 4 KiB writes, an UNMAP with hundreds of
 * descriptors) therefore costs a few S3 requests instead of one per command, and two changes of the
 * same chunk can never overwrite each other with a stale copy.
 *
 * <p>Every change completes only when the batch holding it was acknowledged by S3.
 */
final class ChunkUpdates {

    /**
     * One change to a chunk: {@code length} bytes at {@code offset} in the chunk become the bytes of
     * {@code data} at {@code dataIndex}, or zeros when {@code data} is null ({@code unmap}: the chunk
     * may be deallocated when it ends up all zeros).
     */
    record Change(int offset, int length, ByteBuf data, int dataIndex, boolean unmap, CompletableFuture<Void> done) {

        static Change write(int offset, int length, ByteBuf data, int dataIndex) {
            return new Change(offset, length, data, dataIndex, false, new CompletableFuture<>());
        }

        static Change unmap(int offset, int length) {
            return new Change(offset, length, null, 0, true, new CompletableFuture<>());
        }

        boolean covers(int chunkLength) {
            return offset == 0 && length == chunkLength;
        }
    }

    /** Stores one batch of a chunk (on the store's pool); its future completes when S3 acknowledged it. */
    private final BiFunction<Long, List<Change>, CompletableFuture<Void>> store;
    private final Map<Long, ArrayDeque<Change>> queued = new HashMap<>(); // guarded by this
    private final Set<Long> storing = new HashSet<>(); // guarded by this

    ChunkUpdates(BiFunction<Long, List<Change>, CompletableFuture<Void>> store) {
        this.store = store;
    }

    /** Queues {@code change} for chunk {@code index}; returns its completion. */
    CompletableFuture<Void> submit(long index, Change change) {
        boolean start;
        synchronized (this) {
            queued.computeIfAbsent(index, k -> new ArrayDeque<>()).add(change);
            start = storing.add(index);
        }
        if (start) {
            next(index);
        }
        return change.done();
    }

    /** Stores what is queued for {@code index}, then looks again; stops when nothing is left. */
    private void next(long index) {
        List<Change> batch;
        synchronized (this) {
            ArrayDeque<Change> waiting = queued.remove(index);
            if (waiting == null) {
                storing.remove(index);
                return;
            }
            batch = new ArrayList<>(waiting);
        }
        CompletableFuture<Void> stored;
        try {
            stored = store.apply(index, batch);
        } catch (RuntimeException e) {
            stored = CompletableFuture.failedFuture(e);
        }
        stored.whenComplete((v, error) -> {
            for (Change c : batch) {
                if (error == null) {
                    c.done().complete(null);
                } else {
                    c.done().completeExceptionally(error);
                }
            }
            next(index);
        });
    }

    /** Chunks with changes being stored or waiting (for tests and diagnostics). */
    synchronized int activeChunks() {
        return storing.size();
    }
}
