package io.jtgt.iscsi.pdu;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;

/**
 * One iSCSI PDU (RFC 7143 11.2): the 48-byte basic header segment, optional additional header
 * segments and the data segment. Typed subclasses name the opcode-specific BHS fields; they all
 * read and write the same BHS bytes, so a decoded PDU re-encodes bit for bit.
 *
 * <p>The data segment is a reference-counted buffer owned by the PDU: whoever consumes the PDU
 * calls {@link #release()} (the encoder does so for PDUs it writes).
 */
public abstract class IscsiPdu {

    public static final int BHS_LENGTH = 48;
    /** The reserved tag value (RFC 7143 11.2.1.8). */
    public static final int RESERVED_TAG = 0xffffffff;

    private static final byte[] NO_AHS = new byte[0];

    /** The basic header segment; DataSegmentLength and TotalAHSLength are filled by the encoder. */
    protected final byte[] bhs;
    private byte[] ahs = NO_AHS;
    private ByteBuf data = Unpooled.EMPTY_BUFFER;
    private boolean dataDigestError;
    /** Set by a receiver that holds on to this PDU past its channelRead (see {@link #keep()}). */
    private boolean kept;

    /** Wraps a decoded BHS. */
    protected IscsiPdu(byte[] bhs) {
        this.bhs = bhs;
    }

    /** A new PDU with the given opcode; all other fields zero. */
    protected IscsiPdu(int opcode) {
        this.bhs = Bhs.empty();
        Bhs.setByte(bhs, 0, opcode & 0x3f);
    }

    public final int opcode() {
        return Bhs.getByte(bhs, 0) & 0x3f;
    }

    /** The I bit: an immediate command (RFC 7143 11.2.1.1). */
    public final boolean immediate() {
        return (Bhs.getByte(bhs, 0) & 0x40) != 0;
    }

    public final void immediate(boolean value) {
        setFlag(0, 0x40, value);
    }

    /** Byte 1: the opcode-specific flags. */
    public final int flags() {
        return Bhs.getUnsignedByte(bhs, 1);
    }

    /** The F (final) bit, bit 7 of byte 1, common to most PDUs. */
    public final boolean finalFlag() {
        return (Bhs.getByte(bhs, 1) & 0x80) != 0;
    }

    public final void finalFlag(boolean value) {
        setFlag(1, 0x80, value);
    }

    /** Total AHS length in 4-byte words, as carried in the BHS. */
    public final int totalAhsLength() {
        return Bhs.getUnsignedByte(bhs, 4);
    }

    /** DataSegmentLength as carried in the BHS (decoded PDUs) or as it will be encoded. */
    public final int dataSegmentLength() {
        return Bhs.getUnsignedMedium(bhs, 5);
    }

    public final long lun() {
        return Bhs.getLong(bhs, 8);
    }

    public final void lun(long value) {
        Bhs.setLong(bhs, 8, value);
    }

    public final int initiatorTaskTag() {
        return Bhs.getInt(bhs, 16);
    }

    public final void initiatorTaskTag(int value) {
        Bhs.setInt(bhs, 16, value);
    }

    /** The BHS, for reading; the encoder fills length fields before writing it. */
    public final byte[] bhs() {
        return bhs;
    }

    /** A copy of the 48 BHS bytes (e.g. for the data of a Reject PDU). */
    public final byte[] bhsBytes() {
        return bhs.clone();
    }

    public final byte[] ahs() {
        return ahs;
    }

    public final void ahs(byte[] value) {
        if (value.length % 4 != 0) {
            throw new IllegalArgumentException("AHS length must be a multiple of 4: " + value.length);
        }
        this.ahs = value;
    }

    /** The data segment (without padding); owned by this PDU. */
    public final ByteBuf data() {
        return data;
    }

    /** Replaces the data segment; the PDU takes ownership of {@code value}. */
    public final void data(ByteBuf value) {
        ByteBuf old = this.data;
        this.data = value == null ? Unpooled.EMPTY_BUFFER : value;
        if (old != this.data) {
            old.release();
        }
    }

    public final void data(byte[] value) {
        data(Unpooled.wrappedBuffer(value));
    }

