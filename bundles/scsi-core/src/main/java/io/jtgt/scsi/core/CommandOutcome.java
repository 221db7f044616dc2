package io.jtgt.scsi.core;

import io.jtgt.scsi.api.ScsiResponse;
import java.util.concurrent.CancellationException;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.function.BiConsumer;

/**
 * The future a hot handler (READ, WRITE) returns, which also hands its outcome straight to the
 * dispatcher's {@link CommandRun}: no {@code whenComplete} stage (and its two objects) per command.
 * Anyone else may still use it as the future it is. The outcome lives in the future itself, so
 * this adds one field to it.
 */
public abstract class CommandOutcome extends CompletableFuture<ScsiResponse> {

    // guarded by this: the outcome may arrive (any thread) before or after the dispatcher listens
    private BiConsumer<? super ScsiResponse, ? super Throwable> then;

    /** The dispatcher listens; at once if the outcome is already there. */
    final void then(BiConsumer<? super ScsiResponse, ? super Throwable> listener) {
        synchronized (this) {
            if (!isDone()) {
                then = listener; // finish() completes before it looks here: it will find it
                return;
            }
        }
        ScsiResponse response;
        Throwable failure = null;
        try {
            response = getNow(null);
        } catch (CompletionException | CancellationException e) {
            response = null;
            failure = e instanceof CompletionException && e.getCause() != null ? e.getCause() : e;
        }
        listener.accept(response, failure);
    }

    /** The handler's outcome: completes this future and tells the dispatcher. */
    protected final void finish(ScsiResponse r, Throwable t) {
        if (t != null) {
            completeExceptionally(t);
        } else {
            complete(r);
        }
        BiConsumer<? super ScsiResponse, ? super Throwable> listener;
        synchronized (this) {
            listener = then; // a listener that came after the completion heard it in then()
        }
        if (listener != null) {
            listener.accept(r, t);
        }
    }
}
