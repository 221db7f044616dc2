package io.jtgt.iscsi.pdu;


/** SCSI Response (RFC 7143 11.4). */
public final class ScsiResponsePdu extends TargetPdu {

    /** iSCSI response codes (11.4.3). */
    public static final int COMMAND_COMPLETED = 0x00;
    public static final int TARGET_FAILURE = 0x01;

    public ScsiResponsePdu(Bhs bhs) {
        super(bhs);
    }

    public ScsiResponsePdu() {
        super(Opcode.SCSI_RESPONSE);
        finalFlag(true);
    }

    /** O bit (11.4.5.1): residual overflow. */
    public boolean residualOverflow() {
        return flag(1, 0x04);
    }

    /** U bit: residual underflow. */
    public boolean residualUnderflow() {
        return flag(1, 0x02);
    }

    /** Sets the O/U bits and the residual count from the two lengths. */
    public void residual(long expected, long actual) {
        setFlag(1, 0x04, actual > expected);
        setFlag(1, 0x02, actual < expected);
        bhs.setInt(44, (int) Math.abs(expected - actual));
    }

    public int response() {
        return bhs.getUnsignedByte(2);
    }

    public void response(int value) {
        bhs.setByte(2, value);
    }

    public int status() {
        return bhs.getUnsignedByte(3);
    }

    public void status(int value) {
        bhs.setByte(3, value);
    }

    public int expDataSn() {
        return bhs.getInt(36);
    }

    public void expDataSn(int value) {
        bhs.setInt(36, value);
    }

    public int residualCount() {
        return bhs.getInt(44);
    }
}
