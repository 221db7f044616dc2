package io.jtgt.iscsi.pdu;


/** Reject (RFC 7143 11.17); its data segment is the rejected PDU's header. */
public final class RejectPdu extends TargetPdu {

    /** Reason codes (11.17.1). */
    public static final int DATA_DIGEST_ERROR = 0x02;
    public static final int SNACK_REJECT = 0x03;
    public static final int PROTOCOL_ERROR = 0x04;
    public static final int COMMAND_NOT_SUPPORTED = 0x05;
    public static final int IMMEDIATE_COMMAND_REJECT = 0x06;
    public static final int TASK_IN_PROGRESS = 0x07;
    public static final int INVALID_DATA_ACK = 0x08;
    public static final int INVALID_PDU_FIELD = 0x09;
    public static final int OUT_OF_RESOURCES = 0x0a;
    public static final int WAITING_FOR_LOGOUT = 0x0c;

    public RejectPdu(byte[] bhs) {
        super(bhs);
    }

    public RejectPdu() {
        super(Opcode.REJECT);
        finalFlag(true);
        initiatorTaskTag(RESERVED_TAG);
    }

    public int reason() {
        return Bhs.getUnsignedByte(bhs, 2);
    }

    public void reason(int value) {
        Bhs.setByte(bhs, 2, value);
    }

    public int dataSnOrR2tSn() {
        return Bhs.getInt(bhs, 36);
    }
}
