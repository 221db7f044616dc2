package io.jtgt.iscsi.pdu;


/** Ready To Transfer (RFC 7143 11.8). Its StatSN field carries the next StatSN without using it. */
public final class R2tPdu extends TargetPdu {

    public R2tPdu(byte[] bhs) {
        super(bhs);
    }

    public R2tPdu() {
        super(Opcode.R2T);
        finalFlag(true);
    }

    public int targetTransferTag() {
        return Bhs.getInt(bhs, 20);
    }

    public void targetTransferTag(int value) {
        Bhs.setInt(bhs, 20, value);
    }

    public int r2tSn() {
        return Bhs.getInt(bhs, 36);
    }

    public void r2tSn(int value) {
        Bhs.setInt(bhs, 36, value);
    }

    public int bufferOffset() {
        return Bhs.getInt(bhs, 40);
    }

    public void bufferOffset(int value) {
        Bhs.setInt(bhs, 40, value);
    }

    public int desiredDataTransferLength() {
        return Bhs.getInt(bhs, 44);
    }

    public void desiredDataTransferLength(int value) {
        Bhs.setInt(bhs, 44, value);
    }
}
