package io.jtgt.scsi.core;

import static io.jtgt.scsi.testing.Harness.assertGood;
import static io.jtgt.scsi.testing.Harness.assertSense;
import static io.jtgt.scsi.testing.Harness.data;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.jtgt.scsi.api.ItNexus;
import io.jtgt.scsi.api.NexusInfo;
import io.jtgt.scsi.api.ScsiResponse;
import io.jtgt.scsi.config.TargetDefinition;
import io.jtgt.scsi.spi.Capabilities;
import io.jtgt.scsi.testing.Harness;
import io.jtgt.scsi.testing.MemoryBackingStore;
import io.jtgt.scsi.testing.MemoryProvider;
import io.jtgt.scsi.testing.TestCommand;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Saved mode parameters (SPC-4 6.9 SP=1, 6.11 PC=11b, 7.5.7 PS): what MODE SELECT saves is durable
 * in the state directory and becomes the current values when the service starts again.
 */
class SavedModeParametersTest {

    private static final int CACHING = 0x08;
    private static final int CONTROL = 0x0A;
    private static final int PC_CURRENT = 0x00;
    private static final int PC_DEFAULT = 0x80;
    private static final int PC_SAVED = 0xC0;

    @TempDir
    Path dir;

    private MemoryProvider provider;

    private ScsiTargetService service(Path stateDir) {
        ScsiTargetService s = new ScsiTargetService(stateDir);
        provider = new MemoryProvider("mem", Capabilities.BASIC); // BASIC has a volatile cache: WCE changeable
        s.addProvider(provider);
        s.putStorage(Harness.storage(1000, "mem:disk", 2048L * 512, 9, false));
        s.putTarget(new TargetDefinition(Harness.TARGET, Map.of(1, List.of(0)), Map.of(0, 1000L)));
        return s;
    }

    private static ItNexus connect(ScsiTargetService s, long isid) {
        return s.target(Harness.TARGET).orElseThrow().connect(new NexusInfo("iqn.1994-05.com.example:init",
                isid, 1, 1, "127.0.0.1:50000", "127.0.0.1:3260", Map::of, () -> 0));
    }

