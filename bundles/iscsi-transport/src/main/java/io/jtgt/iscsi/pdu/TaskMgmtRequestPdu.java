package io.jtgt.iscsi.pdu;


/** Task Management Function Request (RFC 7143 11.5). */
public final class TaskMgmtRequestPdu extends InitiatorPdu {

    public static final int ABORT_TASK = 1;
    public static final int ABORT_TASK_SET = 2;
    public static final int CLEAR_ACA = 3;
    public static final int CLEAR_TASK_SET = 4;
    public static final int LOGICAL_UNIT_RESET = 5;
    public static final int TARGET_WARM_RESET = 6;
    public static final int TARGET_COLD_RESET = 7;
    public static final int TASK_REASSIGN = 8;

    public TaskMgmtRequestPdu(byte[] bhs) {
        super(bhs);
    }

    public TaskMgmtRequestPdu() {
        super(Opcode.TASK_MGMT_REQUEST);
        finalFlag(true);
    }

    public int function() {
        return Bhs.getByte(bhs, 1) & 0x7f;
    }

    public void function(int value) {
        Bhs.setByte(bhs, 1, 0x80 | (value & 0x7f));
    }

    public int referencedTaskTag() {
        return Bhs.getInt(bhs, 20);
    }

    public void referencedTaskTag(int value) {
        Bhs.setInt(bhs, 20, value);
    }

    public int refCmdSn() {
        return Bhs.getInt(bhs, 32);
    }

    public void refCmdSn(int value) {
        Bhs.setInt(bhs, 32, value);
    }
}
