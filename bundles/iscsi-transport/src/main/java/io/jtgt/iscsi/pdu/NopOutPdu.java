package io.jtgt.iscsi.pdu;


/** NOP-Out (RFC 7143 11.18). */
public final class NopOutPdu extends InitiatorPdu {

    public NopOutPdu(byte[] bhs) {
        super(bhs);
    }

    public NopOutPdu() {
        super(Opcode.NOP_OUT);
        finalFlag(true);
    }

    public int targetTransferTag() {
        return Bhs.getInt(bhs, 20);
    }

    public void targetTransferTag(int value) {
        Bhs.setInt(bhs, 20, value);
    }
}
