package io.jtgt.iscsi.pdu;


/** An initiator-to-target PDU carrying CmdSN (byte 24) and ExpStatSN (byte 28). */
public abstract class InitiatorPdu extends IscsiPdu {

    protected InitiatorPdu(Bhs bhs) {
        super(bhs);
    }

    protected InitiatorPdu(int opcode) {
        super(opcode);
    }

    public final int cmdSn() {
        return bhs.getInt(24);
    }

    public final void cmdSn(int value) {
        bhs.setInt(24, value);
    }

    public final int expStatSn() {
        return bhs.getInt(28);
    }

    public final void expStatSn(int value) {
        bhs.setInt(28, value);
    }
}
