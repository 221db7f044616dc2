package io.jtgt.iscsi.pdu;


/** Text Response (RFC 7143 11.11). */
public final class TextResponsePdu extends TargetPdu {

    public TextResponsePdu(byte[] bhs) {
        super(bhs);
    }

    public TextResponsePdu() {
        super(Opcode.TEXT_RESPONSE);
    }

    public boolean continueFlag() {
        return flag(1, 0x40);
    }

    public void continueFlag(boolean value) {
        setFlag(1, 0x40, value);
    }

    public int targetTransferTag() {
        return Bhs.getInt(bhs, 20);
    }

    public void targetTransferTag(int value) {
        Bhs.setInt(bhs, 20, value);
    }
}
