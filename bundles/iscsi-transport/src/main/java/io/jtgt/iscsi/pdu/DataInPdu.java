package io.jtgt.iscsi.pdu;


/** SCSI Data-In (RFC 7143 11.7), possibly carrying the status (S bit, "phase collapse"). */
public final class DataInPdu extends TargetPdu {

    public DataInPdu(byte[] bhs) {
        super(bhs);
    }

    public DataInPdu() {
        super(Opcode.DATA_IN);
    }

    /** S bit: status is included (then F must be set too). */
    public boolean hasStatus() {
        return flag(1, 0x01);
    }

    public void hasStatus(boolean value) {
        setFlag(1, 0x01, value);
    }

    public boolean residualOverflow() {
        return flag(1, 0x04);
    }

    public boolean residualUnderflow() {
        return flag(1, 0x02);
    }

    /** Sets O/U and the residual count (only meaningful with the S bit). */
    public void residual(long expected, long actual) {
        setFlag(1, 0x04, actual > expected);
        setFlag(1, 0x02, actual < expected);
        Bhs.setInt(bhs, 44, (int) Math.abs(expected - actual));
    }

    public int residualCount() {
        return Bhs.getInt(bhs, 44);
    }

    public int status() {
        return Bhs.getUnsignedByte(bhs, 3);
    }

    public void status(int value) {
        Bhs.setByte(bhs, 3, value);
    }

    public int targetTransferTag() {
        return Bhs.getInt(bhs, 20);
    }

    public void targetTransferTag(int value) {
        Bhs.setInt(bhs, 20, value);
    }

    public int dataSn() {
        return Bhs.getInt(bhs, 36);
    }

    public void dataSn(int value) {
        Bhs.setInt(bhs, 36, value);
    }

    public int bufferOffset() {
        return Bhs.getInt(bhs, 40);
    }

    public void bufferOffset(int value) {
        Bhs.setInt(bhs, 40, value);
    }
}
