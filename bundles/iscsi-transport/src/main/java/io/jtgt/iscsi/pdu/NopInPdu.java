package io.jtgt.iscsi.pdu;


/** NOP-In (RFC 7143 11.19). */
public final class NopInPdu extends TargetPdu {

    public NopInPdu(byte[] bhs) {
        super(bhs);
    }

    public NopInPdu() {
        super(Opcode.NOP_IN);
        finalFlag(true);
    }

    public int targetTransferTag() {
        return Bhs.getInt(bhs, 20);
    }

    public void targetTransferTag(int value) {
        Bhs.setInt(bhs, 20, value);
    }
}
