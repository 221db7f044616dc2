package io.jtgt.scsi.core;

import static io.jtgt.scsi.testing.Harness.assertGood;
import static io.jtgt.scsi.testing.Harness.assertSense;
import static io.jtgt.scsi.testing.Harness.data;
import static org.junit.jupiter.api.Assertions.assertEquals;

import io.jtgt.scsi.api.ItNexus;
import io.jtgt.scsi.api.ScsiResponse;
import io.jtgt.scsi.testing.Harness;
import io.jtgt.scsi.testing.TestCommand;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;

/** PERSISTENT RESERVE OUT / REGISTER AND MOVE (SPC-4 5.9.8) with an iSCSI TransportID. */
class RegisterAndMoveTest {

    private static TestCommand prOut(int action, int type, byte[] p) {
        return TestCommand.lun(0, 0x5F, action, type, 0, 0, 0, 0, p.length >> 8, p.length & 0xFF, 0).dataOut(p);
    }

    private static byte[] basic(long key, long serviceKey) {
        byte[] p = new byte[24];
        Cdb.put64(p, 0, key);
        Cdb.put64(p, 8, serviceKey);
        return p;
    }

    private static byte[] move(long key, long serviceKey, boolean unreg, int relativePort, String transportId) {
        byte[] name = (transportId + "\0").getBytes(StandardCharsets.UTF_8);
        int padded = (name.length + 3) & ~3;
        byte[] p = new byte[24 + 4 + padded];
        Cdb.put64(p, 0, key);
        Cdb.put64(p, 8, serviceKey);
        p[17] = (byte) (unreg ? 0x02 : 0);
        p[19] = (byte) relativePort;
        Cdb.put32(p, 20, 4 + padded);
        p[24] = 0x45; // format 01b, iSCSI
        p[27] = (byte) padded;
        System.arraycopy(name, 0, p, 28, name.length);
        return p;
    }

    @Test
    void theHolderMovesTheReservationToAnotherNexus() {
        try (Harness h = new Harness().ready()) {
            ItNexus other = h.connect(); // ISID 0x23d000000002, same initiator name
            Harness.run(other, TestCommand.lun(0, 0, 0, 0, 0, 0, 0));
            assertGood(h.run(prOut(0x00, 0, basic(0, 0xAAL))));
            assertGood(h.run(prOut(0x01, 0x01, basic(0xAAL, 0)))); // RESERVE write exclusive
            String otherPort = "iqn.1994-05.com.example:init,i,0x23D000000002";
            assertGood(h.run(prOut(0x07, 0x01, move(0xAAL, 0xBBL, true, 1, otherPort))));
            byte[] res = data(h.run(TestCommand.lun(0, 0x5E, 0x01, 0, 0, 0, 0, 0, 1, 0, 0)));
            assertEquals(0xBBL, Cdb.u64(res, 8), "the new holder's key");
            // the mover unregistered itself (UNREG) and now conflicts with a write; the new holder writes
            assertEquals(ScsiResponse.RESERVATION_CONFLICT,
                    h.run(TestCommand.lun(0, 0x2A, 0, 0, 0, 0, 0, 0, 0, 1, 0).dataOut(new byte[512])).status());
            assertGood(Harness.run(other, TestCommand.lun(0, 0x2A, 0, 0, 0, 0, 0, 0, 0, 1, 0).dataOut(new byte[512])));
            // only the holder may move; a TransportID without ISID is refused
            assertEquals(ScsiResponse.RESERVATION_CONFLICT,
                    h.run(prOut(0x07, 0x01, move(0xAAL, 0xCCL, false, 1, otherPort))).status());
            byte[] noIsid = move(0xBBL, 0xCCL, false, 1, "iqn.1994-05.com.example:init");
            noIsid[24] = 0x05; // format 00b
            assertSense(Harness.run(other, prOut(0x07, 0x01, noIsid)), 5, 0x26, 0);
            other.close();
        }
    }

    private static int keyCount(Harness h) {
        byte[] keys = data(h.run(TestCommand.lun(0, 0x5E, 0x00, 0, 0, 0, 0, 0, 1, 0, 0)));
        return (int) Cdb.u32(keys, 4) / 8;
    }

    @Test
    void allTargetPortsAndSpecifiedInitiatorPortsAreRegisteredTogether() {
        try (Harness h = new Harness().ready()) {
            h.service.putTarget(new io.jtgt.scsi.config.TargetDefinition(Harness.TARGET,
                    java.util.Map.of(1, java.util.List.of(0), 2, java.util.List.of(0)), java.util.Map.of(0, 1000L)));
            h.run(TestCommand.lun(0, 0, 0, 0, 0, 0, 0));
            byte[] allPorts = basic(0, 0x11L);
            allPorts[20] = 0x04; // ALL_TG_PT
            assertGood(h.run(prOut(0x00, 0, allPorts)));
            assertEquals(2, keyCount(h), "this initiator port on target ports 1 and 2");
            byte[] caps = data(h.run(TestCommand.lun(0, 0x5E, 0x02, 0, 0, 0, 0, 0, 0, 8, 0)));
            assertEquals(0x0C, caps[2] & 0x0C, "SIP_C and ATP_C");
            allPorts = basic(0x11L, 0);
            allPorts[20] = 0x04;
            assertGood(h.run(prOut(0x00, 0, allPorts))); // unregister everywhere
            assertEquals(0, keyCount(h));

            byte[] name = ("iqn.1994-05.com.example:other,i,0x400000000001\0").getBytes(StandardCharsets.UTF_8);
            int padded = (name.length + 3) & ~3;
            byte[] spec = new byte[28 + 4 + padded];
            Cdb.put64(spec, 8, 0x22L);
            spec[20] = 0x08; // SPEC_I_PT
            Cdb.put32(spec, 24, 4 + padded);
            spec[28] = 0x45;
            spec[31] = (byte) padded;
            System.arraycopy(name, 0, spec, 32, name.length);
            assertGood(h.run(prOut(0x00, 0, spec)));
            assertEquals(2, keyCount(h), "the sender and the specified initiator port");
            assertSense(h.run(prOut(0x00, 0, spec)), 5, 0x26, 0); // SPEC_I_PT from a registered nexus
        }
    }
}
