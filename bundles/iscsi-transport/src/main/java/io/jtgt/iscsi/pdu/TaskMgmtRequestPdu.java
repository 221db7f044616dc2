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

    public TaskMgmtRequestPdu(Bhs bhs) {
        super(bhs);
    }

    public TaskMgmtRequestPdu() {
        super(Opcode.TASK_MGMT_REQUEST);
        finalFlag(true);
    }

    public int function() {
        return bhs.getByte(1) & 0x7f;
    }

    public void function(int value) {
        bhs.setByte(1, 0x80 | (value & 0x7f));
    }

    public int referencedTaskTag() {
        return bhs.getInt(20);
    }

    public void referencedTaskTag(int value) {
        bhs.setInt(20, value);
    }

    public int refCmdSn() {
        return bhs.getInt(32);
    }

    public void refCmdSn(int value) {
        bhs.setInt(32, value);
    }
}