    /** TEST UNIT READY until GOOD: consumes unit attentions and waits for the store to open. */
    private static void ready(ItNexus n) {
        for (int i = 0; i < 50; i++) {
            if (Harness.run(n, TestCommand.lun(0, 0, 0, 0, 0, 0, 0)).status() == ScsiResponse.GOOD) {
                return;
            }
            try {
                Thread.sleep(20);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
        throw new AssertionError("unit never became ready");
    }

    /** MODE SENSE(6), DBD, one page: the page bytes (after the 4-byte header). */
    private static byte[] page(ItNexus n, int pcBits, int code) {
        byte[] d = data(Harness.run(n, TestCommand.lun(0, 0x1A, 0x08, pcBits | code, 0, 255, 0)));
        assertEquals(0, d[3], "no block descriptor with DBD");
        return java.util.Arrays.copyOfRange(d, 4, d.length);
    }

    private static byte[] cachingList(boolean wce) {
        byte[] p = new byte[4 + 20];
        p[4] = CACHING;
        p[5] = 0x12;
        p[6] = (byte) (wce ? 0x04 : 0);
        return p;
    }

    /** MODE SELECT(10) parameter list with the control page as MODE SENSE shows it, PS echoed back. */
    private static byte[] controlList10(boolean swp) {
        byte[] p = new byte[8 + 12];
        p[8] = (byte) (0x80 | CONTROL); // PS is reserved in MODE SELECT data: echoing it back is accepted
        p[9] = 0x0A;
        p[10] = 0x02;
        p[11] = 0x10;
        p[12] = (byte) (swp ? 0x08 : 0);
        p[16] = (byte) 0xFF;
        p[17] = (byte) 0xFF;
        return p;
    }

    private static TestCommand select6(boolean sp, byte[] list) {
        return TestCommand.lun(0, 0x15, 0x10 | (sp ? 1 : 0), 0, 0, list.length, 0).dataOut(list);
    }

    private static TestCommand select10(boolean sp, byte[] list) {
        return TestCommand.lun(0, 0x55, 0x10 | (sp ? 1 : 0), 0, 0, 0, 0, 0, 0, list.length, 0).dataOut(list);
    }

    private static TestCommand write(int lba) {
        return TestCommand.lun(0, 0x2A, 0, 0, 0, 0, lba, 0, 0, 1, 0).dataOut(new byte[512]);
    }

    private boolean lastWriteFua() {
        MemoryBackingStore store = provider.stores.get(1000L);
        return store.writes.get(store.writes.size() - 1).fua();
    }

    @Test
    void wceSavedWithSpIsTheCurrentValueAfterARestart() throws Exception {
        ScsiTargetService first = service(dir);
        ItNexus n = connect(first, 0x23d000000001L);
        ItNexus other = connect(first, 0x23d000000002L);
        ready(n);
        ready(other);
        assertEquals(0x80 | CACHING, page(n, PC_CURRENT, CACHING)[0] & 0xFF, "PS: the caching page is saveable");
        assertEquals(0x80 | CONTROL, page(n, PC_CURRENT, CONTROL)[0] & 0xFF, "PS: the control page is saveable");
        assertEquals(0x1C, page(n, PC_CURRENT, 0x1C)[0] & 0xFF, "nothing saveable in informational exceptions");
        assertEquals(0x04, page(n, PC_SAVED, CACHING)[2] & 0x04, "nothing saved yet: saved = default WCE=1");

        assertGood(Harness.run(n, select6(true, cachingList(false))));
        Path file = dir.resolve("mode").resolve("lu-1000.json");
        JsonNode saved = new ObjectMapper().readTree(file.toFile());
        assertFalse(saved.get("writeCacheEnabled").booleanValue(), "durable before GOOD");
        assertEquals(0, page(n, PC_SAVED, CACHING)[2] & 0x04, "saved WCE=0");
        assertSense(Harness.run(other, TestCommand.lun(0, 0, 0, 0, 0, 0, 0)), 6, 0x2A, 0x01);
        n.close();
        other.close();
        first.close();

        ScsiTargetService second = service(dir);
        ItNexus again = connect(second, 0x23d000000001L);
        ready(again);
        assertEquals(0, page(again, PC_CURRENT, CACHING)[2] & 0x04, "the saved WCE=0 is current after the restart");
        assertEquals(0, page(again, PC_SAVED, CACHING)[2] & 0x04, "saved WCE=0");
        assertEquals(0x04, page(again, PC_DEFAULT, CACHING)[2] & 0x04, "the default is still WCE=1");
        assertGood(Harness.run(again, write(1)));
        assertTrue(lastWriteFua(), "WCE=0 forces every write to stable storage");

        // SP=0 changes the current value only: the next start comes back with the saved WCE=0
        assertGood(Harness.run(again, select6(false, cachingList(true))));
        assertEquals(0x04, page(again, PC_CURRENT, CACHING)[2] & 0x04);
        assertEquals(0, page(again, PC_SAVED, CACHING)[2] & 0x04, "SP=0 did not save");
        assertGood(Harness.run(again, write(2)));
        assertFalse(lastWriteFua(), "WCE=1: writes may be cached");
        again.close();
        second.close();

        ScsiTargetService third = service(dir);
        ItNexus last = connect(third, 0x23d000000001L);
        ready(last);
        assertEquals(0, page(last, PC_CURRENT, CACHING)[2] & 0x04, "still the saved WCE=0");
        last.close();
        third.close();
    }

    @Test
    void swpSavedWithModeSelect10WriteProtectsAfterARestart() {
        ScsiTargetService first = service(dir);
        ItNexus n = connect(first, 0x23d000000001L);
        ready(n);
        assertGood(Harness.run(n, select10(true, controlList10(true))));
        byte[] saved10 = data(Harness.run(n, TestCommand.lun(0, 0x5A, 0x08, PC_SAVED | CONTROL, 0, 0, 0, 0, 1, 0, 0)));
        assertEquals(0x08, saved10[8 + 4] & 0x08, "MODE SENSE(10) PC=saved shows SWP");
        n.close();
        first.close();

        ScsiTargetService second = service(dir);
        ItNexus again = connect(second, 0x23d000000001L);
        ready(again);
        assertSense(Harness.run(again, write(1)), 7, 0x27, 0);
        // SP=1 with no parameter data saves the current values (SPC-4 6.9: all saveable pages)
        assertGood(Harness.run(again, select10(false, controlList10(false))));
        assertGood(Harness.run(again, TestCommand.lun(0, 0x55, 0x11, 0, 0, 0, 0, 0, 0, 0, 0)));
        assertEquals(0, page(again, PC_SAVED, CONTROL)[2 + 2] & 0x08, "saved SWP cleared");
        again.close();
        second.close();

        ScsiTargetService third = service(dir);
        ItNexus last = connect(third, 0x23d000000001L);
        ready(last);
        assertGood(Harness.run(last, write(1)));
        last.close();
        third.close();
    }

    @Test
    void withoutAStateDirectorySpIsRefusedAndNothingIsSaveable() {
        try (Harness h = new Harness().ready()) {
            ScsiResponse r = h.run(select6(true, cachingList(false)));
            assertSense(r, 5, 0x24, 0);
            assertEquals(0xC8, r.sense()[15] & 0xFF, "SKSV, C/D=CDB, BPV, bit 0");
            assertEquals(1, Cdb.u16(r.sense(), 16), "byte 1: SP");
            assertSense(h.run(TestCommand.lun(0, 0x55, 0x11, 0, 0, 0, 0, 0, 0, 0, 0)), 5, 0x24, 0);
            assertEquals(0x04, page(h.nexus, PC_CURRENT, CACHING)[2] & 0x04, "the refused command changed nothing");
            assertSense(h.run(TestCommand.lun(0, 0x1A, 0x08, PC_SAVED | CACHING, 0, 255, 0)), 5, 0x39, 0);
            assertEquals(CACHING, page(h.nexus, PC_CURRENT, CACHING)[0] & 0xFF, "PS=0");
            assertEquals(CONTROL, page(h.nexus, PC_CURRENT, CONTROL)[0] & 0xFF, "PS=0");
        }
    }

    @Test
    void anUnreadableStateFileIsReportedOnceAndTheDefaultsApply() throws Exception {
        Path file = dir.resolve("mode").resolve("lu-1000.json");
        Files.createDirectories(file.getParent());
        Files.writeString(file, "{\"writeCacheEnabled\": fal");
        PrintStream err = System.err;
        ByteArrayOutputStream captured = new ByteArrayOutputStream();
        ScsiTargetService s;
        ItNexus n;
        System.setErr(new PrintStream(captured, true, StandardCharsets.UTF_8));
        try {
            s = service(dir);
            n = connect(s, 0x23d000000001L);
            ready(n);
            // a new definition of the storage reopens the unit and reads the file again
            s.putStorage(Harness.storage(1000, "mem:disk", 4096L * 512, 9, false));
            ready(n);
        } finally {
            System.setErr(err);
        }
        String log = captured.toString(StandardCharsets.UTF_8);
        assertEquals(1, log.split("saved mode parameters in", -1).length - 1, "reported once:\n" + log);
        assertTrue(log.contains(file.toString()), "names the file");
        assertEquals(0x04, page(n, PC_CURRENT, CACHING)[2] & 0x04, "default WCE=1");
        assertEquals(0x04, page(n, PC_SAVED, CACHING)[2] & 0x04, "saved = defaults");
        assertGood(Harness.run(n, write(1)));
        // saving again replaces the unreadable file
        assertGood(Harness.run(n, select6(true, cachingList(false))));
        assertFalse(new ObjectMapper().readTree(file.toFile()).get("writeCacheEnabled").booleanValue());
        n.close();
        s.close();
    }
}
