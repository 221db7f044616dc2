package io.jtgt.iscsi.pdu;


/** Task Management Function Response (RFC 7143 11.6). */
public final class TaskMgmtResponsePdu extends TargetPdu {

    public static final int FUNCTION_COMPLETE = 0;
    public static final int TASK_DOES_NOT_EXIST = 1;
    public static final int LUN_DOES_NOT_EXIST = 2;
    public static final int TASK_STILL_ALLEGIANT = 3;
    public static final int TASK_REASSIGNMENT_NOT_SUPPORTED = 4;
    public static final int FUNCTION_NOT_SUPPORTED = 5;
    public static final int AUTHORIZATION_FAILED = 6;
    public static final int FUNCTION_REJECTED = 255;

    public TaskMgmtResponsePdu(byte[] bhs) {
        super(bhs);
    }

    public TaskMgmtResponsePdu() {
        super(Opcode.TASK_MGMT_RESPONSE);
        finalFlag(true);
    }

    public int response() {
        return Bhs.getUnsignedByte(bhs, 2);
    }

    public void response(int value) {
        Bhs.setByte(bhs, 2, value);
    }
}
