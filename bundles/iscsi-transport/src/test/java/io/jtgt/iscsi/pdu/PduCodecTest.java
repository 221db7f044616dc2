package io.jtgt.iscsi.pdu;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufAllocator;
import io.netty.buffer.Unpooled;
import io.netty.channel.embedded.EmbeddedChannel;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

class PduCodecTest {

    private static ByteBuf encode(IscsiPdu pdu, CodecSettings settings) {
        List<Object> out = new ArrayList<>();
        PduEncoder.encode(ByteBufAllocator.DEFAULT, pdu, settings, out);
        ByteBuf all = Unpooled.buffer();
        for (Object o : out) {
            all.writeBytes((ByteBuf) o);
            ((ByteBuf) o).release();
        }
        return all;
    }

    private static List<Object> decode(ByteBuf bytes, CodecSettings settings) {
        EmbeddedChannel channel = new EmbeddedChannel(new PduDecoder(settings));
        channel.writeInbound(bytes);
        List<Object> result = new ArrayList<>();
        Object o;
        while ((o = channel.readInbound()) != null) {
            result.add(o);
        }
        return result;
    }

    @Test
    void crc32cMatchesTheRfcTestVector() {
        // RFC 7143 B.4: 32 bytes of zeros → CRC aa 36 91 8a (in wire order).
        ByteBuf zeros = Unpooled.buffer(32).writeZero(32);
        ByteBuf wire = Unpooled.buffer(4).writeIntLE(Crc32c.of(zeros, 0, 32));
        assertArrayEquals(new byte[] {(byte) 0xaa, 0x36, (byte) 0x91, (byte) 0x8a}, toArray(wire));
        ByteBuf ones = Unpooled.buffer(32);
        for (int i = 0; i < 32; i++) {
            ones.writeByte(0xff);
        }
        wire = Unpooled.buffer(4).writeIntLE(Crc32c.of(ones, 0, 32));
        assertArrayEquals(new byte[] {0x43, (byte) 0xab, (byte) 0xa8, 0x62}, toArray(wire));
    }

    @Test
    void scsiCommandRoundTripsWithPaddedDataAndAllFields() {
        ScsiCommandPdu pdu = new ScsiCommandPdu();
        pdu.finalFlag(true);
        pdu.write(true);
        pdu.taskAttribute(1);
        pdu.lun(0x0001000000000000L);
        pdu.initiatorTaskTag(0x12345678);
        pdu.expectedDataTransferLength(4096);
        pdu.cmdSn(77);
        pdu.expStatSn(5);
        pdu.cdbField(new byte[] {0x2a, 0, 0, 0, 0, 1, 0, 0, 8, 0});
        pdu.data(new byte[] {1, 2, 3, 4, 5});
        CodecSettings settings = new CodecSettings(8192);
        ByteBuf wire = encode(pdu, settings);
        assertEquals(48 + 8, wire.readableBytes(), "5 data bytes padded to 8");
        List<Object> decoded = decode(wire, settings);
        ScsiCommandPdu back = assertInstanceOf(ScsiCommandPdu.class, decoded.get(0));
        assertTrue(back.finalFlag());
        assertTrue(back.write());
        assertFalse(back.read());
        assertEquals(1, back.taskAttribute());
        assertEquals(0x0001000000000000L, back.lun());
        assertEquals(0x12345678, back.initiatorTaskTag());
        assertEquals(4096, back.expectedDataTransferLength());
        assertEquals(77, back.cmdSn());
        assertEquals(5, back.expStatSn());
        assertEquals(0x2a, back.cdbField()[0]);
        assertEquals(5, back.dataSegmentLength());
        assertArrayEquals(new byte[] {1, 2, 3, 4, 5}, toArray(back.data()));
        back.release();
    }

    @Test
    void everyTypedPduDecodesToItsClass() {
        IscsiPdu[] pdus = {new NopOutPdu(), new NopInPdu(), new ScsiCommandPdu(), new ScsiResponsePdu(),
            new TaskMgmtRequestPdu(), new TaskMgmtResponsePdu(), new LoginRequestPdu(), new LoginResponsePdu(),
            new TextRequestPdu(), new TextResponsePdu(), new DataOutPdu(), new DataInPdu(), new LogoutRequestPdu(),
            new LogoutResponsePdu(), new SnackRequestPdu(), new R2tPdu(), new AsyncMessagePdu(), new RejectPdu()};
        CodecSettings settings = new CodecSettings(8192);
        for (IscsiPdu pdu : pdus) {
            byte[] header = pdu.bhsBytes();
            List<Object> decoded = decode(encode(pdu, settings), settings);
            assertEquals(pdu.getClass(), decoded.get(0).getClass());
            assertArrayEquals(header, ((IscsiPdu) decoded.get(0)).bhsBytes());
        }
    }

