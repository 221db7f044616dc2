package io.jtgt.shell;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.jtgt.scsi.api.ManagementService;
import io.jtgt.scsi.api.ManagementService.LatencyHistogram;
import io.jtgt.scsi.api.ManagementService.LunStats;
import io.jtgt.scsi.api.ManagementService.SessionStats;
import java.util.List;
import org.junit.jupiter.api.Test;

class StatsTest {

    @Test
    void tableShowsCountersBytesAndLatency() throws Exception {
        long[] reads = new long[LatencyHistogram.BUCKETS];
        reads[7] = 99; // [64, 128) us
        reads[13] = 1; // [4096, 8192) us
        LunStats lun = new LunStats("iqn.2026-11.io.jtgt:t", 0, 1000, 100, 100L << 20, 0, 0, 2,
                new LatencyHistogram(reads, 99 * 100 + 5000), LatencyHistogram.empty());
        Stats command = new Stats();
        command.management = management(List.of(lun));
        command.histogram = true;
        command.sessions = true;
        String out = Printed.by(command::print);
        String row = out.lines().filter(l -> l.startsWith("iqn.2026-11.io.jtgt:t")).findFirst().orElseThrow();
        assertTrue(row.matches(".*\\b1000\\s.*\\b100\\s.*100\\.0 MiB\\s.*\\b0\\s.*0 B\\s.*\\b2\\s.*"), row);
        assertTrue(row.contains("149 us / <128 us / <128 us"), row);
        assertTrue(row.trim().endsWith("-"), "no writes: no latency: " + row);
        assertTrue(out.contains("iqn.2026-11.io.jtgt:t LUN 0 (device 1000)"), out);
        assertTrue(out.lines().anyMatch(l -> l.matches("\\s*9\\s*\\|\\s*iqn.2026-11.io.jtgt:t\\s*\\|\\s*iqn.2008-11.org.linux-kvm\\s*\\|\\s*0\\s*\\|\\s*0 B\\s*\\|\\s*4\\s*\\|\\s*2.0 KiB.*")),
                "the session row: " + out);
        assertTrue(out.lines().anyMatch(l -> l.matches("\\s*8\\.2 ms\\s*\\|\\s*1\\s*\\|\\s*0\\s*")), out);
    }

    @Test
    void noLuns() throws Exception {
        Stats command = new Stats();
        command.management = management(List.of());
        assertTrue(Printed.by(command::print).contains("no LUNs"));
    }

    @Test
    void microsecondsReadable() {
        assertEquals("850 us", Format.micros(850));
        assertEquals("4.1 ms", Format.micros(4096));
        assertEquals("2.0 s", Format.micros(2_000_000));
    }

    static ManagementService management(List<LunStats> stats) {
        return new EmptyManagement() {
            @Override
            public List<LunStats> lunStats() {
                return stats;
            }

            @Override
            public List<SessionStats> sessionStats() {
                long[] writes = new long[LatencyHistogram.BUCKETS];
                writes[5] = 4;
                return List.of(new SessionStats("iqn.2026-11.io.jtgt:t", 9, "iqn.2008-11.org.linux-kvm", "23d000000001",
                        0, 0, 4, 2048, 0, LatencyHistogram.empty(), new LatencyHistogram(writes, 100)));
            }
        };
    }
}
