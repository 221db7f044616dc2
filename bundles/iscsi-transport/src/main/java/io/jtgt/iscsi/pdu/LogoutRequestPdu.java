package io.jtgt.iscsi.pdu;


/** Logout Request (RFC 7143 11.14). */
public final class LogoutRequestPdu extends InitiatorPdu {

    public static final int CLOSE_SESSION = 0;
    public static final int CLOSE_CONNECTION = 1;
    public static final int REMOVE_CONNECTION_FOR_RECOVERY = 2;

    public LogoutRequestPdu(byte[] bhs) {
        super(bhs);
    }

    public LogoutRequestPdu() {
        super(Opcode.LOGOUT_REQUEST);
        finalFlag(true);
    }

    public int reasonCode() {
        return Bhs.getByte(bhs, 1) & 0x7f;
    }

    public void reasonCode(int value) {
        Bhs.setByte(bhs, 1, 0x80 | (value & 0x7f));
    }

    public int cid() {
        return Bhs.getUnsignedShort(bhs, 20);
    }

    public void cid(int value) {
        Bhs.setShort(bhs, 20, value);
    }
}
