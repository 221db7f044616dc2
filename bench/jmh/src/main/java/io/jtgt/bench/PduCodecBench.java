package io.jtgt.bench;

import io.jtgt.iscsi.pdu.CodecSettings;
import io.jtgt.iscsi.pdu.DataInPdu;
import io.jtgt.iscsi.pdu.IscsiPdu;
import io.jtgt.iscsi.pdu.PduDecoder;
import io.jtgt.iscsi.pdu.PduEncoder;
import io.jtgt.iscsi.pdu.ScsiCommandPdu;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufAllocator;
import io.netty.buffer.PooledByteBufAllocator;
import io.netty.buffer.Unpooled;
import io.netty.channel.embedded.EmbeddedChannel;
import io.netty.util.ReferenceCountUtil;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;

/**
 * PDU header decode (a SCSI Command BHS through {@link PduDecoder} in a channel) and encode (a
 * Data-In header + 4 KiB data segment through {@link PduEncoder#encode}).
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
public class PduCodecBench {

    private final ByteBufAllocator alloc = PooledByteBufAllocator.DEFAULT;
    private EmbeddedChannel decoder;
    private byte[] commandBhs;
    private ByteBuf data4k;
    private final CodecSettings plain = new CodecSettings(256 * 1024);
    private final CodecSettings digests = new CodecSettings(256 * 1024);
    private final List<Object> out = new ArrayList<>(4);

    @Setup
    public void setup() {
        decoder = new EmbeddedChannel(new PduDecoder(new CodecSettings(256 * 1024)));
        ScsiCommandPdu cmd = new ScsiCommandPdu();
        cmd.initiatorTaskTag(0x1234);
        cmd.lun(0);
        byte[] bhs = cmd.bhs();
        io.jtgt.iscsi.pdu.Bhs.setByte(bhs, 1, 0x80 | 0x40 | 0x01); // F, R, SIMPLE
        io.jtgt.iscsi.pdu.Bhs.setInt(bhs, 20, 4096); // EDTL
        io.jtgt.iscsi.pdu.Bhs.setByte(bhs, 32, 0x28); // READ(10)
        io.jtgt.iscsi.pdu.Bhs.setShort(bhs, 39, 8);
        commandBhs = bhs.clone();
        data4k = Unpooled.directBuffer(4096).writeZero(4096);
        digests.headerDigest(true);
        digests.dataDigest(true);
    }

    @TearDown
    public void tearDown() {
        decoder.finishAndReleaseAll();
        data4k.release();
    }

    @Benchmark
    public int decodeScsiCommandHeader() {
        ByteBuf in = alloc.directBuffer(IscsiPdu.BHS_LENGTH).writeBytes(commandBhs);
        decoder.writeInbound(in);
        IscsiPdu pdu = decoder.readInbound();
        int itt = pdu.initiatorTaskTag();
        pdu.release();
        return itt;
    }

    private int encode(CodecSettings settings) {
        DataInPdu pdu = new DataInPdu();
        pdu.initiatorTaskTag(0x1234);
        pdu.dataSn(0);
        pdu.finalFlag(true);
        pdu.data(data4k.retainedDuplicate());
        PduEncoder.encode(alloc, pdu, settings, out);
        pdu.release();
        int n = out.size();
        for (Object o : out) {
            ReferenceCountUtil.release(o);
        }
        out.clear();
        return n;
    }

    @Benchmark
    public int encodeDataIn4k() {
        return encode(plain);
    }

    @Benchmark
    public int encodeDataIn4kWithDigests() {
        return encode(digests);
    }
}
