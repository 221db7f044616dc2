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
}
