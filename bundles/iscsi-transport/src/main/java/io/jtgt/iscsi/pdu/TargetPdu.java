package io.jtgt.iscsi.pdu;


/** A target-to-initiator PDU: StatSN, ExpCmdSN and MaxCmdSN at bytes 24, 28, 32 (RFC 7143 11.3 ff.). */
public abstract class TargetPdu extends IscsiPdu {

    protected TargetPdu(Bhs bhs) {
        super(bhs);
    }

    protected TargetPdu(int opcode) {
        super(opcode);
    }

    public final int statSn() {
        return bhs.getInt(24);
    }

    public final void statSn(int value) {
        bhs.setInt(24, value);
    }

    public final int expCmdSn() {
        return bhs.getInt(28);
    }

    public final void expCmdSn(int value) {
        bhs.setInt(28, value);
    }

    public final int maxCmdSn() {
        return bhs.getInt(32);
    }

    public final void maxCmdSn(int value) {
        bhs.setInt(32, value);
    }
}
