package io.jtgt.scsi.core;

import static io.jtgt.scsi.testing.Harness.assertGood;
import static io.jtgt.scsi.testing.Harness.assertSense;
import static io.jtgt.scsi.testing.Harness.data;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.jtgt.scsi.spi.Capabilities;
import io.jtgt.scsi.testing.Harness;
import io.jtgt.scsi.testing.TestCommand;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;

/** WRITE ATOMIC (16) (SBC-4 5.48) and the gate that keeps it whole for READ and WRITE. */
class WriteAtomicTest {

    private static TestCommand writeAtomic(int lba, int blocks, byte[] data) {
        TestCommand c = TestCommand.lun(0, 0x9C, 0, 0, 0, 0, 0, 0, 0, lba >> 8, lba & 0xFF, 0, 0, blocks >> 8,
                blocks & 0xFF, 0, 0);
        return data == null ? c : c.dataOut(data);
    }

    @Test
    void writesAndAdvertisesItsLimits() {
        try (Harness h = new Harness(4096, 9, false, Capabilities.BASIC).ready()) {
            byte[] d = new byte[8 * 512];
            Arrays.fill(d, (byte) 0x5A);
            assertGood(h.run(writeAtomic(10, 8, d)));
            assertArrayEquals(d, data(h.run(TestCommand.lun(0, 0x28, 0, 0, 0, 0, 10, 0, 0, 8, 0))));
            assertGood(h.run(writeAtomic(0, 0, null))); // zero blocks: nothing to do
            assertSense(h.run(writeAtomic(4095, 2, new byte[1024])), 5, 0x21, 0); // beyond the end
            assertSense(h.run(TestCommand.lun(0, 0x9C, 0x20, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 1, 0, 0)
                    .dataOut(new byte[512])), 5, 0x24, 0); // WRPROTECT
            assertSense(h.run(writeAtomic(0, 2049, new byte[2049 * 512])), 5, 0x24, 0); // > 1 MiB
            byte[] b0 = data(h.run(TestCommand.lun(0, 0x12, 1, 0xB0, 0, 0x40, 0)));
            assertEquals(2048, (int) Cdb.u32(b0, 44), "MAXIMUM ATOMIC TRANSFER LENGTH");
            assertEquals(0, (int) Cdb.u32(b0, 48), "ATOMIC ALIGNMENT");
            assertEquals(0, (int) Cdb.u32(b0, 52), "ATOMIC TRANSFER LENGTH GRANULARITY");
            assertTrue(Cdb.u32(b0, 44) <= Cdb.u32(b0, 8), "within MAXIMUM TRANSFER LENGTH");
        }
    }

    /**
     * An "atomic" op that writes a shared array one slot at a time on another thread, against
     * plain readers: through the gate no reader ever sees two values at once.
     */
    @Test
    void readersNeverSeeATornAtomicWrite() throws Exception {
        AtomicWriteGate gate = new AtomicWriteGate(new RangeLocks());
        int[] blocks = new int[16];
        ExecutorService pool = Executors.newFixedThreadPool(4);
        AtomicInteger torn = new AtomicInteger();
        try {
            List<CompletableFuture<?>> all = new ArrayList<>();
            for (int round = 1; round <= 200; round++) {
                int value = round;
                all.add(gate.atomic(0, 16, () -> CompletableFuture.runAsync(() -> {
                    for (int i = 0; i < blocks.length; i++) {
                        blocks[i] = value;
                        Thread.yield();
                    }
                }, pool)));
                for (int r = 0; r < 3; r++) {
                    all.add(gate.plain(4, 8, () -> CompletableFuture.runAsync(() -> {
                        int first = blocks[0];
                        for (int b : blocks) {
                            if (b != first) {
                                torn.incrementAndGet();
                            }
                        }
                    }, pool)));
                }
            }
            CompletableFuture.allOf(all.toArray(CompletableFuture[]::new)).get(30, TimeUnit.SECONDS);
        } finally {
            pool.shutdownNow();
        }
        assertEquals(0, torn.get(), "reads that saw a half-done atomic write");
    }

    @Test
    void plainCommandsOnOtherRangesDoNotWait() throws Exception {
        AtomicWriteGate gate = new AtomicWriteGate(new RangeLocks());
        CompletableFuture<Void> slowAtomic = new CompletableFuture<>();
        CompletableFuture<Void> atomic = gate.atomic(0, 8, () -> slowAtomic);
        CompletableFuture<String> other = gate.plain(100, 8, () -> CompletableFuture.completedFuture("done"));
        assertEquals("done", other.get(1, TimeUnit.SECONDS));
        CompletableFuture<String> overlapping = gate.plain(4, 8, () -> CompletableFuture.completedFuture("after"));
        Thread.sleep(50);
        assertTrue(!overlapping.isDone(), "an overlapping read waits for the atomic write");
        slowAtomic.complete(null);
        atomic.get(1, TimeUnit.SECONDS);
        assertEquals("after", overlapping.get(1, TimeUnit.SECONDS));
    }
}
