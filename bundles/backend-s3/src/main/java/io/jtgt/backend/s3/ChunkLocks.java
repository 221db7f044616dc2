package io.jtgt.backend.s3;

import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Supplier;

/**
 * Per-chunk mutual exclusion without blocking a thread: the holders of one chunk form a chain of
 * futures, and each critical section starts when the previous one's future completes. A
 * read-modify-write of a chunk therefore never interleaves with another write of the same chunk,
 * while waiting costs no thread (a waiter is a callback, not a parked thread).
 *
 * <p>The map holds an entry only while someone holds or waits for the chunk.
 */
final class ChunkLocks {

    private final ConcurrentHashMap<Long, CompletableFuture<Void>> tails = new ConcurrentHashMap<>();

    /**
     * Runs {@code section} once every earlier holder of {@code chunk} finished, and releases the
     * chunk when the future it returns completes (normally or not).
     */
    <T> CompletableFuture<T> withLock(long chunk, Supplier<CompletableFuture<T>> section) {
        CompletableFuture<Void> mine = new CompletableFuture<>();
        CompletableFuture<Void>[] previous = new CompletableFuture[1];
        tails.compute(chunk, (k, tail) -> {
            previous[0] = tail;
            return mine;
        });
        CompletableFuture<Void> turn = previous[0] == null ? CompletableFuture.completedFuture(null) : previous[0];
        CompletableFuture<T> result = turn.thenCompose(ignored -> {
            try {
                return section.get();
            } catch (RuntimeException e) {
                return CompletableFuture.failedFuture(e);
            }
        });
        result.whenComplete((value, error) -> {
            tails.remove(chunk, mine); // last in the chain: forget the chunk
            mine.complete(null);
        });
        return result;
    }

    /** Chunks currently held or awaited (for tests and diagnostics). */
    int activeChunks() {
        return tails.size();
    }
}
