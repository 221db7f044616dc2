package io.jtgt.iscsi.pdu;


/** SCSI Data-Out (RFC 7143 11.7). */
public final class DataOutPdu extends IscsiPdu {

    public DataOutPdu(Bhs bhs) {
        super(bhs);
    }

    public DataOutPdu() {
        super(Opcode.DATA_OUT);
    }

    /** 0xffffffff for unsolicited data, otherwise the TTT of the R2T being answered. */
    public int targetTransferTag() {
        return bhs.getInt(20);
    }

    public void targetTransferTag(int value) {
        bhs.setInt(20, value);
    }

    public int expStatSn() {
        return bhs.getInt(28);
    }

    public void expStatSn(int value) {
        bhs.setInt(28, value);
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
