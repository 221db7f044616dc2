package io.jtgt.iscsi.pdu;


/** Login Request (RFC 7143 11.12). */
public final class LoginRequestPdu extends InitiatorPdu {

    public LoginRequestPdu(Bhs bhs) {
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
        return (bhs.getByte(1) >> 2) & 0x03;
    }

    public int nextStage() {
        return bhs.getByte(1) & 0x03;
    }

    public void stages(int current, int next) {
        bhs.setByte(1, (bhs.getByte(1) & 0xf0) | ((current & 3) << 2) | (next & 3));
    }

    public int versionMax() {
        return bhs.getUnsignedByte(2);
    }

    public int versionMin() {
        return bhs.getUnsignedByte(3);
    }

    public void versions(int max, int min) {
        bhs.setByte(2, max);
        bhs.setByte(3, min);
    }

    /** The 48-bit ISID (bytes 8–13). */
    public long isid() {
        return ((long) bhs.getUnsignedShort(8) << 32) | bhs.getUnsignedInt(10);
    }

    public void isid(long value) {
        bhs.setShort(8, (int) (value >>> 32));
        bhs.setInt(10, (int) value);
    }

    public int tsih() {
        return bhs.getUnsignedShort(14);
    }

    public void tsih(int value) {
        bhs.setShort(14, value);
    }

    public int cid() {
        return bhs.getUnsignedShort(20);
    }

    public void cid(int value) {
        bhs.setShort(20, value);
    }
}
