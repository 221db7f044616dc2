package io.jtgt.iscsi.pdu;


/** SNACK Request (RFC 7143 11.16); not used at ErrorRecoveryLevel 0, answered with a Reject. */
public final class SnackRequestPdu extends IscsiPdu {

    public SnackRequestPdu(byte[] bhs) {
        super(bhs);
    }

    public SnackRequestPdu() {
        super(Opcode.SNACK_REQUEST);
        finalFlag(true);
    }

    public int type() {
        return Bhs.getByte(bhs, 1) & 0x0f;
    }
}
