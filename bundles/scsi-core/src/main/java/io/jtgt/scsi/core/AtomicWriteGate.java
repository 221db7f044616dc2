package io.jtgt.scsi.core;

import java.util.concurrent.CompletableFuture;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Supplier;

/**
 * Makes WRITE ATOMIC atomic with respect to READ and WRITE (SBC-4 4.29: a reader sees all of an
 * atomic write or none of it; a plain write is ordered wholly before or after it) without making
 * every READ and WRITE pay for a lock while no atomic write is around.
 *
 * <p>Plain commands run lock-free while no atomic write is active. An atomic write first announces
 * itself (new plain commands then take a shared range lock), waits until the lock-free commands
 * already running have finished, then takes an exclusive range lock. Both sides announce before
 * they look at the other's counter (sequentially consistent atomics), so a plain command either
 * sees the announcement or is counted and waited for.
 */
public final class AtomicWriteGate {

    private final RangeLocks locks;
    private final AtomicInteger atomicWrites = new AtomicInteger();
    private final AtomicInteger lockFree = new AtomicInteger();
    /** Completed when the lock-free commands have drained; guarded by this. */
    private CompletableFuture<Void> drained;

    public AtomicWriteGate(RangeLocks locks) {
        this.locks = locks;
    }

    /** Runs a plain READ or WRITE of {@code [lba, lba + blocks)}. */
    public <T> CompletableFuture<T> plain(long lba, long blocks, Supplier<CompletableFuture<T>> op) {
        if (enterLockFree()) {
            return start(op).whenComplete((v, t) -> leaveLockFree());
        }
        return locks.lockShared(lba, blocks).thenCompose(held -> start(op).whenComplete((v, t) -> held.release()));
    }

    /**
     * The admission of {@link #plain} without its stages, for the READ and WRITE hot path: true when
     * no atomic write is around and the caller now runs lock-free, until it calls
     * {@link #leaveLockFree()} once its store operation has completed; false (nothing held) when the
     * caller must go through {@link #plain}.
     */
    public boolean enterLockFree() {
        lockFree.incrementAndGet();
        if (atomicWrites.get() == 0) {
            return true;
        }
        leaveLockFree();
        return false;
    }

    /** Runs an atomic write of {@code [lba, lba + blocks)} alone on its range. */
    public <T> CompletableFuture<T> atomic(long lba, long blocks, Supplier<CompletableFuture<T>> op) {
        atomicWrites.incrementAndGet();
        return drain()
                .thenCompose(v -> locks.lock(lba, blocks))
                .thenCompose(held -> start(op).whenComplete((v, t) -> held.release()))
                .whenComplete((v, t) -> atomicWrites.decrementAndGet());
    }

    /** Ends a lock-free run begun by {@link #enterLockFree()}. */
    public void leaveLockFree() {
        if (lockFree.decrementAndGet() == 0 && atomicWrites.get() > 0) {
            CompletableFuture<Void> d;
            synchronized (this) {
                d = drained;
            }
            if (d != null) {
                d.complete(null);
            }
        }
    }

    private CompletableFuture<Void> drain() {
        CompletableFuture<Void> d;
        synchronized (this) {
            if (drained == null || drained.isDone()) {
                drained = new CompletableFuture<>();
            }
            d = drained;
        }
        if (lockFree.get() == 0) { // checked after publishing: a leaver that saw no waiter left nothing behind
            d.complete(null);
        }
        return d;
    }

    private static <T> CompletableFuture<T> start(Supplier<CompletableFuture<T>> op) {
        try {
            return op.get();
        } catch (RuntimeException e) {
            return CompletableFuture.failedFuture(e);
        }
    }
}
