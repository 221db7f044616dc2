package io.jtgt.backend.file;

import io.netty.util.internal.PlatformDependent;
import java.util.Queue;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.Executor;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ThreadFactory;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.LockSupport;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The file backend's I/O threads: a fixed-size pool that, unlike {@code ThreadPoolExecutor}, hands
 * a command to a thread without allocating. A {@code LinkedBlockingQueue} makes a node per queued
 * command and a parked worker an AQS condition node per wait: together half of the data path's
 * garbage in a JFR profile of 4 KiB I/O (bench/performance-notes.md). Here commands go into a
 * preallocated array queue (an unbounded linked one takes the excess only when that is full), and
 * idle workers wait on a preallocated stack, parked with {@link LockSupport}.
 *
 * <p>Threads start when a command finds no idle one and fewer than the pool's size run, and leave
 * after {@code idleTimeout} without work, so an unused pool holds none. {@link #shutdown()} runs
 * what is queued, refuses the rest; threads are never interrupted (an interrupt closes a
 * FileChannel for every user of it).
 */
final class FileIoPool implements Executor {

    private static final Logger LOG = LoggerFactory.getLogger(FileIoPool.class);

    /** More than any queue depth a set of sessions can offer (their CmdSN windows), before overflow. */
    static final int QUEUE_CAPACITY = 16 * 1024;

    private final Queue<Runnable> queue = PlatformDependent.newFixedMpmcQueue(QUEUE_CAPACITY);
    private final Queue<Runnable> overflow = new ConcurrentLinkedQueue<>();
    private final ThreadFactory threads;
    private final long idleTimeoutNanos;

    /** Guards the idle stack, {@link #live}, {@link #size} changes and termination. */
    private final Object lock = new Object();
    private Worker[] idle;
    private int idleCount;
    /** Written under the lock; read without it where a stale value only delays a check. */
    private volatile int live;
    private volatile int size;
    private volatile boolean shutdown;

    FileIoPool(int size, long idleTimeout, TimeUnit unit, ThreadFactory threads) {
        this.size = requireSize(size);
        this.idle = new Worker[size];
        this.idleTimeoutNanos = unit.toNanos(idleTimeout);
        this.threads = threads;
    }

    @Override
    public void execute(Runnable command) {
        if (shutdown) {
            throw new RejectedExecutionException("file I/O pool is shut down");
        }
        // Once commands overflow, later ones follow them there, so dispatch stays first-come.
        if (!overflow.isEmpty() || !queue.offer(command)) {
            overflow.add(command);
        }
        wakeOrStartOne();
    }

    /**
     * Hands queued work to an idle thread or a new one. The worker publishes itself idle before it
     * looks at the queue once more, and this runs after the command is queued: under the lock one
     * of them sees the other, so no command waits while a thread sleeps.
     */
    private void wakeOrStartOne() {
        Worker sleeper = null;
        boolean start = false;
        synchronized (lock) {
            if (idleCount > 0) {
                sleeper = removeIdleAt(idleCount - 1);
                sleeper.woken = true;
            } else if (live < size) { // also after shutdown: a command that slipped in still runs
                live++;
                start = true;
            }
        }
        if (sleeper != null) {
            LockSupport.unpark(sleeper.thread);
        } else if (start) {
            startWorker();
        }
    }

    private void startWorker() {
        Worker worker = new Worker();
        try {
            worker.thread = threads.newThread(worker);
            worker.thread.start();
        } catch (Throwable t) { // out of threads: the running ones still drain the queue
            synchronized (lock) {
                live--;
                lock.notifyAll();
            }
            LOG.warn("Could not start a file I/O thread: {}", t.toString());
        }
    }

    private Runnable poll() {
        Runnable next = queue.poll();
        return next != null ? next : overflow.poll();
    }

    private boolean hasWork() {
        return !queue.isEmpty() || !overflow.isEmpty();
    }

    private static int requireSize(int size) {
        if (size < 1) {
            throw new IllegalArgumentException("size must be at least 1, was " + size);
        }
        return size;
    }

    /** Sets the thread count, live: threads beyond it leave after their current command. */
    void resize(int newSize) {
        requireSize(newSize);
        int toStart = 0;
        synchronized (lock) {
            if (newSize > idle.length) { // idle holds at most every thread ever allowed at once
                idle = java.util.Arrays.copyOf(idle, newSize);
            }
            size = newSize;
            for (int surplus = live - newSize; surplus > 0 && idleCount > 0; surplus--) {
                wake(idleCount - 1); // it sees the count and leaves
            }
            if (hasWork()) { // queued work waited for threads the old count did not allow
                toStart = Math.max(0, newSize - live);
                live += toStart;
            }
        }
        for (int i = 0; i < toStart; i++) {
            startWorker();
        }
    }

    /** Takes the idle worker at {@code index} off the stack. Under the lock. */
    private Worker removeIdleAt(int index) {
        Worker w = idle[index];
        System.arraycopy(idle, index + 1, idle, index, idleCount - index - 1);
        idle[--idleCount] = null;
        return w;
    }

    /** Takes the idle worker at {@code index} off the stack and wakes it. Under the lock. */
    private void wake(int index) {
        Worker w = removeIdleAt(index);
        w.woken = true;
        LockSupport.unpark(w.thread);
    }

    /** Refuses new commands; queued ones still run. Idle threads leave at once. */
    void shutdown() {
        synchronized (lock) {
            shutdown = true;
            while (idleCount > 0) {
                wake(idleCount - 1);
            }
            lock.notifyAll();
        }
    }

    /** Waits until the pool is shut down and every thread has left; false if the time ran out. */
    boolean awaitTermination(long timeout, TimeUnit unit) throws InterruptedException {
        long deadline = System.nanoTime() + unit.toNanos(timeout);
        synchronized (lock) {
            while (live > 0 || !shutdown) {
                long left = deadline - System.nanoTime();
                if (left <= 0) {
                    return false;
                }
                TimeUnit.NANOSECONDS.timedWait(lock, left);
            }
            return true;
        }
    }

    /** Threads running now (for tests and diagnostics). */
    int liveThreads() {
        return live;
    }

    /** Counts the calling worker out. Under the lock. */
    private Runnable leave() {
        live--;
        lock.notifyAll();
        return null;
    }

    private final class Worker implements Runnable {
        Thread thread;
        /** Set under the lock by whoever takes this worker off the idle stack. */
        volatile boolean woken;

        @Override
        public void run() {
            Runnable next;
            while ((next = take()) != null) {
                try {
                    next.run();
                } catch (Throwable t) { // a command's own failure must not cost the pool a thread
                    LOG.error("File I/O command failed unexpectedly", t);
                }
            }
        }

        /**
         * The next command, or null when this thread is to leave (then already counted out). Every
         * decision to leave or sleep is taken under the lock after a last look at the queue.
         */
        private Runnable take() {
            for (;;) {
                if (live > size) {
                    synchronized (lock) {
                        if (live > size) {
                            return leave();
                        }
                    }
                }
                Runnable next = poll();
                if (next != null) {
                    return next;
                }
                synchronized (lock) {
                    if (hasWork()) {
                        continue;
                    }
                    if (shutdown) {
                        return leave();
                    }
                    woken = false;
                    idle[idleCount++] = this;
                }
                next = poll(); // queued before we were on the stack: its producer may not have seen us
                if (next != null) {
                    synchronized (lock) {
                        if (!woken) {
                            removeFromStack();
                        }
                    }
                    return next;
                }
                if (!sleep()) {
                    return null;
                }
            }
        }

        /** Parks until woken; false when the idle time ran out and this thread left. */
        private boolean sleep() {
            long deadline = System.nanoTime() + idleTimeoutNanos;
            while (!woken) {
                long left = deadline - System.nanoTime();
                if (left <= 0) {
                    synchronized (lock) {
                        if (woken) {
                            return true; // a command came in just as the time ran out
                        }
                        removeFromStack();
                        if (hasWork()) {
                            return true;
                        }
                        leave();
                        return false;
                    }
                }
                LockSupport.parkNanos(this, left);
            }
            return true;
        }

        /** Under the lock. */
        private void removeFromStack() {
            for (int i = idleCount - 1; i >= 0; i--) {
                if (idle[i] == this) {
                    removeIdleAt(i);
                    return;
                }
            }
        }
    }
}
