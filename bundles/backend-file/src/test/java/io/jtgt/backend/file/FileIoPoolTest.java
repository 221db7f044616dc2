package io.jtgt.backend.file;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.lang.management.ManagementFactory;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.BooleanSupplier;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

class FileIoPoolTest {

    private FileIoPool pool;

    @AfterEach
    void stop() throws InterruptedException {
        if (pool != null) {
            pool.shutdown();
            assertTrue(pool.awaitTermination(10, TimeUnit.SECONDS), "threads left behind");
        }
    }

    private FileIoPool pool(int size, long idleMillis) {
        pool = new FileIoPool(size, idleMillis, TimeUnit.MILLISECONDS, new NamedThreadFactory("test-io"));
        return pool;
    }

    /** Queues {@code count} commands that hold their threads until {@link Concurrency#finish()}. */
    private Concurrency submitHolding(int count) {
        Concurrency c = new Concurrency(count);
        for (int i = 0; i < count; i++) {
            pool.execute(c.command());
        }
        return c;
    }

    /** Counts how many commands run at once, each holding its thread until {@code release}. */
    private static final class Concurrency {
        final int count;
        final AtomicInteger now = new AtomicInteger();
        final AtomicInteger most = new AtomicInteger();
        final AtomicInteger done = new AtomicInteger();
        final CountDownLatch release = new CountDownLatch(1);

        Concurrency(int count) {
            this.count = count;
        }

        /** Lets every command end, then waits until all of them have. */
        void finish() throws InterruptedException {
            release.countDown();
            eventually("all " + count + " are done", () -> done.get() == count);
        }

        Runnable command() {
            return () -> {
                most.accumulateAndGet(now.incrementAndGet(), Math::max);
                try {
                    release.await(10, TimeUnit.SECONDS);
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                }
                now.decrementAndGet();
                done.incrementAndGet();
            };
        }
    }

    private static void eventually(String what, BooleanSupplier condition) throws InterruptedException {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
        while (!condition.getAsBoolean()) {
            assertTrue(System.nanoTime() < deadline, "timed out waiting until " + what);
            Thread.sleep(5);
        }
    }

    @Test
    void runsAtMostSizeCommandsAtOnceAndStartsThreadsOnlyWhenNeeded() throws Exception {
        pool(3, 60_000);
        assertEquals(0, pool.liveThreads(), "an unused pool holds no threads");
        Concurrency c = submitHolding(10);
        eventually("three run", () -> c.now.get() == 3);
        Thread.sleep(50);
        assertEquals(3, c.most.get());
        assertEquals(3, pool.liveThreads());
        c.finish();
    }

    @Test
    void idleThreadsLeaveAfterTheTimeoutAndNewWorkStartsOneAgain() throws Exception {
        pool(2, 50);
        CountDownLatch ran = new CountDownLatch(4);
        for (int i = 0; i < 4; i++) {
            pool.execute(ran::countDown);
        }
        assertTrue(ran.await(10, TimeUnit.SECONDS));
        eventually("idle threads leave", () -> pool.liveThreads() == 0);
        CountDownLatch again = new CountDownLatch(1);
        pool.execute(again::countDown);
        assertTrue(again.await(10, TimeUnit.SECONDS), "a command after the threads left did not run");
    }

    @Test
    void growingThePoolRunsQueuedCommandsAtOnce() throws Exception {
        pool(1, 60_000);
        Concurrency c = submitHolding(4);
        eventually("one runs", () -> c.now.get() == 1);
        pool.resize(4);
        eventually("four run", () -> c.now.get() == 4);
        c.finish();
    }

    @Test
    void shrinkingThePoolLetsSurplusThreadsLeaveAfterTheirCommand() throws Exception {
        pool(4, 60_000);
        Concurrency busy = submitHolding(4);
        eventually("four run", () -> busy.now.get() == 4);
        pool.resize(1);
        busy.release.countDown();
        eventually("three threads leave", () -> pool.liveThreads() == 1);
        Concurrency after = submitHolding(3);
        eventually("one runs", () -> after.now.get() == 1);
        Thread.sleep(50);
        assertEquals(1, after.most.get());
        after.finish();
    }

