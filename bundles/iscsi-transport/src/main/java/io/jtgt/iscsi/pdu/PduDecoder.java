package io.jtgt.iscsi.pdu;

import io.netty.buffer.ByteBuf;
import io.netty.channel.ChannelHandlerContext;
import io.netty.handler.codec.ByteToMessageDecoder;
import java.util.List;

/**
 * Splits the TCP stream into PDUs (RFC 7143 11.2): BHS, AHS, optional header digest, data
 * segment, padding to 4 bytes, optional data digest. Emits typed {@link IscsiPdu}s, or one
 * {@link PduFramingError} after which it drops all further input (the connection is closing).
 */
public final class PduDecoder extends ByteToMessageDecoder {

    private final CodecSettings settings;
    private boolean failed;
    private boolean refill;
    /** The SCSI Command PDU handed out last, refilled for the next one unless its receiver kept it. */
    private ScsiCommandPdu lastCommand;

    public PduDecoder(CodecSettings settings) {
        this.settings = settings;
    }

    /**
     * Hands out one SCSI Command PDU object again and again, its BHS overwritten by the next
     * command's: the commonest PDU then costs no header array and no object. For a receiver that
     * is done with each PDU when its {@code channelRead} returns, or calls {@link IscsiPdu#keep()}
     * (ByteToMessageDecoder passes each decoded PDU on before it decodes the next).
     */
    public PduDecoder refillingScsiCommands() {
        refill = true;
        return this;
    }

    @Override
    protected void decode(ChannelHandlerContext ctx, ByteBuf in, List<Object> out) {
        if (failed) {
            in.skipBytes(in.readableBytes());
            return;
        }
        if (in.readableBytes() < IscsiPdu.BHS_LENGTH) {
            return;
        }
        int start = in.readerIndex();
        int ahsLength = in.getUnsignedByte(start + 4) * 4;
        int dataLength = in.getUnsignedMedium(start + 5);
        if (dataLength > settings.maxRecvDataSegmentLength()) {
            fail(in, out, start, RejectPdu.PROTOCOL_ERROR, "data segment of " + dataLength
                    + " bytes exceeds MaxRecvDataSegmentLength " + settings.maxRecvDataSegmentLength(), true);
            return;
        }
        int headerDigestLength = settings.headerDigest() ? 4 : 0;
        int padding = padding(dataLength);
        int dataDigestLength = settings.dataDigest() && dataLength > 0 ? 4 : 0;
        int total = IscsiPdu.BHS_LENGTH + ahsLength + headerDigestLength + dataLength + padding + dataDigestLength;
        if (in.readableBytes() < total) {
            return;
        }
        if (headerDigestLength > 0) {
            int expected = Crc32c.of(in, start, IscsiPdu.BHS_LENGTH + ahsLength);
            int actual = in.getIntLE(start + IscsiPdu.BHS_LENGTH + ahsLength);
            if (expected != actual) {
                // The length fields cannot be trusted any more: RFC 7143 7.8 — drop the connection.
                fail(in, out, start, RejectPdu.PROTOCOL_ERROR, "header digest mismatch", false);
                return;
            }
        }
        IscsiPdu pdu = header(in, start);
        if (ahsLength > 0) {
            byte[] ahs = new byte[ahsLength];
            in.readBytes(ahs);
            pdu.ahs(ahs);
        }
        in.skipBytes(headerDigestLength);
        if (dataLength > 0) {
            ByteBuf data = in.readRetainedSlice(dataLength);
            pdu.data(data);
            if (dataDigestLength > 0) {
                int expected = Crc32c.ofPadded(data, padding);
                in.skipBytes(padding);
                if (in.readIntLE() != expected) {
                    pdu.markDataDigestError();
                }
            } else {
                in.skipBytes(padding);
            }
        }
        out.add(pdu);
    }

    private IscsiPdu header(ByteBuf in, int start) {
        if (!refill || (in.getByte(start) & 0x3f) != Opcode.SCSI_COMMAND) {
            return IscsiPdu.fromBhs(Bhs.readFrom(in));
        }
        ScsiCommandPdu last = lastCommand;
        if (last == null || last.kept()) {
            last = (ScsiCommandPdu) IscsiPdu.fromBhs(Bhs.readFrom(in));
            lastCommand = last;
        } else {
            last.refill(in);
        }
        return last;
    }

    private void fail(ByteBuf in, List<Object> out, int start, int reason, String message, boolean trusted) {
        byte[] header = new byte[IscsiPdu.BHS_LENGTH];
        in.getBytes(start, header);
        in.skipBytes(in.readableBytes());
        failed = true;
        out.add(new PduFramingError(header, reason, message, trusted));
    }

    static int padding(int length) {
        return (4 - (length & 3)) & 3;
    }
}
