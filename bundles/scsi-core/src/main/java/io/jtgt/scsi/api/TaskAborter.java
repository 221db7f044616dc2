package io.jtgt.scsi.api;

import java.util.concurrent.CompletionStage;

/**
 * Offered by the transport in {@link NexusInfo}: aborts the tasks of one I_T nexus, the way ABORT
 * TASK SET would on that nexus (SAM-5 7.3), because another initiator asked for it: PERSISTENT
 * RESERVE OUT / PREEMPT AND ABORT (SPC-4 5.9.11.5). With TAS=0 (jtgt's control mode page) the
 * aborted tasks get no status; their initiator learns of the preemption through the unit
 * attention scsi-core queues. The stage completes once scsi-core has finished with every aborted
 * task (as for an ABORT TASK SET), so the PREEMPT AND ABORT answers after the tasks are gone.
 */
@FunctionalInterface
public interface TaskAborter {
    CompletionStage<Void> abortTasks(long lunField);
}
