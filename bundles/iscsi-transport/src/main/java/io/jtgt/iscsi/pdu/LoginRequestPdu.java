package io.jtgt.iscsi.pdu;


/** Login Request (RFC 7143 11.12). */
public final class LoginRequestPdu extends InitiatorPdu {

    public LoginRequestPdu(byte[] bhs) {
        super(bhs);
    }

    public LoginRequestPdu() {
        super(Opcode.LOGIN_REQUEST);
        immediate(true);
    }

    /** T bit: the initiator is ready to transit to the next stage. */
    public boolean transit() {
        return flag(1, 0x80);
    }

    public void transit(boolean value) {
        setFlag(1, 0x80, value);
    }

    /** C bit: the text continues in the next PDU. */
    public boolean continueFlag() {
        return flag(1, 0x40);
    }

    public void continueFlag(boolean value) {
        setFlag(1, 0x40, value);
    }

    /** Current stage: 0 security negotiation, 1 operational negotiation, 3 full feature phase. */
    public int currentStage() {
        return (Bhs.getByte(bhs, 1) >> 2) & 0x03;
    }

    public int nextStage() {
        return Bhs.getByte(bhs, 1) & 0x03;
    }

    public void stages(int current, int next) {
        Bhs.setByte(bhs, 1, (Bhs.getByte(bhs, 1) & 0xf0) | ((current & 3) << 2) | (next & 3));
    }

    public int versionMax() {
        return Bhs.getUnsignedByte(bhs, 2);
    }

    public int versionMin() {
        return Bhs.getUnsignedByte(bhs, 3);
    }

    public void versions(int max, int min) {
        Bhs.setByte(bhs, 2, max);
        Bhs.setByte(bhs, 3, min);
    }

    /** The 48-bit ISID (bytes 8–13). */
    public long isid() {
        return ((long) Bhs.getUnsignedShort(bhs, 8) << 32) | Bhs.getUnsignedInt(bhs, 10);
    }

    public void isid(long value) {
        Bhs.setShort(bhs, 8, (int) (value >>> 32));
        Bhs.setInt(bhs, 10, (int) value);
    }

    public int tsih() {
        return Bhs.getUnsignedShort(bhs, 14);
    }

    public void tsih(int value) {
        Bhs.setShort(bhs, 14, value);
    }

    public int cid() {
        return Bhs.getUnsignedShort(bhs, 20);
    }

    public void cid(int value) {
        Bhs.setShort(bhs, 20, value);
    }
}
