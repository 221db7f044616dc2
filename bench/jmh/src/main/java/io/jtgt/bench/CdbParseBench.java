package io.jtgt.bench;

import io.jtgt.scsi.core.sbc.BlockIo;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.State;

/** CDB parse of the block commands every I/O goes through (LBA, length, FUA, protect). */
@State(Scope.Thread)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
public class CdbParseBench {

    private final byte[] read10 = {0x28, 0, 0, 1, 0x23, 0x45, 0, 0, 8, 0};
    private final byte[] write16 = {(byte) 0x8a, 0x08, 0, 0, 0, 0, 0, 1, 0x23, 0x45, 0, 0, 0, 8, 0, 0};

    @Benchmark
    public long parseRead10() {
        BlockIo io = BlockIo.parse(read10);
        return io.lba() + io.blocks();
    }

    @Benchmark
    public long parseWrite16Fua() {
        BlockIo io = BlockIo.parse(write16);
        return io.lba() + (io.fua() ? 1 : 0);
    }
}
