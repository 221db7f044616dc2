package io.jtgt.iscsi.pdu;


/** Login Response (RFC 7143 11.13). */
public final class LoginResponsePdu extends TargetPdu {

    public LoginResponsePdu(byte[] bhs) {
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

    public int versionActive() {
        return Bhs.getUnsignedByte(bhs, 3);
    }

    public void versions(int max, int active) {
        Bhs.setByte(bhs, 2, max);
        Bhs.setByte(bhs, 3, active);
    }

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

    /** Status-Class and Status-Detail as one 16-bit value, e.g. 0x0203 (11.13.5). */
    public int status() {
        return Bhs.getUnsignedShort(bhs, 36);
    }

    public void status(int value) {
        Bhs.setShort(bhs, 36, value);
    }
}
