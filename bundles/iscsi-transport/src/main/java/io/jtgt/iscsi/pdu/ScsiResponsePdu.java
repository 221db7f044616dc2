package io.jtgt.iscsi.pdu;


/** SCSI Response (RFC 7143 11.4). */
public final class ScsiResponsePdu extends TargetPdu {

    /** iSCSI response codes (11.4.3). */
    public static final int COMMAND_COMPLETED = 0x00;
    public static final int TARGET_FAILURE = 0x01;

    public ScsiResponsePdu(byte[] bhs) {
        super(bhs);
    }

    public ScsiResponsePdu() {
        super(Opcode.SCSI_RESPONSE);
        defaults();
    }

    @Override
    protected void defaults() {
        finalFlag(true); // a SCSI Response is always final (RFC 7143 11.4)
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
        Bhs.setInt(bhs, 44, (int) Math.abs(expected - actual));
    }

    public int response() {
        return Bhs.getUnsignedByte(bhs, 2);
    }

    public void response(int value) {
        Bhs.setByte(bhs, 2, value);
    }

    public int status() {
        return Bhs.getUnsignedByte(bhs, 3);
    }

    public void status(int value) {
        Bhs.setByte(bhs, 3, value);
    }

    public int expDataSn() {
        return Bhs.getInt(bhs, 36);
    }

    public void expDataSn(int value) {
        Bhs.setInt(bhs, 36, value);
    }

    public int residualCount() {
        return Bhs.getInt(bhs, 44);
    }
}
