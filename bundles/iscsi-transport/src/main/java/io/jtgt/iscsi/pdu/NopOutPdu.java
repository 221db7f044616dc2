package io.jtgt.iscsi.pdu;


/** NOP-Out (RFC 7143 11.18). */
public final class NopOutPdu extends InitiatorPdu {

    public NopOutPdu(Bhs bhs) {
        super(bhs);
    }

    public NopOutPdu() {
        super(Opcode.NOP_OUT);
        finalFlag(true);
    }

    public int targetTransferTag() {
        return bhs.getInt(20);
    }

    public void targetTransferTag(int value) {
        bhs.setInt(20, value);
    }
}
