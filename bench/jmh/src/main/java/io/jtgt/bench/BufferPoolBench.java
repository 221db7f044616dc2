package io.jtgt.bench;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.PooledByteBufAllocator;
import io.netty.buffer.UnpooledByteBufAllocator;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.State;

/**
 * Acquire + release of one I/O buffer: the pooled direct allocator the data path uses against
 * unpooled direct buffers (malloc/free and a Cleaner-free release per I/O).
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
public class BufferPoolBench {

    @Param({"4096", "131072", "1048576"})
    public int size;

    private final PooledByteBufAllocator pooled = PooledByteBufAllocator.DEFAULT;
    private final UnpooledByteBufAllocator unpooled = new UnpooledByteBufAllocator(true);

    @Benchmark
    public int pooledDirect() {
        ByteBuf b = pooled.directBuffer(size, size);
        b.writeByte(1);
        int c = b.capacity();
        b.release();
        return c;
    }

    @Benchmark
    public int unpooledDirect() {
        ByteBuf b = unpooled.directBuffer(size, size);
        b.writeByte(1);
        int c = b.capacity();
        b.release();
        return c;
    }
}
