package io.jtgt.scsi.core;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.jtgt.scsi.api.ScsiResponse;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The dispatcher hears a hot handler's outcome once, whether it listens before or after it arrives. */
class CommandOutcomeTest {

    private static final class Outcome extends CommandOutcome {
        void done(ScsiResponse r, Throwable t) {
            finish(r, t);
        }
    }

    @Test
    void anOutcomeAfterTheListenerReachesItAndTheFuture() {
        Outcome o = new Outcome();
        List<Object> heard = new ArrayList<>();
        o.then((r, t) -> heard.add(r));
        assertTrue(heard.isEmpty(), "nothing before the outcome");
        o.done(ScsiResponse.good(), null);
        assertEquals(List.of(ScsiResponse.good()), heard);
        assertSame(ScsiResponse.good(), o.join(), "it is still a future");
    }

    @Test
    void anOutcomeBeforeTheListenerReachesItAtOnce() {
        Outcome o = new Outcome();
        IllegalStateException failure = new IllegalStateException("store gone");
        o.done(null, failure);
        List<Throwable> heard = new ArrayList<>();
        o.then((r, t) -> heard.add(t));
        assertEquals(List.of(failure), heard);
        assertTrue(o.isCompletedExceptionally());
    }

    /** Listener and outcome racing from two threads: heard exactly once, every time. */
    @Test
    void aRacingOutcomeIsHeardExactlyOnce() throws Exception {
        for (int i = 0; i < 2_000; i++) {
            Outcome o = new Outcome();
            java.util.concurrent.atomic.AtomicInteger heard = new java.util.concurrent.atomic.AtomicInteger();
            java.util.concurrent.CountDownLatch go = new java.util.concurrent.CountDownLatch(1);
            Thread finisher = new Thread(() -> {
                try {
                    go.await();
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                }
                o.done(ScsiResponse.good(), null);
            });
            finisher.start();
            go.countDown();
            o.then((r, t) -> {
                assertSame(ScsiResponse.good(), r);
                heard.incrementAndGet();
            });
            finisher.join(10_000);
            assertEquals(1, heard.get(), "round " + i);
        }
    }
}
