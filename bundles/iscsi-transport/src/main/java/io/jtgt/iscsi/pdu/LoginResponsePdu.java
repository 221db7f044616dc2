package io.jtgt.iscsi.pdu;


/** Login Response (RFC 7143 11.13). */
public final class LoginResponsePdu extends TargetPdu {

    public LoginResponsePdu(Bhs bhs) {
        super(bhs);
    }

    public LoginResponsePdu() {
        super(Opcode.LOGIN_RESPONSE);
    }

    public boolean transit() {
        return flag(1, 0x80);
    }

    public void transit(boolean value) {
        setFlag(1, 0x80, value);
    }

    public boolean continueFlag() {
        return flag(1, 0x40);
    }

    public void continueFlag(boolean value) {
        setFlag(1, 0x40, value);
    }

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

    public int versionActive() {
        return bhs.getUnsignedByte(3);
    }

    public void versions(int max, int active) {
        bhs.setByte(2, max);
        bhs.setByte(3, active);
    }

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

    /** Status-Class and Status-Detail as one 16-bit value, e.g. 0x0203 (11.13.5). */
    public int status() {
        return bhs.getUnsignedShort(36);
    }

    public void status(int value) {
        bhs.setShort(36, value);
    }
}
