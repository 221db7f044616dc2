package io.jtgt.bench;

import io.jtgt.iscsi.pdu.Crc32c;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import java.util.concurrent.TimeUnit;
import java.util.zip.CRC32C;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;

/**
 * CRC32C digests: the project's {@link Crc32c} (JDK {@link CRC32C}, SSE4.2/CLMUL intrinsics) on a
 * direct buffer against a byte-at-a-time table (Sarwate), over a 48-byte header and data segments.
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.Throughput)
@OutputTimeUnit(TimeUnit.MICROSECONDS)
public class Crc32cBench {

    private static final int[] TABLE = new int[256];

    static {
        for (int i = 0; i < 256; i++) {
            int c = i;
            for (int k = 0; k < 8; k++) {
                c = (c & 1) != 0 ? (c >>> 1) ^ 0x82F63B78 : c >>> 1; // reflected Castagnoli polynomial
            }
            TABLE[i] = c;
        }
    }

    @Param({"48", "4096", "131072"})
    public int size;

    private ByteBuf direct;
    private byte[] heap;

    @Setup
    public void setup() {
        heap = new byte[size];
        new java.util.Random(1).nextBytes(heap);
        direct = Unpooled.directBuffer(size).writeBytes(heap);
        if (naive() != jdkOnArray()) {
            throw new IllegalStateException("table CRC32C disagrees with the JDK");
        }
    }

    @TearDown
    public void tearDown() {
        direct.release();
    }

    @Benchmark
    public int project() {
        return Crc32c.of(direct, 0, size);
    }

    @Benchmark
    public int jdkOnArray() {
        CRC32C crc = new CRC32C();
        crc.update(heap, 0, size);
        return (int) crc.getValue();
    }

    @Benchmark
    public int naive() {
        int c = 0xFFFFFFFF;
        for (int i = 0; i < size; i++) {
            c = TABLE[(c ^ heap[i]) & 0xFF] ^ (c >>> 8);
        }
        return ~c;
    }
}
