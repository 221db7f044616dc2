package io.jtgt.scsi.api;

import java.util.concurrent.CompletableFuture;
import java.util.function.BiConsumer;

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

    /**
     * As {@link #execute(ScsiCommand)}, handing the response to {@code outcome} (any thread, never
     * with a failure) instead of through a future the caller would listen on: the transport's hot
     * path, one stage less per command. Default: through {@link #execute(ScsiCommand)}.
     *
     * @since 2.5
     */
    default void execute(ScsiCommand command, BiConsumer<? super ScsiResponse, ? super Throwable> outcome) {
        execute(command).whenComplete(outcome);
    }

    /**
     * The transport executed LOGICAL UNIT RESET (SAM-5 7.7) for this LUN and aborted the LUN's
     * tasks: scsi-core releases SPC-2 reservations of the unit and raises BUS DEVICE RESET
     * FUNCTION OCCURRED (29h/03h) on every I_T nexus of the unit (persistent reservations stay).
     * Default: nothing (for test doubles).
     */
    default void logicalUnitReset(long lunField) {}

    /**
     * The transport executed TARGET WARM RESET or TARGET COLD RESET (RFC 7143 11.5.1): like
     * {@link #logicalUnitReset} for every LUN of the target. Default: nothing.
     */
    default void targetReset() {}

    /**
     * CLEAR TASK SET (SAM-5 7.5) received on another I_T nexus aborted tasks this nexus had in the
     * task set of the LUN (TST=000b: one task set for all nexuses). With TAS=0 (jtgt's control mode
     * page) the aborted tasks get no status; scsi-core establishes COMMANDS CLEARED BY ANOTHER
     * INITIATOR (2Fh/00h) for this I_T_L nexus instead. Default: nothing (for test doubles).
     *
     * @since 2.4
     */
    default void commandsClearedByAnotherInitiator(long lunField) {}

    /** I_T nexus loss (SAM-5 6.3.4): the session ended; frees everything held for it. */
    void close();
}
