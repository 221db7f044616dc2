package io.jtgt.iscsi.pdu;


/** A target-to-initiator PDU: StatSN, ExpCmdSN and MaxCmdSN at bytes 24, 28, 32 (RFC 7143 11.3 ff.). */
public abstract class TargetPdu extends IscsiPdu {

    protected TargetPdu(byte[] bhs) {
        super(bhs);
    }

    protected TargetPdu(int opcode) {
        super(opcode);
    }

    public final int statSn() {
        return Bhs.getInt(bhs, 24);
    }

    public final void statSn(int value) {
        Bhs.setInt(bhs, 24, value);
    }

    public final int expCmdSn() {
        return Bhs.getInt(bhs, 28);
    }

    public final void expCmdSn(int value) {
        Bhs.setInt(bhs, 28, value);
    }

    public final int maxCmdSn() {
        return Bhs.getInt(bhs, 32);
    }

    public final void maxCmdSn(int value) {
        Bhs.setInt(bhs, 32, value);
    }
}
