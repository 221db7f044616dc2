package io.jtgt.scsi.core;

import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.Iterator;
import java.util.List;
import java.util.concurrent.CompletableFuture;

/**
 * Asynchronous locks on LBA ranges of one logical unit, for commands that must be atomic over
 * their blocks (COMPARE AND WRITE, SBC-3 5.2). Commands on disjoint ranges never wait for each
 * other; nobody blocks a thread: {@link #lock} returns a future that completes when the range is
 * free. Waiters are served in arrival order among overlapping ranges.
 */
public final class RangeLocks {

    /** A held range; {@link #release()} it exactly once. */
    public final class Held {
        private final long first;
        private final long end;

        private Held(long first, long end) {
            this.first = first;
            this.end = end;
        }

        public void release() {
            RangeLocks.this.release(this);
        }

        private boolean overlaps(long f, long e) {
            return first < e && f < end;
        }
    }

    private record Waiter(long first, long end, CompletableFuture<Held> future) {}

    private final List<Held> held = new ArrayList<>();
    private final Deque<Waiter> waiting = new ArrayDeque<>();

    /** Locks blocks {@code [lba, lba + blocks)}. */
    public CompletableFuture<Held> lock(long lba, long blocks) {
        long end = lba + Math.max(1, blocks);
        CompletableFuture<Held> granted;
        synchronized (this) {
            if (conflicts(lba, end, null)) {
                CompletableFuture<Held> f = new CompletableFuture<>();
                waiting.add(new Waiter(lba, end, f));
                return f;
            }
            Held h = new Held(lba, end);
            held.add(h);
            granted = CompletableFuture.completedFuture(h);
        }
        return granted;
    }

    private boolean conflicts(long first, long end, Waiter upTo) {
        for (Held h : held) {
            if (h.overlaps(first, end)) {
                return true;
            }
        }
        for (Waiter w : waiting) {
            if (w == upTo) {
                break;
            }
            if (w.first < end && first < w.end) {
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
                if (!conflicts(w.first, w.end, w)) {
                    it.remove();
                    Held g = new Held(w.first, w.end);
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
