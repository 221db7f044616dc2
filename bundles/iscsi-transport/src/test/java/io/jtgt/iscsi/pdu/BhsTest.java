package io.jtgt.iscsi.pdu;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import org.junit.jupiter.api.Test;

/** {@link Bhs} reads and writes the bytes exactly as Netty's big-endian ByteBuf does (RFC 7143 network order). */
class BhsTest {

    @Test
    void setsTheSameBytesAsAByteBuf() {
        byte[] bhs = Bhs.empty();
        ByteBuf ref = Unpooled.buffer(IscsiPdu.BHS_LENGTH).writeZero(IscsiPdu.BHS_LENGTH);
        Bhs.setByte(bhs, 0, 0xc1);
        ref.setByte(0, 0xc1);
        Bhs.setMedium(bhs, 5, 0xabcdef);
        ref.setMedium(5, 0xabcdef);
        Bhs.setLong(bhs, 8, 0x0102030405060708L);
        ref.setLong(8, 0x0102030405060708L);
        Bhs.setInt(bhs, 16, 0xfedcba98);
        ref.setInt(16, 0xfedcba98);
        Bhs.setShort(bhs, 42, 0xbeef);
        ref.setShort(42, 0xbeef);
        byte[] expected = new byte[IscsiPdu.BHS_LENGTH];
        ref.getBytes(0, expected);
        assertArrayEquals(expected, bhs);

        ByteBuf out = Unpooled.buffer();
        out.writeBytes(bhs);
        assertEquals(ref, out);
    }

    @Test
    void readsUnsignedAndUnalignedFieldsAsAByteBuf() {
        byte[] raw = new byte[IscsiPdu.BHS_LENGTH];
        for (int i = 0; i < raw.length; i++) {
            raw[i] = (byte) (0xf0 + i);
        }
        ByteBuf ref = Unpooled.wrappedBuffer(raw.clone());
        byte[] bhs = Bhs.readFrom(Unpooled.wrappedBuffer(raw.clone()));
        assertEquals(ref.getUnsignedByte(1), Bhs.getUnsignedByte(bhs, 1));
        assertEquals(ref.getUnsignedMedium(5), Bhs.getUnsignedMedium(bhs, 5));
        assertEquals(ref.getUnsignedShort(8), Bhs.getUnsignedShort(bhs, 8));
        assertEquals(ref.getUnsignedInt(10), Bhs.getUnsignedInt(bhs, 10), "ISID low half, not 4-aligned");
        assertEquals(ref.getLong(8), Bhs.getLong(bhs, 8));
        assertEquals(ref.getInt(20), Bhs.getInt(bhs, 20));
    }
}
