package io.jtgt.scsi.core;

import java.util.concurrent.CompletableFuture;
import java.util.function.LongFunction;

/**
 * Runs asynchronous steps one after another without blocking and without recursion: a step
 * that completes at once (as an in-memory or cached store does) continues the loop in place
 * instead of nesting another continuation, so millions of steps cannot overflow the stack.
 */
public final class Sequential {

    private Sequential() {}

    /** Runs {@code step.apply(0) .. step.apply(count - 1)} in order; fails with the first failure. */
    public static CompletableFuture<Void> run(long count, LongFunction<CompletableFuture<?>> step) {
        CompletableFuture<Void> result = new CompletableFuture<>();
        continueFrom(0, count, step, result);
        return result;
    }

    private static void continueFrom(long first, long count, LongFunction<CompletableFuture<?>> step,
            CompletableFuture<Void> result) {
        for (long i = first; i < count; i++) {
            CompletableFuture<?> f;
            try {
                f = step.apply(i);
            } catch (RuntimeException e) {
                result.completeExceptionally(e);
                return;
            }
            if (!f.isDone() || f.isCompletedExceptionally()) {
                long next = i + 1;
                f.whenComplete((v, t) -> {
                    if (t != null) {
                        result.completeExceptionally(t);
                    } else {
                        continueFrom(next, count, step, result);
                    }
                });
                return;
            }
        }
        result.complete(null);
    }
}
