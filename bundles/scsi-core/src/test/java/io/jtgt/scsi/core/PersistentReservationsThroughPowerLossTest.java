package io.jtgt.scsi.core;

import static io.jtgt.scsi.testing.Harness.assertGood;
import static io.jtgt.scsi.testing.Harness.assertSense;
import static io.jtgt.scsi.testing.Harness.data;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.jtgt.scsi.api.ItNexus;
import io.jtgt.scsi.api.NexusInfo;
import io.jtgt.scsi.api.ScsiResponse;
import io.jtgt.scsi.config.TargetDefinition;
import io.jtgt.scsi.spi.Capabilities;
import io.jtgt.scsi.testing.Harness;
import io.jtgt.scsi.testing.MemoryProvider;
import io.jtgt.scsi.testing.TestCommand;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** APTPL (SPC-4 5.9.5): registrations and the reservation survive a restart of the service. */
class PersistentReservationsThroughPowerLossTest {

    @TempDir
    Path dir;

    private static ScsiTargetService service(Path prDir) {
        ScsiTargetService s = new ScsiTargetService(prDir);
        s.addProvider(new MemoryProvider("mem", Capabilities.BASIC));
        s.putStorage(Harness.storage(1000, "mem:disk", 2048L * 512, 9, false));
        s.putTarget(new TargetDefinition(Harness.TARGET, Map.of(1, List.of(0)), Map.of(0, 1000L)));
        return s;
    }

    private static ItNexus connect(ScsiTargetService s) {
        return s.target(Harness.TARGET).orElseThrow().connect(new NexusInfo("iqn.1994-05.com.example:init",
                0x23d000000001L, 1, 1, "127.0.0.1:50000", "127.0.0.1:3260", Map::of, () -> 0));
    }

    private static ScsiResponse ready(ItNexus n) {
        for (int i = 0; i < 50; i++) {
            ScsiResponse r = Harness.run(n, TestCommand.lun(0, 0, 0, 0, 0, 0, 0));
            if (r.status() == ScsiResponse.GOOD) {
                return r;
            }
            try {
                Thread.sleep(20);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
        throw new AssertionError("unit never became ready");
    }

    private static TestCommand prOut(int action, int type, long key, long serviceKey, boolean aptpl) {
        byte[] p = new byte[24];
        Cdb.put64(p, 0, key);
        Cdb.put64(p, 8, serviceKey);
        p[20] = (byte) (aptpl ? 1 : 0);
        return TestCommand.lun(0, 0x5F, action, type, 0, 0, 0, 0, 0, 24, 0).dataOut(p);
    }

    @Test
    void aptplStateIsRestoredAndAptplZeroForgetsIt() {
        ScsiTargetService first = service(dir);
        ItNexus n = connect(first);
        ready(n);
        assertGood(Harness.run(n, prOut(0x00, 0, 0, 0xABCDL, true))); // REGISTER with APTPL
        assertGood(Harness.run(n, prOut(0x01, 0x01, 0xABCDL, 0, false))); // RESERVE write exclusive
        byte[] caps = data(Harness.run(n, TestCommand.lun(0, 0x5E, 0x02, 0, 0, 0, 0, 0, 0, 8, 0)));
        assertEquals(0x01, caps[2] & 0x01, "PTPL_C");
        assertEquals(0x01, caps[3] & 0x01, "PTPL_A");
        assertTrue(Files.exists(dir.resolve("pr").resolve("lu-1000.json")));
        n.close();
        first.close();

        ScsiTargetService second = service(dir);
        ItNexus again = connect(second);
        ready(again);
        byte[] keys = data(Harness.run(again, TestCommand.lun(0, 0x5E, 0x00, 0, 0, 0, 0, 0, 1, 0, 0)));
        assertEquals(8, Cdb.u32(keys, 4), "one key after the restart");
        assertEquals(0xABCDL, Cdb.u64(keys, 8));
        byte[] res = data(Harness.run(again, TestCommand.lun(0, 0x5E, 0x01, 0, 0, 0, 0, 0, 1, 0, 0)));
        assertEquals(16, Cdb.u32(res, 4), "the reservation is back");
        assertEquals(0x01, res[21] & 0x0F, "write exclusive");
        // REGISTER with APTPL=0: the state is no longer kept
        assertGood(Harness.run(again, prOut(0x00, 0, 0xABCDL, 0xABCEL, false)));
        assertFalse(Files.exists(dir.resolve("pr").resolve("lu-1000.json")));
        again.close();
        second.close();
    }

    @Test
    void withoutAStateDirectoryAptplIsRefused() {
        try (Harness h = new Harness().ready()) {
            assertSense(h.run(prOut(0x00, 0, 0, 0x1234L, true)), 5, 0x26, 0);
            byte[] caps = data(h.run(TestCommand.lun(0, 0x5E, 0x02, 0, 0, 0, 0, 0, 0, 8, 0)));
            assertEquals(0, caps[2] & 0x01, "PTPL_C");
        }
    }
}
