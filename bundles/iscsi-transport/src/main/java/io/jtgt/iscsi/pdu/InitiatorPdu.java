package io.jtgt.iscsi.pdu;


/** An initiator-to-target PDU carrying CmdSN (byte 24) and ExpStatSN (byte 28). */
public abstract class InitiatorPdu extends IscsiPdu {

    protected InitiatorPdu(byte[] bhs) {
        super(bhs);
    }

    protected InitiatorPdu(int opcode) {
        super(opcode);
    }

    public final int cmdSn() {
        return Bhs.getInt(bhs, 24);
    }

    public final void cmdSn(int value) {
        Bhs.setInt(bhs, 24, value);
    }

    public final int expStatSn() {
        return Bhs.getInt(bhs, 28);
    }

    public final void expStatSn(int value) {
        Bhs.setInt(bhs, 28, value);
    }
}
