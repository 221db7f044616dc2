package io.jtgt.iscsi.session;

import io.jtgt.iscsi.pdu.TaskMgmtRequestPdu;
import io.jtgt.iscsi.pdu.TaskMgmtResponsePdu;
import io.jtgt.scsi.api.ItNexus;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.function.LongPredicate;

/**
 * Task management functions (RFC 7143 11.5/11.6, SAM-5 7). An aborted command's Data-Out
 * transfer is cancelled, its eventual SCSI outcome is swallowed (no response, RFC 7143 11.5.1),
 * and the function completes once scsi-core has finished with every aborted command.
 *
 * <ul>
 *   <li>ABORT TASK, ABORT TASK SET: tasks of this session.
 *   <li>LOGICAL UNIT RESET: the LUN's tasks in every session of the target, then
 *       {@link ItNexus#logicalUnitReset} (reservations, unit attention).
 *   <li>TARGET WARM / COLD RESET: every task of every session of the target, then
 *       {@link ItNexus#targetReset}; a cold reset then closes all those sessions (11.5.1).
 *   <li>CLEAR TASK SET (SAM-5 7.5): the LUN's tasks in every session of the target (TST=000b:
 *       one task set shared by all I_T nexuses); each other session that lost tasks gets COMMANDS
 *       CLEARED BY ANOTHER INITIATOR from scsi-core (TAS=0: the aborted tasks get no status).
 *   <li>CLEAR ACA: "not supported" — NORMACA=0, a CDB with NACA=1 is refused, so no ACA condition
 *       ever exists, and SAM-5 7.3 asks CLEAR ACA only of units that support ACA (REPORT SUPPORTED
 *       TASK MANAGEMENT FUNCTIONS says CACAS=0 alike). TASK REASSIGN needs ERL 2: "task
 *       reassignment not supported".
 * </ul>
 */
final class TaskManagement {

    private final IscsiConnection connection;

    TaskManagement(IscsiConnection connection) {
        this.connection = connection;
    }

    void handle(TaskMgmtRequestPdu pdu) {
        int itt = pdu.initiatorTaskTag(); // the PDU is released before aborts finish
        long lun = pdu.lun();
        switch (pdu.function()) {
            case TaskMgmtRequestPdu.ABORT_TASK -> abortTask(pdu);
            case TaskMgmtRequestPdu.ABORT_TASK_SET ->
                    connection.abortTasks(l -> l == lun).thenRun(() -> respond(itt, TaskMgmtResponsePdu.FUNCTION_COMPLETE));
            case TaskMgmtRequestPdu.LOGICAL_UNIT_RESET -> acrossSessions(l -> l == lun).thenRun(() -> {
                connection.session().nexus().logicalUnitReset(lun);
                respond(itt, TaskMgmtResponsePdu.FUNCTION_COMPLETE);
            });
            case TaskMgmtRequestPdu.TARGET_WARM_RESET, TaskMgmtRequestPdu.TARGET_COLD_RESET -> {
                boolean cold = pdu.function() == TaskMgmtRequestPdu.TARGET_COLD_RESET;
                acrossSessions(l -> true).thenRun(() -> {
                    connection.session().nexus().targetReset();
                    respond(itt, TaskMgmtResponsePdu.FUNCTION_COMPLETE);
                    if (cold) {
                        for (IscsiSession session : sessionsOfTarget()) {
                            session.terminate(); // ours closes after the response is flushed
                        }
                    }
                });
            }
            case TaskMgmtRequestPdu.CLEAR_TASK_SET -> clearTaskSet(itt, lun);
            case TaskMgmtRequestPdu.CLEAR_ACA -> respond(itt, TaskMgmtResponsePdu.FUNCTION_NOT_SUPPORTED);
            case TaskMgmtRequestPdu.TASK_REASSIGN -> respond(itt, TaskMgmtResponsePdu.TASK_REASSIGNMENT_NOT_SUPPORTED);
            default -> respond(itt, TaskMgmtResponsePdu.FUNCTION_REJECTED);
        }
    }

