package io.jtgt.iscsi.pdu;


/** SCSI Command (RFC 7143 11.3). */
public final class ScsiCommandPdu extends InitiatorPdu {

    public ScsiCommandPdu(byte[] bhs) {
        super(bhs);
    }

    public ScsiCommandPdu() {
        super(Opcode.SCSI_COMMAND);
    }

    /** R bit: the initiator expects Data-In. */
    public boolean read() {
        return flag(1, 0x40);
    }

    public void read(boolean value) {
        setFlag(1, 0x40, value);
    }

    /** W bit: the initiator will send Data-Out. */
    public boolean write() {
        return flag(1, 0x20);
    }

    public void write(boolean value) {
        setFlag(1, 0x20, value);
    }

    /** ATTR: 0 untagged, 1 simple, 2 ordered, 3 head of queue, 4 ACA. */
    public int taskAttribute() {
        return Bhs.getByte(bhs, 1) & 0x07;
    }

    public void taskAttribute(int value) {
        Bhs.setByte(bhs, 1, (Bhs.getByte(bhs, 1) & ~0x07) | (value & 0x07));
    }

    public int expectedDataTransferLength() {
        return Bhs.getInt(bhs, 20);
    }

    public void expectedDataTransferLength(int value) {
        Bhs.setInt(bhs, 20, value);
    }

    /** The 16-byte CDB field. */
    public byte[] cdbField() {
        byte[] cdb = new byte[16];
        Bhs.getBytes(bhs, 32, cdb);
        return cdb;
    }

    public void cdbField(byte[] cdb) {
        if (cdb.length > 16) {
            throw new IllegalArgumentException("CDB longer than 16 bytes needs an extended CDB AHS");
        }
        Bhs.setZero(bhs, 32, 16);
        Bhs.setBytes(bhs, 32, cdb);
    }
}
