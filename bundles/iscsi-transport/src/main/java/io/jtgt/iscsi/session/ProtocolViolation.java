package io.jtgt.iscsi.session;

import io.jtgt.iscsi.pdu.RejectPdu;

/**
 * A protocol violation found while handling a PDU: the connection answers with a Reject carrying
 * {@link #reason} and, at ErrorRecoveryLevel 0, closes (RFC 7143 7.1.3).
 */
class ProtocolViolation extends RuntimeException {

    private static final long serialVersionUID = 1L;

    final int reason;

    ProtocolViolation(int reason, String message) {
        super(message, null, false, false);
        this.reason = reason;
    }

    /**
     * A Data-Out that breaks its command's sequence (DataSN, offset, F bit): the PDU is rejected
     * and that command is dropped without a response; the connection and the other commands go
     * on. The initiator matches the Reject to the command by the ITT in the returned header.
     */
    static final class TaskViolation extends ProtocolViolation {

        private static final long serialVersionUID = 1L;

        final transient ScsiTask task;

        TaskViolation(ScsiTask task, String message) {
            super(RejectPdu.PROTOCOL_ERROR, message);
            this.task = task;
        }
    }
}
