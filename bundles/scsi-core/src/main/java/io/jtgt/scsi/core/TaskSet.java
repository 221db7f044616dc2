package io.jtgt.scsi.core;

import io.jtgt.scsi.api.TaskAttribute;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.List;
import java.util.concurrent.CompletableFuture;

/**
 * The task set of one logical unit (SAM-5 8.5 - 8.7; TST=000b, one task set for all I_T
 * nexuses). SIMPLE tasks run concurrently (QUEUE ALGORITHM MODIFIER 1: any order); an ORDERED
 * task is enabled only once every task that entered before it has completed, and tasks that
 * enter after it wait until it completes; a HEAD OF QUEUE task is enabled at once. ACA is not
 * supported (NORMACA 0), so such a task is treated as SIMPLE. Nothing blocks: {@link #enter}
 * returns a future that completes when the task is enabled.
 */
public final class TaskSet {

    private static final CompletableFuture<Void> ENABLED = CompletableFuture.completedFuture(null);

    private record Waiter(boolean ordered, CompletableFuture<Void> enabled) {}

    private int running;
    private boolean orderedRunning;
    private final Deque<Waiter> blocked = new ArrayDeque<>();

    /** Enters a task; the future completes when it may run. Pair with {@link #exit}. */
    public CompletableFuture<Void> enter(TaskAttribute attribute) {
        synchronized (this) {
            switch (attribute == null ? TaskAttribute.SIMPLE : attribute) {
                case HEAD_OF_QUEUE -> {
                    running++;
                    return ENABLED;
                }
                case ORDERED -> {
                    if (running == 0 && blocked.isEmpty()) {
                        running++;
                        orderedRunning = true;
                        return ENABLED;
                    }
                    CompletableFuture<Void> f = new CompletableFuture<>();
                    blocked.add(new Waiter(true, f));
                    return f;
                }
                default -> {
                    if (!orderedRunning && blocked.isEmpty()) {
                        running++;
                        return ENABLED;
                    }
                    CompletableFuture<Void> f = new CompletableFuture<>();
                    blocked.add(new Waiter(false, f));
                    return f;
                }
            }
        }
    }

    /** A task entered with {@code attribute} completed (or was never enabled and gave up). */
    public void exit(TaskAttribute attribute) {
        List<CompletableFuture<Void>> enable = null; // made only when a task waits: none in steady state
        synchronized (this) {
            running--;
            if (attribute == TaskAttribute.ORDERED) {
                orderedRunning = false;
            }
            while (!blocked.isEmpty()) {
                Waiter head = blocked.peek();
                if (head.ordered()) {
                    if (running != 0) {
                        break;
                    }
                    blocked.poll();
                    running++;
                    orderedRunning = true;
                    enable = new ArrayList<>(1);
                    enable.add(head.enabled());
                    break;
                }
                if (orderedRunning) {
                    break;
                }
                blocked.poll();
                running++;
                if (enable == null) {
                    enable = new ArrayList<>();
                }
                enable.add(head.enabled());
            }
        }
        if (enable != null) {
            enable.forEach(f -> f.complete(null)); // outside the monitor: continuations run here
        }
    }

    synchronized int running() {
        return running;
    }
}
