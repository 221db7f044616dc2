package io.jtgt.iscsi.pdu;


/** Asynchronous Message (RFC 7143 11.9). */
public final class AsyncMessagePdu extends TargetPdu {

    public static final int SCSI_ASYNC_EVENT = 0;
    public static final int LOGOUT_REQUESTED = 1;
    public static final int DROPPING_CONNECTION = 2;
    public static final int DROPPING_ALL_CONNECTIONS = 3;
    public static final int RENEGOTIATION_REQUESTED = 4;

    public AsyncMessagePdu(byte[] bhs) {
        super(bhs);
    }

    public AsyncMessagePdu() {
        super(Opcode.ASYNC_MESSAGE);
        finalFlag(true);
        initiatorTaskTag(RESERVED_TAG);
    }

    public int asyncEvent() {
        return Bhs.getUnsignedByte(bhs, 36);
    }

    public void asyncEvent(int value) {
        Bhs.setByte(bhs, 36, value);
    }

    public int asyncVCode() {
        return Bhs.getUnsignedByte(bhs, 37);
    }

    public void asyncVCode(int value) {
        Bhs.setByte(bhs, 37, value);
    }

    /** Parameter1 to Parameter3 (bytes 38, 40, 42). */
    public void parameters(int p1, int p2, int p3) {
        Bhs.setShort(bhs, 38, p1);
        Bhs.setShort(bhs, 40, p2);
        Bhs.setShort(bhs, 42, p3);
    }

    public int parameter1() {
        return Bhs.getUnsignedShort(bhs, 38);
    }
}
