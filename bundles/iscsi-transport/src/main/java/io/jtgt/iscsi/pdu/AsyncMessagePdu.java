package io.jtgt.iscsi.pdu;


/** Asynchronous Message (RFC 7143 11.9). */
public final class AsyncMessagePdu extends TargetPdu {

    public static final int SCSI_ASYNC_EVENT = 0;
    public static final int LOGOUT_REQUESTED = 1;
    public static final int DROPPING_CONNECTION = 2;
    public static final int DROPPING_ALL_CONNECTIONS = 3;
    public static final int RENEGOTIATION_REQUESTED = 4;

    public AsyncMessagePdu(Bhs bhs) {
        super(bhs);
    }

    public AsyncMessagePdu() {
        super(Opcode.ASYNC_MESSAGE);
        finalFlag(true);
        initiatorTaskTag(RESERVED_TAG);
    }

    public int asyncEvent() {
        return bhs.getUnsignedByte(36);
    }

    public void asyncEvent(int value) {
        bhs.setByte(36, value);
    }

    public int asyncVCode() {
        return bhs.getUnsignedByte(37);
    }

    public void asyncVCode(int value) {
        bhs.setByte(37, value);
    }

    /** Parameter1 to Parameter3 (bytes 38, 40, 42). */
    public void parameters(int p1, int p2, int p3) {
        bhs.setShort(38, p1);
        bhs.setShort(40, p2);
        bhs.setShort(42, p3);
    }

    public int parameter1() {
        return bhs.getUnsignedShort(38);
    }
}