    @Test
    void loginFieldsRoundTrip() {
        LoginRequestPdu pdu = new LoginRequestPdu();
        pdu.transit(true);
        pdu.stages(1, 3);
        pdu.isid(0x80123456789aL);
        pdu.tsih(0x1234);
        pdu.cid(7);
        pdu.versions(0, 0);
        IscsiPdu back = (IscsiPdu) decode(encode(pdu, new CodecSettings(8192)), new CodecSettings(8192)).get(0);
        LoginRequestPdu login = (LoginRequestPdu) back;
        assertTrue(login.immediate());
        assertTrue(login.transit());
        assertEquals(1, login.currentStage());
        assertEquals(3, login.nextStage());
        assertEquals(0x80123456789aL, login.isid());
        assertEquals(0x1234, login.tsih());
        assertEquals(7, login.cid());
    }

    @Test
    void digestsRoundTripAndAreVerified() {
        CodecSettings settings = new CodecSettings(8192);
        settings.headerDigest(true);
        settings.dataDigest(true);
        NopOutPdu pdu = new NopOutPdu();
        pdu.initiatorTaskTag(9);
        pdu.data(new byte[] {9, 8, 7});
        ByteBuf wire = encode(pdu, settings);
        assertEquals(48 + 4 + 4 + 4, wire.readableBytes());
        ByteBuf corruptData = wire.copy();
        ByteBuf corruptHeader = wire.copy();
        NopOutPdu back = (NopOutPdu) decode(wire, settings).get(0);
        assertFalse(back.dataDigestError());
        assertArrayEquals(new byte[] {9, 8, 7}, toArray(back.data()));

        corruptData.setByte(48 + 4, 0x55);
        NopOutPdu bad = (NopOutPdu) decode(corruptData, settings).get(0);
        assertTrue(bad.dataDigestError());

        corruptHeader.setByte(20, 0x55);
        PduFramingError error = assertInstanceOf(PduFramingError.class, decode(corruptHeader, settings).get(0));
        assertEquals(RejectPdu.PROTOCOL_ERROR, error.reason());
    }

    @Test
    void oversizedDataSegmentIsAFramingErrorAndTheRestIsDropped() {
        CodecSettings settings = new CodecSettings(8192);
        NopOutPdu pdu = new NopOutPdu();
        pdu.data(new byte[8196]);
        ByteBuf wire = encode(pdu, new CodecSettings(1 << 20));
        wire.writeBytes(encode(new NopOutPdu(), settings));
        List<Object> decoded = decode(wire, settings);
        assertEquals(1, decoded.size());
        PduFramingError error = assertInstanceOf(PduFramingError.class, decoded.get(0));
        assertEquals(0x00, error.header()[0]);
        assertTrue(error.message().contains("8196"));
    }

    @Test
    void truncatedInputWaitsForTheRest() {
        CodecSettings settings = new CodecSettings(8192);
        NopOutPdu pdu = new NopOutPdu();
        pdu.data(new byte[100]);
        ByteBuf wire = encode(pdu, settings);
        EmbeddedChannel channel = new EmbeddedChannel(new PduDecoder(settings));
        channel.writeInbound(wire.readRetainedSlice(30));
        assertNull(channel.readInbound());
        channel.writeInbound(wire.readRetainedSlice(60));
        assertNull(channel.readInbound(), "header complete, data still missing");
        channel.writeInbound(wire.readRetainedSlice(wire.readableBytes()));
        NopOutPdu back = (NopOutPdu) channel.readInbound();
        assertEquals(100, back.data().readableBytes());
        back.release();
        assertFalse(channel.finish());
    }

    @Test
    void unknownOpcodeDecodesAsUnknownPduKeepingFraming() {
        CodecSettings settings = new CodecSettings(8192);
        ByteBuf wire = Unpooled.buffer();
        wire.writeByte(0x1c).writeZero(4).writeMedium(4).writeZero(40).writeInt(0xdeadbeef);
        wire.writeBytes(encode(new NopOutPdu(), settings));
        List<Object> decoded = decode(wire, settings);
        assertEquals(2, decoded.size());
        assertInstanceOf(UnknownPdu.class, decoded.get(0));
        assertInstanceOf(NopOutPdu.class, decoded.get(1));
    }

    @Test
    void ahsIsCarriedAndCounted() {
        CodecSettings settings = new CodecSettings(8192);
        ScsiCommandPdu pdu = new ScsiCommandPdu();
        pdu.ahs(new byte[] {0, 5, 1, 0, 1, 2, 3, 4});
        ByteBuf wire = encode(pdu, settings);
        assertEquals(2, wire.getByte(4), "TotalAHSLength in words");
        ScsiCommandPdu back = (ScsiCommandPdu) decode(wire, settings).get(0);
        assertArrayEquals(new byte[] {0, 5, 1, 0, 1, 2, 3, 4}, back.ahs());
    }

    static byte[] toArray(ByteBuf buf) {
        byte[] bytes = new byte[buf.readableBytes()];
        buf.getBytes(buf.readerIndex(), bytes);
        return bytes;
    }
}
