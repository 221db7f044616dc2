package io.jtgt.scsi.core;

import static io.jtgt.scsi.testing.Harness.assertGood;
import static io.jtgt.scsi.testing.Harness.assertSense;
import static io.jtgt.scsi.testing.Harness.data;
import static org.junit.jupiter.api.Assertions.assertEquals;

import io.jtgt.scsi.api.ItNexus;
import io.jtgt.scsi.spi.Capabilities;
import io.jtgt.scsi.testing.Harness;
import io.jtgt.scsi.testing.TestCommand;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** The LUN options readOnly, removable and physicalBlockShift as initiators see them. */
class StorageOptionsTest {

    private static final Capabilities THIN = new Capabilities(true, true, true, true, 0, 1);

    private static TestCommand tur() {
        return TestCommand.lun(0, 0, 0, 0, 0, 0, 0);
    }

    private static TestCommand startStop(int byte4) {
        return TestCommand.lun(0, 0x1B, 0, 0, 0, byte4, 0);
    }

    private static TestCommand preventAllow(int prevent) {
        return TestCommand.lun(0, 0x1E, 0, 0, 0, prevent, 0);
    }

    @Test
    void readOnlyRefusesEveryWritingCommandAndSetsWp() {
        try (Harness h = new Harness(Map.of("readOnly", true), 2048, 9, true, THIN).ready()) {
            byte[] block = new byte[512];
            assertSense(h.run(TestCommand.lun(0, 0x2A, 0, 0, 0, 0, 0, 0, 0, 1, 0).dataOut(block)), 7, 0x27, 0);
            assertSense(h.run(TestCommand.lun(0, 0x0A, 0, 0, 0, 1, 0).dataOut(block)), 7, 0x27, 0);
            assertSense(h.run(TestCommand.lun(0, 0x41, 0x08, 0, 0, 0, 0, 0, 0, 1, 0).dataOut(block)), 7, 0x27, 0);
            assertSense(h.run(TestCommand.lun(0, 0x89, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 1, 0, 0)
                    .dataOut(new byte[1024])), 7, 0x27, 0);
            assertSense(h.run(TestCommand.lun(0, 0x8B, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 1, 0, 0).dataOut(block)),
                    7, 0x27, 0);
            assertGood(h.run(TestCommand.lun(0, 0x28, 0, 0, 0, 0, 0, 0, 0, 1, 0)));
            byte[] sense6 = data(h.run(TestCommand.lun(0, 0x1A, 0, 0x3F, 0, 0xFF, 0)));
            assertEquals(0x80, sense6[2] & 0x80, "MODE SENSE WP");
            assertEquals(true, h.provider.configs.get(1000L).readOnly(), "opened read-only");
        }
    }

    @Test
    void removableMediumEjectsLoadsAndHonoursPrevent() {
        try (Harness h = new Harness(Map.of("removable", "true"), 2048, 9, false, Capabilities.BASIC).ready()) {
            byte[] inquiry = data(h.run(TestCommand.lun(0, 0x12, 0, 0, 0, 36, 0)));
            assertEquals(0x80, inquiry[1] & 0xFF, "RMB");
            assertGood(h.run(preventAllow(1)));
            assertSense(h.run(startStop(0x02)), 5, 0x53, 0x02); // eject while prevented
            assertGood(h.run(tur()));
            ItNexus other = h.connect();
            Harness.run(other, tur()); // power on
            assertSense(Harness.run(other, startStop(0x02)), 5, 0x53, 0x02);
            assertGood(Harness.run(other, preventAllow(0)));
            assertSense(Harness.run(other, startStop(0x02)), 5, 0x53, 0x02); // the first nexus still prevents
            assertGood(h.run(preventAllow(0)));
            assertGood(h.run(startStop(0x02)));
            assertSense(h.run(tur()), 2, 0x3A, 0x02);
            assertSense(h.run(TestCommand.lun(0, 0x28, 0, 0, 0, 0, 0, 0, 0, 1, 0)), 2, 0x3A, 0x02);
            assertGood(h.run(preventAllow(1))); // works without a medium
            assertSense(h.run(startStop(0x03)), 5, 0x53, 0x02); // load while prevented
            h.nexus.close(); // I_T nexus loss ends this nexus's prevention (SPC-4 6.13)
            assertGood(Harness.run(other, startStop(0x03)));
            assertGood(Harness.run(other, tur()));
            assertGood(Harness.run(other, preventAllow(1)));
            other.logicalUnitReset(LunAddressing.encode(0)); // a reset ends every prevention
            assertSense(Harness.run(other, tur()), 6, 0x29, 0x03);
            assertGood(Harness.run(other, startStop(0x02)));
            other.close();
        }
    }

    @Test
    void physicalBlockShiftSetsTheExponentAndGranularity() {
        try (Harness h = new Harness(Map.of("physicalBlockShift", 12), 2048, 9, true, THIN).ready()) {
            byte[] rc16 = data(h.run(TestCommand.lun(0, 0x9E, 0x10, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 32, 0, 0)));
            assertEquals(3, rc16[13] & 0x0F, "LOGICAL BLOCKS PER PHYSICAL BLOCK EXPONENT");
            byte[] b0 = data(h.run(TestCommand.lun(0, 0x12, 1, 0xB0, 0, 0x40, 0)));
            assertEquals(8, ((b0[6] & 0xFF) << 8) | (b0[7] & 0xFF), "OPTIMAL TRANSFER LENGTH GRANULARITY");
        }
        Capabilities aligned = new Capabilities(true, true, true, true, 0, 4096);
        try (Harness h = new Harness(Map.of(), 2048, 9, true, aligned).ready()) {
            byte[] rc16 = data(h.run(TestCommand.lun(0, 0x9E, 0x10, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 32, 0, 0)));
            assertEquals(3, rc16[13] & 0x0F, "defaults to the backend's alignment");
        }
    }
}
