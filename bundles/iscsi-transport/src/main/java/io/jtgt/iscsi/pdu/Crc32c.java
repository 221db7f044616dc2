package io.jtgt.iscsi.pdu;

import io.netty.buffer.ByteBuf;
import java.util.zip.CRC32C;

/**
 * iSCSI digests: CRC32C (RFC 7143 13.1, RFC 3385), sent least significant byte first — the
 * all-zero 32-byte test vector of RFC 7143 B.4 gives the bytes {@code aa 36 91 8a} on the wire.
 */
public final class Crc32c {

    private static final byte[] PADDING = new byte[3];

    private Crc32c() {}

    /** CRC32C of {@code length} bytes at {@code index}, as the wire-order int to {@code writeIntLE}. */
    public static int of(ByteBuf buf, int index, int length) {
        CRC32C crc = new CRC32C();
        update(crc, buf, index, length);
        return (int) crc.getValue();
    }

    static void update(CRC32C crc, ByteBuf buf, int index, int length) {
        if (length == 0) {
            return;
        }
        if (buf.nioBufferCount() == 1) {
            crc.update(buf.nioBuffer(index, length));
        } else {
            for (java.nio.ByteBuffer part : buf.nioBuffers(index, length)) {
                crc.update(part);
            }
        }
    }

    /** CRC32C of a data segment followed by its zero padding. */
    public static int ofPadded(ByteBuf data, int padding) {
        CRC32C crc = new CRC32C();
        update(crc, data, data.readerIndex(), data.readableBytes());
        if (padding > 0) {
            crc.update(PADDING, 0, padding); // no array per digest
        }
        return (int) crc.getValue();
    }
}
