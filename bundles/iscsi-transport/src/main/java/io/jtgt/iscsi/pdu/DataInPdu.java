package io.jtgt.iscsi.pdu;


/** SCSI Data-In (RFC 7143 11.7), possibly carrying the status (S bit, "phase collapse"). */
public final class DataInPdu extends TargetPdu {

    public DataInPdu(Bhs bhs) {
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
        bhs.setInt(44, (int) Math.abs(expected - actual));
    }

    public int residualCount() {
        return bhs.getInt(44);
    }

    public int status() {
        return bhs.getUnsignedByte(3);
    }

    public void status(int value) {
        bhs.setByte(3, value);
    }

    public int targetTransferTag() {
        return bhs.getInt(20);
    }

    public void targetTransferTag(int value) {
        bhs.setInt(20, value);
    }

    public int dataSn() {
        return bhs.getInt(36);
    }

    public void dataSn(int value) {
        bhs.setInt(36, value);
    }

    public int bufferOffset() {
        return bhs.getInt(40);
    }

    public void bufferOffset(int value) {
        bhs.setInt(40, value);
    }
}
