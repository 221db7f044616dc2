package io.jtgt.scsi.core;

/**
 * Sanitize state of one logical unit (SBC-3 4.11): a sanitize operation in progress makes every
 * command other than INQUIRY, REPORT LUNS and REQUEST SENSE answer NOT READY, SANITIZE IN PROGRESS;
 * a sanitize operation that failed leaves the unit in the sanitize failure mode, where medium
 * access answers MEDIUM ERROR, SANITIZE COMMAND FAILED until a new SANITIZE completes or EXIT
 * FAILURE MODE (allowed only when the failed command had AUSE=1) is processed. The operation is
 * not tied to the task that started it: task management and I_T nexus loss do not stop it.
 */
public final class SanitizeState {

    private boolean inProgress;
    private boolean failed;
    private boolean exitAllowed;

    /** Whether a sanitize operation is running. */
    public synchronized boolean inProgress() {
        return inProgress;
    }

    /** Whether the unit is in the sanitize failure mode. */
    public synchronized boolean failed() {
        return failed;
    }

    /** Starts an operation; false when one is already running. */
    public synchronized boolean start() {
        if (inProgress) {
            return false;
        }
        inProgress = true;
        return true;
    }

    /** Ends the running operation; a failure enters the failure mode (AUSE decides whether it may be exited). */
    public synchronized void finish(boolean success, boolean ause) {
        inProgress = false;
        failed = !success;
        exitAllowed = !success && ause;
    }

    /**
     * EXIT FAILURE MODE (SBC-3 5.30.2): leaves the failure mode; false when the failed command had
     * AUSE=0, which forbids it. Outside the failure mode there is nothing to leave.
     */
    public synchronized boolean exitFailureMode() {
        if (failed && !exitAllowed) {
            return false;
        }
        failed = false;
        return true;
    }

    /** The sense code a command gets in the current state, or null when the unit may be used. */
    public synchronized SenseCode blocking() {
        if (inProgress) {
            return SenseCode.SANITIZE_IN_PROGRESS;
        }
        return failed ? SenseCode.SANITIZE_COMMAND_FAILED : null;
    }
}