    /** True when the decoder found a data digest mismatch (RFC 7143 11.17.1 reason 0x02). */
    public final boolean dataDigestError() {
        return dataDigestError;
    }

    final void markDataDigestError() {
        this.dataDigestError = true;
    }

    /**
     * The receiver holds on to this decoded PDU after its {@code channelRead} returns (e.g. a
     * command waiting for an earlier CmdSN): a decoder that refills the PDUs it hands out
     * ({@link PduDecoder#refillingScsiCommands()}) then makes a new one instead.
     */
    public final void keep() {
        kept = true;
    }

    final boolean kept() {
        return kept;
    }

    /** Reads the next PDU's BHS into this one, as if decoded anew (no AHS, data or digest error yet). */
    final void refill(ByteBuf in) {
        release();
        in.readBytes(bhs);
        ahs = NO_AHS;
        dataDigestError = false;
    }

    /** Releases the data segment. Idempotent. */
    public final void release() {
        ByteBuf old = data;
        data = Unpooled.EMPTY_BUFFER;
        if (old.refCnt() > 0) {
            old.release();
        }
    }

    /**
     * Makes this PDU as new (its opcode, every other field zero, no AHS or data), for a sender that
     * reuses one PDU once the encoder has written it out. Then {@link #defaults()} as at construction.
     */
    public final void renew() {
        release();
        java.util.Arrays.fill(bhs, 1, BHS_LENGTH, (byte) 0);
        Bhs.setByte(bhs, 0, opcode());
        ahs = NO_AHS;
        dataDigestError = false;
        defaults();
    }

    /** The fields a new PDU of this type starts with besides its opcode (its constructor sets them too). */
    protected void defaults() {}

    protected final void setFlag(int index, int mask, boolean value) {
        int b = Bhs.getUnsignedByte(bhs, index);
        Bhs.setByte(bhs, index, value ? (b | mask) : (b & ~mask));
    }

    protected final boolean flag(int index, int mask) {
        return (Bhs.getByte(bhs, index) & mask) != 0;
    }

    @Override
    public String toString() {
        return getClass().getSimpleName() + "[opcode=0x" + Integer.toHexString(opcode())
                + ", itt=0x" + Integer.toHexString(initiatorTaskTag())
                + ", flags=0x" + Integer.toHexString(flags())
                + ", dataLength=" + data.readableBytes() + "]";
    }

    /** Creates the typed PDU for a decoded BHS; unknown opcodes give {@link UnknownPdu}. */
    public static IscsiPdu fromBhs(byte[] bhs) {
        return switch (Bhs.getByte(bhs, 0) & 0x3f) {
            case Opcode.NOP_OUT -> new NopOutPdu(bhs);
            case Opcode.SCSI_COMMAND -> new ScsiCommandPdu(bhs);
            case Opcode.TASK_MGMT_REQUEST -> new TaskMgmtRequestPdu(bhs);
            case Opcode.LOGIN_REQUEST -> new LoginRequestPdu(bhs);
            case Opcode.TEXT_REQUEST -> new TextRequestPdu(bhs);
            case Opcode.DATA_OUT -> new DataOutPdu(bhs);
            case Opcode.LOGOUT_REQUEST -> new LogoutRequestPdu(bhs);
            case Opcode.SNACK_REQUEST -> new SnackRequestPdu(bhs);
            case Opcode.NOP_IN -> new NopInPdu(bhs);
            case Opcode.SCSI_RESPONSE -> new ScsiResponsePdu(bhs);
            case Opcode.TASK_MGMT_RESPONSE -> new TaskMgmtResponsePdu(bhs);
            case Opcode.LOGIN_RESPONSE -> new LoginResponsePdu(bhs);
            case Opcode.TEXT_RESPONSE -> new TextResponsePdu(bhs);
            case Opcode.DATA_IN -> new DataInPdu(bhs);
            case Opcode.LOGOUT_RESPONSE -> new LogoutResponsePdu(bhs);
            case Opcode.R2T -> new R2tPdu(bhs);
            case Opcode.ASYNC_MESSAGE -> new AsyncMessagePdu(bhs);
            case Opcode.REJECT -> new RejectPdu(bhs);
            default -> new UnknownPdu(bhs);
        };
    }
}
