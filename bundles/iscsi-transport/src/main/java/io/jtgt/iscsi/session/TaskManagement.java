package io.jtgt.iscsi.session;

import io.jtgt.iscsi.pdu.TaskMgmtRequestPdu;
import io.jtgt.iscsi.pdu.TaskMgmtResponsePdu;
import java.util.ArrayList;
import java.util.List;

/**
 * Task management functions (RFC 7143 11.5/11.6). ABORT TASK and ABORT TASK SET are done here:
 * the aborted commands' Data-Out transfers are cancelled, their eventual SCSI outcome is
 * swallowed, and the function completes once scsi-core has finished with every one of them.
 * Functions that change logical unit state (LUN RESET, CLEAR TASK SET, target resets, CLEAR
 * ACA) need scsi-core and are answered "not supported" for now.
 */
final class TaskManagement {

    private final IscsiConnection connection;

    TaskManagement(IscsiConnection connection) {
        this.connection = connection;
    }

    void handle(TaskMgmtRequestPdu pdu) {
        switch (pdu.function()) {
            case TaskMgmtRequestPdu.ABORT_TASK -> abortTask(pdu);
            case TaskMgmtRequestPdu.ABORT_TASK_SET -> abortTaskSet(pdu);
            case TaskMgmtRequestPdu.CLEAR_ACA, TaskMgmtRequestPdu.CLEAR_TASK_SET,
                    TaskMgmtRequestPdu.LOGICAL_UNIT_RESET, TaskMgmtRequestPdu.TARGET_WARM_RESET,
                    TaskMgmtRequestPdu.TARGET_COLD_RESET -> respond(pdu, TaskMgmtResponsePdu.FUNCTION_NOT_SUPPORTED);
            case TaskMgmtRequestPdu.TASK_REASSIGN -> respond(pdu, TaskMgmtResponsePdu.TASK_REASSIGNMENT_NOT_SUPPORTED);
            default -> respond(pdu, TaskMgmtResponsePdu.FUNCTION_REJECTED);
        }
    }

    /** RFC 7143 11.5.1 ABORT TASK, including the cases for a task we do not (or no longer) have. */
    private void abortTask(TaskMgmtRequestPdu pdu) {
        ScsiTask task = connection.tasks().get(pdu.referencedTaskTag());
        if (task == null || task.responded || task.aborted()) {
            // b) a task numbered inside the window but before this request never arrived: it
            //    counts as received and done; c) anything else (already answered) does not exist.
            CommandWindow window = connection.session().window();
            int ref = pdu.refCmdSn();
            boolean lostInWindow = task == null && SerialNumbers.lessOrEqual(window.expCmdSn(), ref)
                    && SerialNumbers.lessOrEqual(ref, window.maxCmdSn()) && SerialNumbers.lessThan(ref, pdu.cmdSn());
            respond(pdu, lostInWindow ? TaskMgmtResponsePdu.FUNCTION_COMPLETE : TaskMgmtResponsePdu.TASK_DOES_NOT_EXIST);
            return;
        }
        if (task.lunField() != pdu.lun()) {
            respond(pdu, TaskMgmtResponsePdu.TASK_DOES_NOT_EXIST);
            return;
        }
        abortAll(pdu, List.of(task));
    }

    /** ABORT TASK SET: every task of this session on the LUN (RFC 7143 11.5.1, SAM-5 7.3). */
    private void abortTaskSet(TaskMgmtRequestPdu pdu) {
        List<ScsiTask> victims = new ArrayList<>();
        for (ScsiTask task : connection.liveTasks()) {
            if (task.lunField() == pdu.lun() && !task.aborted()) {
                victims.add(task);
            }
        }
        abortAll(pdu, victims);
    }

    private void abortAll(TaskMgmtRequestPdu pdu, List<ScsiTask> victims) {
        if (victims.isEmpty()) {
            respond(pdu, TaskMgmtResponsePdu.FUNCTION_COMPLETE);
            return;
        }
        int[] remaining = {victims.size()};
        int itt = pdu.initiatorTaskTag(); // the PDU itself is released before the aborts finish
        for (ScsiTask task : victims) {
            task.abortCompletion = () -> {
                if (--remaining[0] == 0) {
                    respond(itt, TaskMgmtResponsePdu.FUNCTION_COMPLETE);
                }
            };
            connection.abortTransfer(task);
        }
    }

    private void respond(TaskMgmtRequestPdu pdu, int response) {
        respond(pdu.initiatorTaskTag(), response);
    }

    private void respond(int itt, int response) {
        TaskMgmtResponsePdu pdu = new TaskMgmtResponsePdu();
        pdu.initiatorTaskTag(itt);
        pdu.response(response);
        connection.send(pdu, true);
        connection.channel().flush();
    }
}
