package io.jtgt.iscsi.pdu;


/** Logout Request (RFC 7143 11.14). */
public final class LogoutRequestPdu extends InitiatorPdu {

    public static final int CLOSE_SESSION = 0;
    public static final int CLOSE_CONNECTION = 1;
    public static final int REMOVE_CONNECTION_FOR_RECOVERY = 2;

    public LogoutRequestPdu(Bhs bhs) {
        super(bhs);
    }

    public LogoutRequestPdu() {
        super(Opcode.LOGOUT_REQUEST);
        finalFlag(true);
    }

    public int reasonCode() {
        return bhs.getByte(1) & 0x7f;
    }

    public void reasonCode(int value) {
        bhs.setByte(1, 0x80 | (value & 0x7f));
    }

    public int cid() {
        return bhs.getUnsignedShort(20);
    }

    public void cid(int value) {
        bhs.setShort(20, value);
    }
}
