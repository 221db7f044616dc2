package io.jtgt.scsi.core;

import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.Iterator;
import java.util.List;
import java.util.concurrent.CompletableFuture;

/**
 * Asynchronous locks on LBA ranges of one logical unit, for commands that must be atomic over
 * their blocks (COMPARE AND WRITE, SBC-3 5.2; WRITE ATOMIC, SBC-4 4.29). Exclusive holders
 * exclude every overlapping holder; shared holders (plain READ and WRITE while an atomic write is
 * active, see {@link AtomicWriteGate}) exclude only exclusive ones. Commands on disjoint ranges
 * never wait for each other; nobody blocks a thread: {@link #lock} returns a future that completes
 * when the range is free. Waiters are served in arrival order among overlapping ranges.
 */
public final class RangeLocks {

    /** A held range; {@link #release()} it exactly once. */
    public final class Held {
        private final long first;
        private final long end;
        private final boolean shared;

        private Held(long first, long end, boolean shared) {
            this.first = first;
            this.end = end;
            this.shared = shared;
        }

        public void release() {
            RangeLocks.this.release(this);
        }

        private boolean conflicts(long f, long e, boolean otherShared) {
            return first < e && f < end && !(shared && otherShared);
        }
    }

    private record Waiter(long first, long end, boolean shared, CompletableFuture<Held> future) {}

    private final List<Held> held = new ArrayList<>();
    private final Deque<Waiter> waiting = new ArrayDeque<>();

    /** Locks blocks {@code [lba, lba + blocks)} exclusively. */
    public CompletableFuture<Held> lock(long lba, long blocks) {
        return lock(lba, blocks, false);
    }

    /** Locks blocks {@code [lba, lba + blocks)} shared with other shared holders. */
    public CompletableFuture<Held> lockShared(long lba, long blocks) {
        return lock(lba, blocks, true);
    }

    private CompletableFuture<Held> lock(long lba, long blocks, boolean shared) {
        long end = lba + Math.max(1, blocks);
        CompletableFuture<Held> granted;
        synchronized (this) {
            if (conflicts(lba, end, shared, null)) {
                CompletableFuture<Held> f = new CompletableFuture<>();
                waiting.add(new Waiter(lba, end, shared, f));
                return f;
            }
            Held h = new Held(lba, end, shared);
            held.add(h);
            granted = CompletableFuture.completedFuture(h);
        }
        return granted;
    }

    private boolean conflicts(long first, long end, boolean shared, Waiter upTo) {
        for (Held h : held) {
            if (h.conflicts(first, end, shared)) {
                return true;
            }
        }
        for (Waiter w : waiting) {
            if (w == upTo) {
                break;
            }
            if (w.first < end && first < w.end && !(w.shared && shared)) {
                return true;
            }
        }
        return false;
    }

    private void release(Held h) {
        List<Runnable> grants = new ArrayList<>();
        synchronized (this) {
            if (!held.remove(h)) {
                return;
            }
            for (Iterator<Waiter> it = waiting.iterator(); it.hasNext(); ) {
                Waiter w = it.next();
                if (!conflicts(w.first, w.end, w.shared, w)) {
                    it.remove();
                    Held g = new Held(w.first, w.end, w.shared);
                    held.add(g);
                    grants.add(() -> w.future.complete(g));
                }
            }
        }
        grants.forEach(Runnable::run); // complete outside the monitor: continuations run here
    }

    synchronized int heldCount() {
        return held.size();
    }
}
