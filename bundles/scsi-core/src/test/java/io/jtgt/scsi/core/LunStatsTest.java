package io.jtgt.scsi.core;

import static io.jtgt.scsi.testing.Harness.assertGood;
import static io.jtgt.scsi.testing.Harness.data;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import io.jtgt.scsi.api.ManagementService.LatencyHistogram;
import io.jtgt.scsi.api.ManagementService.LunStats;
import io.jtgt.scsi.testing.Harness;
import io.jtgt.scsi.testing.TestCommand;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class LunStatsTest {

    @Test
    void readsWritesAndErrorsAreCountedPerLun() {
        try (Harness h = new Harness().ready()) {
            byte[] two = new byte[1024];
            assertGood(h.run(TestCommand.lun(0, 0x2A, 0, 0, 0, 0, 20, 0, 0, 2, 0).dataOut(two))); // WRITE(10) 2 blocks
            assertGood(h.run(TestCommand.lun(0, 0x0A, 0, 0, 10, 1, 0).dataOut(new byte[512]))); // WRITE(6) 1 block
            assertEquals(1536, data(h.run(TestCommand.lun(0, 0x28, 0, 0, 0, 0, 20, 0, 0, 3, 0))).length);
            // READ past the end: LBA OUT OF RANGE, an error, no bytes
            h.run(TestCommand.lun(0, 0x28, 0, 0, 0, 0, 0x7F, 0xFF, 0, 1, 0));
            // INQUIRY and TEST UNIT READY are not I/O
            h.run(TestCommand.lun(0, 0x12, 0, 0, 0, 0, 96, 0));
            h.run(TestCommand.lun(0, 0, 0, 0, 0, 0, 0));

            LunStats s = single(h);
            assertEquals(Harness.TARGET, s.target());
            assertEquals(0, s.lun());
            assertEquals(1000L, s.deviceId());
            assertEquals(1, s.readOps());
            assertEquals(1536, s.readBytes());
            assertEquals(2, s.writeOps());
            assertEquals(1536, s.writeBytes());
            assertEquals(1, s.errors());
            assertEquals(1, s.readLatency().count());
            assertEquals(2, s.writeLatency().count());

            // the same counts for the one session; a second session starts at zero
            h.connect();
            List<io.jtgt.scsi.api.ManagementService.SessionStats> sessions = h.service.sessionStats();
            assertEquals(2, sessions.size());
            io.jtgt.scsi.api.ManagementService.SessionStats first = sessions.stream()
                    .filter(x -> x.isid().equals("23d000000001")).findFirst().orElseThrow();
            assertEquals(List.of(1L, 1536L, 2L, 1536L, 1L), List.of(first.readOps(), first.readBytes(), first.writeOps(),
                    first.writeBytes(), first.errors()));
            assertEquals(2, first.writeLatency().count());
            io.jtgt.scsi.api.ManagementService.SessionStats second = sessions.stream()
                    .filter(x -> x.isid().equals("23d000000002")).findFirst().orElseThrow();
            assertEquals(0, second.readOps() + second.writeOps() + second.errors());
        }
    }

    @Test
    void countersSurviveAChangedDefinition() {
        try (Harness h = new Harness().ready()) {
            data(h.run(TestCommand.lun(0, 0x28, 0, 0, 0, 0, 0, 0, 0, 1, 0)));
            Map<String, Object> props = new HashMap<>(Harness.storage(1000, "mem:disk", 2048L << 9, 9, false).toProperties());
            props.put("thinProvisioning", true); // not only deviceSize: the device is replaced
            h.service.putStorage(io.jtgt.scsi.config.StorageDefinition.fromProperties(props));
            assertEquals(1, single(h).readOps());
        }
    }

    @Test
    void latencyBucketsAreLog2OfMicroseconds() {
        assertEquals(0, IoStats.bucket(999));
        assertEquals(1, IoStats.bucket(1_000));
        assertEquals(1, IoStats.bucket(1_999));
        assertEquals(2, IoStats.bucket(2_000));
        assertEquals(11, IoStats.bucket(1_500_000)); // 1500 µs is in [1024, 2048)
        assertEquals(IoStats.BUCKETS - 1, IoStats.bucket(Long.MAX_VALUE));
        IoStats stats = new IoStats();
        for (int i = 0; i < 99; i++) {
            stats.read(512, 100_000); // 100 µs: bucket 7 = [64, 128)
        }
        stats.read(512, 5_000_000); // 5 ms: bucket 13 = [4096, 8192)
        LatencyHistogram h = stats.readLatency();
        assertEquals(100, h.count());
        assertEquals(99, h.buckets().get(7));
        assertEquals(128, h.quantileUpperBoundMicros(0.5));
        assertEquals(128, h.quantileUpperBoundMicros(0.99));
        assertEquals(8192, h.quantileUpperBoundMicros(1.0));
        assertEquals((99 * 100 + 5000) / 100, h.meanMicros());
        assertEquals(0, LatencyHistogram.empty().quantileUpperBoundMicros(0.5));
        assertThrows(IllegalArgumentException.class, () -> h.quantileUpperBoundMicros(0));
    }

    @Test
    void transferLengthOfEachCdbForm() {
        assertEquals(256, IoStats.transferBlocks(new byte[] {0x0A, 0, 0, 0, 0, 0}));
        assertEquals(3, IoStats.transferBlocks(new byte[] {0x2A, 0, 0, 0, 0, 0, 0, 0, 3, 0}));
        assertEquals(70000, IoStats.transferBlocks(new byte[] {(byte) 0xAA, 0, 0, 0, 0, 0, 0, 1, 0x11, 0x70, 0, 0}));
        assertEquals(5, IoStats.transferBlocks(new byte[] {(byte) 0x8A, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 5, 0, 0}));
    }

    private static LunStats single(Harness h) {
        List<LunStats> all = h.service.lunStats();
        assertEquals(1, all.size());
        return all.get(0);
    }
}
