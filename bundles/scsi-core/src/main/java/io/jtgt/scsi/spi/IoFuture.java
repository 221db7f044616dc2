package io.jtgt.scsi.spi;

import java.util.concurrent.CompletableFuture;

/**
 * A future that is also an {@link IoCallback}: how a backend that implements the callback form of
 * read and write serves the future form with the same code.
 *
 * @since 1.4
 */
public final class IoFuture extends CompletableFuture<Void> implements IoCallback {

    @Override
    public void ioDone(Throwable failure) {
        if (failure == null) {
            complete(null);
        } else {
            completeExceptionally(failure);
        }
    }
}
