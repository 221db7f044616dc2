package io.jtgt.iscsi.pdu;


/** Text Request (RFC 7143 11.10). */
public final class TextRequestPdu extends InitiatorPdu {

    public TextRequestPdu(byte[] bhs) {
        super(bhs);
    }

    public TextRequestPdu() {
        super(Opcode.TEXT_REQUEST);
    }

    /** C bit: the text continues in the next PDU. */
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