    @Test
    void shutdownRunsWhatIsQueuedAndRefusesTheRest() throws Exception {
        pool(1, 60_000);
        Concurrency c = submitHolding(5);
        pool.shutdown();
        assertThrows(RejectedExecutionException.class, () -> pool.execute(() -> { }));
        assertEquals(false, pool.awaitTermination(50, TimeUnit.MILLISECONDS), "still busy");
        c.release.countDown();
        assertTrue(pool.awaitTermination(10, TimeUnit.SECONDS));
        assertEquals(5, c.done.get(), "queued commands were dropped");
        assertEquals(0, pool.liveThreads());
    }

    @Test
    void commandsBeyondTheArrayQueueOverflowAndAllRun() throws Exception {
        pool(1, 60_000);
        Concurrency blocker = submitHolding(1);
        eventually("the blocker runs", () -> blocker.now.get() == 1);
        int count = FileIoPool.QUEUE_CAPACITY + 1000;
        AtomicInteger ran = new AtomicInteger();
        for (int i = 0; i < count; i++) {
            pool.execute(ran::incrementAndGet);
        }
        blocker.release.countDown();
        eventually("every queued command ran", () -> ran.get() == count);
    }

    @Test
    void aFailingCommandDoesNotCostAThread() throws Exception {
        pool(1, 60_000);
        pool.execute(() -> {
            throw new IllegalStateException("deliberate");
        });
        CountDownLatch next = new CountDownLatch(1);
        pool.execute(next::countDown);
        assertTrue(next.await(10, TimeUnit.SECONDS));
        assertEquals(1, pool.liveThreads());
    }

    /**
     * The point of the pool: handing a command over allocates nothing, neither on the submitting
     * thread nor on the workers, whether they are busy or parked between commands.
     */
    @Test
    void handingCommandsOverAllocatesNothing() throws Exception {
        com.sun.management.ThreadMXBean threads =
                (com.sun.management.ThreadMXBean) ManagementFactory.getThreadMXBean();
        pool(2, 60_000);
        AtomicInteger ran = new AtomicInteger();
        Runnable command = ran::incrementAndGet;
        AtomicInteger workerIds = new AtomicInteger();
        long[] ids = new long[2];
        CountDownLatch both = new CountDownLatch(2);
        Runnable introduce = () -> {
            ids[workerIds.getAndIncrement()] = Thread.currentThread().getId();
            both.countDown();
            try {
                both.await(10, TimeUnit.SECONDS); // holds each thread so the second command starts another
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        };
        pool.execute(introduce);
        pool.execute(introduce);
        assertTrue(both.await(10, TimeUnit.SECONDS));
        int rounds = 20_000;
        submitInBursts(command, ran, rounds); // warm up: JIT, and every thread parked at least once
        long submitterBefore = threads.getCurrentThreadAllocatedBytes();
        long workersBefore = threads.getThreadAllocatedBytes(ids[0]) + threads.getThreadAllocatedBytes(ids[1]);
        submitInBursts(command, ran, rounds);
        long submitter = threads.getCurrentThreadAllocatedBytes() - submitterBefore;
        long workers = threads.getThreadAllocatedBytes(ids[0]) + threads.getThreadAllocatedBytes(ids[1]) - workersBefore;
        // A few hundred bytes slack for a stray class-loading or JIT deoptimisation object.
        assertTrue(submitter < 4096, "submitter allocated " + submitter + " bytes for " + rounds + " commands");
        assertTrue(workers < 4096, "workers allocated " + workers + " bytes for " + rounds + " commands");
    }

    /** Bursts of 32 with a wait for them between, so workers alternate between busy and parked. */
    private void submitInBursts(Runnable command, AtomicInteger ran, int rounds) {
        int target = ran.get();
        for (int i = 0; i < rounds; i += 32) {
            for (int j = 0; j < 32; j++) {
                pool.execute(command);
            }
            target += 32;
            long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
            while (ran.get() < target) {
                assertTrue(System.nanoTime() < deadline, "commands did not run");
                Thread.onSpinWait();
            }
        }
    }
}
