package io.jtgt.scsi.core;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.jtgt.scsi.api.TaskAttribute;
import java.util.concurrent.CompletableFuture;
import org.junit.jupiter.api.Test;

class TaskSetTest {

    @Test
    void simpleTasksRunTogether() {
        TaskSet ts = new TaskSet();
        assertTrue(ts.enter(TaskAttribute.SIMPLE).isDone());
        assertTrue(ts.enter(TaskAttribute.SIMPLE).isDone());
        assertEquals(2, ts.running());
    }

    @Test
    void orderedWaitsForEarlierTasksAndHoldsBackLaterOnes() {
        TaskSet ts = new TaskSet();
        ts.enter(TaskAttribute.SIMPLE);
        CompletableFuture<Void> ordered = ts.enter(TaskAttribute.ORDERED);
        CompletableFuture<Void> later = ts.enter(TaskAttribute.SIMPLE);
        assertFalse(ordered.isDone());
        assertFalse(later.isDone(), "a SIMPLE task entering after an ORDERED one waits for it");
        CompletableFuture<Void> head = ts.enter(TaskAttribute.HEAD_OF_QUEUE);
        assertTrue(head.isDone(), "HEAD OF QUEUE is enabled at once");
        ts.exit(TaskAttribute.HEAD_OF_QUEUE);
        assertFalse(ordered.isDone());
        ts.exit(TaskAttribute.SIMPLE);
        assertTrue(ordered.isDone());
        assertFalse(later.isDone());
        ts.exit(TaskAttribute.ORDERED);
        assertTrue(later.isDone());
        ts.exit(TaskAttribute.SIMPLE);
        assertEquals(0, ts.running());
    }

    @Test
    void dispatcherHonoursOrderedThroughTheStore() {
        try (io.jtgt.scsi.testing.Harness h = new io.jtgt.scsi.testing.Harness().ready()) {
            Device d = h.service.device(1000);
            CompletableFuture<Void> blocker = d.taskSet().enter(TaskAttribute.SIMPLE); // a task in flight
            assertTrue(blocker.isDone());
            io.jtgt.scsi.testing.TestCommand c = io.jtgt.scsi.testing.TestCommand.lun(0, 0, 0, 0, 0, 0, 0)
                    .attribute(TaskAttribute.ORDERED);
            var pending = h.nexus.execute(c);
            assertFalse(pending.isDone(), "the ORDERED TEST UNIT READY waits for the task before it");
            d.taskSet().exit(TaskAttribute.SIMPLE);
            assertTrue(pending.isDone());
            assertEquals(0, pending.join().status());
            assertEquals(0, d.taskSet().running());
        }
    }
}
