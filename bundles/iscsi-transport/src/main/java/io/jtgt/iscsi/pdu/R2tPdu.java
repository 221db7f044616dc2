package io.jtgt.iscsi.pdu;


/** Ready To Transfer (RFC 7143 11.8). Its StatSN field carries the next StatSN without using it. */
public final class R2tPdu extends TargetPdu {

    public R2tPdu(Bhs bhs) {
        super(bhs);
    }

    public R2tPdu() {
        super(Opcode.R2T);
        finalFlag(true);
    }

    public int targetTransferTag() {
        return bhs.getInt(20);
    }

    public void targetTransferTag(int value) {
        bhs.setInt(20, value);
    }

    public int r2tSn() {
        return bhs.getInt(36);
    }

    public void r2tSn(int value) {
        bhs.setInt(36, value);
    }

    public int bufferOffset() {
        return bhs.getInt(40);
    }

    public void bufferOffset(int value) {
        bhs.setInt(40, value);
    }

    public int desiredDataTransferLength() {
        return bhs.getInt(44);
    }

    public void desiredDataTransferLength(int value) {
        bhs.setInt(44, value);
    }
}
