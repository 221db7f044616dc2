package io.jtgt.iscsi.pdu;


/** SCSI Data-Out (RFC 7143 11.7). */
public final class DataOutPdu extends IscsiPdu {

    public DataOutPdu(byte[] bhs) {
        super(bhs);
    }

    public DataOutPdu() {
        super(Opcode.DATA_OUT);
    }

    /** 0xffffffff for unsolicited data, otherwise the TTT of the R2T being answered. */
    public int targetTransferTag() {
        return Bhs.getInt(bhs, 20);
    }

    public void targetTransferTag(int value) {
        Bhs.setInt(bhs, 20, value);
    }

    public int expStatSn() {
        return Bhs.getInt(bhs, 28);
    }

    public void expStatSn(int value) {
        Bhs.setInt(bhs, 28, value);
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
