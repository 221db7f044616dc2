package io.jtgt.iscsi.pdu;


/** NOP-In (RFC 7143 11.19). */
public final class NopInPdu extends TargetPdu {

    public NopInPdu(Bhs bhs) {
        super(bhs);
    }

    public NopInPdu() {
        super(Opcode.NOP_IN);
        finalFlag(true);
    }

    public int targetTransferTag() {
        return bhs.getInt(20);
    }

    public void targetTransferTag(int value) {
        bhs.setInt(20, value);
    }
}
