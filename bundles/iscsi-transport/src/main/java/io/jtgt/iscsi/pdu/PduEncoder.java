package io.jtgt.iscsi.pdu;

import io.netty.buffer.ByteBuf;
import io.netty.channel.ChannelHandlerContext;
import io.netty.handler.codec.MessageToMessageEncoder;
import java.util.List;

/**
 * Writes a PDU as header buffer + the data segment itself (no copy) + padding/digest trailer.
 * Fills TotalAHSLength and DataSegmentLength from the PDU's AHS and data.
 */
public final class PduEncoder extends MessageToMessageEncoder<IscsiPdu> {

    private static final byte[] ZEROS = new byte[4];

    private final CodecSettings settings;

    public PduEncoder(CodecSettings settings) {
        super(IscsiPdu.class);
        this.settings = settings;
    }

    @Override
    protected void encode(ChannelHandlerContext ctx, IscsiPdu pdu, List<Object> out) {
        try {
            encode(ctx.alloc(), pdu, settings, out);
        } finally {
            pdu.release();
        }
    }

    /** Encodes without releasing the PDU; data buffers added to {@code out} are retained. */
    public static void encode(io.netty.buffer.ByteBufAllocator alloc, IscsiPdu pdu, CodecSettings settings,
            List<Object> out) {
        byte[] ahs = pdu.ahs();
        ByteBuf data = pdu.data();
        int dataLength = data.readableBytes();
        if (dataLength > 0xffffff) {
            throw new IllegalArgumentException("data segment too long: " + dataLength);
        }
        byte[] bhs = pdu.bhs();
        Bhs.setByte(bhs, 4, ahs.length / 4);
        Bhs.setMedium(bhs, 5, dataLength);
        int headerLength = IscsiPdu.BHS_LENGTH + ahs.length;
        ByteBuf header = alloc.buffer(headerLength + 4);
        header.writeBytes(bhs);
        header.writeBytes(ahs);
        if (settings.headerDigest()) {
            header.writeIntLE(Crc32c.of(header, 0, headerLength));
        }
        if (dataLength == 0) {
            out.add(header);
            return;
        }
        int padding = PduDecoder.padding(dataLength);
        boolean digest = settings.dataDigest();
        if (dataLength <= 1024 && !digest) {
            // Small segments (text, sense, NOP echo): one buffer is cheaper than three.
            header.writeBytes(data, data.readerIndex(), dataLength);
            header.writeBytes(ZEROS, 0, padding);
            out.add(header);
            return;
        }
        out.add(header);
        out.add(data.retainedDuplicate());
        if (padding > 0 || digest) {
            ByteBuf trailer = alloc.buffer(8);
            trailer.writeBytes(ZEROS, 0, padding);
            if (digest) {
                trailer.writeIntLE(Crc32c.ofPadded(data, padding));
            }
            out.add(trailer);
        }
    }
}
