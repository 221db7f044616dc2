package io.jtgt.scsi.core;

import io.jtgt.scsi.api.ScsiResponse;
import java.util.concurrent.CompletableFuture;
import java.util.function.BiConsumer;

/**
 * The future a hot handler (READ, WRITE) returns, which also hands its outcome straight to the
 * dispatcher's {@link CommandRun}: no {@code whenComplete} stage (and its two objects) per command.
 * Anyone else may still use it as the future it is.
 */
public abstract class CommandOutcome extends CompletableFuture<ScsiResponse> {

    // guarded by this: the outcome may arrive (any thread) before or after the dispatcher listens
    private BiConsumer<? super ScsiResponse, ? super Throwable> then;
    private boolean finished;
    private ScsiResponse response;
    private Throwable failure;

    /** The dispatcher listens; at once if the outcome is already there. */
    final void then(BiConsumer<? super ScsiResponse, ? super Throwable> listener) {
        synchronized (this) {
            if (!finished) {
                then = listener;
                return;
            }
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
            finished = true;
            response = r;
            failure = t;
            listener = then;
        }
        if (listener != null) {
            listener.accept(r, t);
        }
    }
}
