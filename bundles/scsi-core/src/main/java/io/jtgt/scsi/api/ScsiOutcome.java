package io.jtgt.scsi.api;

import io.netty.buffer.ByteBuf;
import java.util.function.BiConsumer;

/**
 * A listener for {@link ItNexus#execute(ScsiCommand, BiConsumer)} that takes the outcome in its
 * parts: scsi-core then hands every outcome over through {@link #outcome}, and makes no {@link
 * ScsiResponse} for a READ or WRITE (the hot path's garbage). {@link #accept} stays for callers
 * that have the outcome as one object.
 *
 * @since 2.6
 */
public interface ScsiOutcome extends BiConsumer<ScsiResponse, Throwable> {

    /**
     * The outcome (any thread): status, sense data (empty unless CHECK CONDITION) and the Data-In
     * or null, whose ownership passes to the listener, as in {@link ScsiResponse}.
     */
    void outcome(int status, byte[] sense, ByteBuf data);

    /** The outcome as one object: the same as {@link #outcome} of its parts. */
    @Override
    default void accept(ScsiResponse response, Throwable failure) {
        if (failure != null) {
            throw new IllegalArgumentException("scsi-core reports no failures", failure);
        }
        outcome(response.status(), response.sense(), response.data());
    }
}
