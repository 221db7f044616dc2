package io.jtgt.scsi.api;

import java.util.concurrent.CompletableFuture;

/**
 * An I_T nexus (SAM-5 4.7): one initiator port talking to one target port. Commands from the same
 * session go through the same nexus; they may be executed concurrently.
 */
public interface ItNexus {

    /**
     * Executes one SCSI command. The future never completes exceptionally: every failure is a
     * {@link ScsiResponse} with CHECK CONDITION and sense data. It may complete on any thread.
     */
    CompletableFuture<ScsiResponse> execute(ScsiCommand command);

    /** I_T nexus loss (SAM-5 6.3.4): the session ended; frees everything held for it. */
    void close();
}
