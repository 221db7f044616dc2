package io.jtgt.iscsi.pdu;


/** Logout Response (RFC 7143 11.15). */
public final class LogoutResponsePdu extends TargetPdu {

    public static final int CLOSED_SUCCESSFULLY = 0;
    public static final int CID_NOT_FOUND = 1;
    public static final int RECOVERY_NOT_SUPPORTED = 2;
    public static final int CLEANUP_FAILED = 3;

    public LogoutResponsePdu(byte[] bhs) {
        super(bhs);
    }

    public LogoutResponsePdu() {
        super(Opcode.LOGOUT_RESPONSE);
        finalFlag(true);
    }

    public int response() {
        return Bhs.getUnsignedByte(bhs, 2);
    }

    public void response(int value) {
        Bhs.setByte(bhs, 2, value);
    }

    public int time2Wait() {
        return Bhs.getUnsignedShort(bhs, 40);
    }

    public void time2Wait(int value) {
        Bhs.setShort(bhs, 40, value);
    }

    public int time2Retain() {
        return Bhs.getUnsignedShort(bhs, 42);
    }

    public void time2Retain(int value) {
        Bhs.setShort(bhs, 42, value);
    }
}