    /** RFC 7143 11.5.1 ABORT TASK, including the cases for a task we do not (or no longer) have. */
    private void abortTask(TaskMgmtRequestPdu pdu) {
        int itt = pdu.initiatorTaskTag();
        ScsiTask task = connection.tasks().get(pdu.referencedTaskTag());
        if (task == null || task.responded || task.aborted()) {
            // b) a task numbered inside the window but before this request never arrived: it
            //    counts as received and done; c) anything else (already answered) does not exist.
            CommandWindow window = connection.session().window();
            int ref = pdu.refCmdSn();
            boolean lostInWindow = task == null && SerialNumbers.lessOrEqual(window.expCmdSn(), ref)
                    && SerialNumbers.lessOrEqual(ref, window.maxCmdSn()) && SerialNumbers.lessThan(ref, pdu.cmdSn());
            respond(itt, lostInWindow ? TaskMgmtResponsePdu.FUNCTION_COMPLETE : TaskMgmtResponsePdu.TASK_DOES_NOT_EXIST);
            return;
        }
        if (task.lunField() != pdu.lun()) {
            respond(itt, TaskMgmtResponsePdu.TASK_DOES_NOT_EXIST);
            return;
        }
        int refItt = task.itt;
        connection.abortTasks(t -> t.itt == refItt, l -> l == task.lunField())
                .thenRun(() -> respond(itt, TaskMgmtResponsePdu.FUNCTION_COMPLETE));
    }

    /**
     * SAM-5 7.5: every task of the LUN's task set goes, whichever nexus it came from; the other
     * nexuses that lost tasks learn why through a unit attention (TAS=0), the requester does not.
     */
    private void clearTaskSet(int itt, long lun) {
        Map<IscsiSession, CompletableFuture<Integer>> aborts = abortAcrossSessions(l -> l == lun);
        whenAllDone(aborts).thenRun(() -> {
            aborts.forEach((session, aborted) -> {
                if (session != connection.session() && aborted.join() > 0 && session.nexus() != null) {
                    session.nexus().commandsClearedByAnotherInitiator(lun);
                }
            });
            respond(itt, TaskMgmtResponsePdu.FUNCTION_COMPLETE);
        });
    }

    /** Aborts matching tasks in every session of this target (each on its own event loop). */
    private CompletableFuture<Void> acrossSessions(LongPredicate lun) {
        return whenAllDone(abortAcrossSessions(lun));
    }

    private Map<IscsiSession, CompletableFuture<Integer>> abortAcrossSessions(LongPredicate lun) {
        Map<IscsiSession, CompletableFuture<Integer>> aborts = new LinkedHashMap<>();
        for (IscsiSession session : sessionsOfTarget()) {
            IscsiConnection other = session.connection();
            if (other != null) {
                aborts.put(session, other.abortTasks(lun));
            }
        }
        return aborts;
    }

    /** Completes on this connection's loop once every abort has. */
    private CompletableFuture<Void> whenAllDone(Map<IscsiSession, CompletableFuture<Integer>> aborts) {
        CompletableFuture<Void> all = CompletableFuture.allOf(aborts.values().toArray(CompletableFuture[]::new));
        CompletableFuture<Void> here = new CompletableFuture<>();
        all.whenComplete((ok, error) -> connection.runOnLoop(() -> here.complete(null), () -> { }));
        return here;
    }

    private List<IscsiSession> sessionsOfTarget() {
        String target = connection.session().target().name();
        List<IscsiSession> result = new ArrayList<>();
        for (IscsiSession session : connection.context().sessions().sessions()) {
            if (session.target() != null && session.target().name().equals(target)) {
                result.add(session);
            }
        }
        return result;
    }

    private void respond(int itt, int response) {
        if (connection.isClosed()) {
            return;
        }
        TaskMgmtResponsePdu pdu = new TaskMgmtResponsePdu();
        pdu.initiatorTaskTag(itt);
        pdu.response(response);
        connection.send(pdu, true);
        connection.channel().flush();
    }
}
