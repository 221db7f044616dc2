package io.jtgt.scsi.core;

import static io.jtgt.scsi.testing.Harness.assertGood;
import static io.jtgt.scsi.testing.Harness.assertSense;
import static io.jtgt.scsi.testing.Harness.data;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.jtgt.scsi.api.ItNexus;
import io.jtgt.scsi.api.ScsiResponse;
import io.jtgt.scsi.config.TargetDefinition;
import io.jtgt.scsi.spi.Capabilities;
import io.jtgt.scsi.testing.Harness;
import io.jtgt.scsi.testing.TestCommand;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

class SpcTest {

    private Harness h;

    @BeforeEach
    void setUp() {
        h = new Harness();
    }

    @AfterEach
    void tearDown() {
        h.close();
    }

    private byte[] inquiry(int evpd, int page, int alloc) {
        ScsiResponse r = h.run(TestCommand.lun(0, 0x12, evpd, page, alloc >> 8, alloc & 0xFF, 0));
        assertGood(r);
        return data(r);
    }

    @Test
    void standardInquiry() {
        byte[] d = inquiry(0, 0, 255);
        assertEquals(66, d.length);
        assertEquals(0, d[0], "direct access block device, connected");
        assertEquals(6, d[2], "SPC-4");
        assertEquals(0x12, d[3], "HISUP, response data format 2");
        assertEquals(d.length - 5, d[4]);
        assertEquals(0x10, d[5], "TPGS 01b: implicit ALUA");
        assertEquals(0x02, d[7], "CMDQUE");
        assertEquals("JTGT    ", new String(d, 8, 8, StandardCharsets.US_ASCII));
        assertEquals(36, inquiry(0, 0, 36).length, "cut to the allocation length");
        assertEquals(5, inquiry(0, 0, 5).length);
        assertSense(h.run(TestCommand.lun(0, 0x12, 0, 0x80, 0, 255, 0)), 5, 0x24, 0); // page without EVPD
        assertSense(h.run(TestCommand.lun(0, 0x12, 0x02, 0, 0, 255, 0)), 5, 0x24, 0); // CmdDt
    }

    @Test
    void inquiryOnUnconfiguredLunAndOtherCommandsThere() {
        ScsiResponse r = h.run(TestCommand.lun(7, 0x12, 0, 0, 0, 96, 0));
        assertGood(r);
        assertEquals(0x7F, data(r)[0] & 0xFF, "qualifier 011b, type 1Fh");
        assertSense(h.run(TestCommand.lun(7, 0x00, 0, 0, 0, 0, 0)), 5, 0x25, 0);
        byte[] sense = data(h.run(TestCommand.lun(7, 0x03, 0, 0, 0, 18, 0)));
        assertEquals(0x25, sense[12], "REQUEST SENSE reports LOGICAL UNIT NOT SUPPORTED with GOOD");
    }

    @Test
    void vpdPagesAreConsistent() {
        byte[] supported = inquiry(1, 0, 255);
        assertArrayEquals(new byte[] {0, 0, 0, 7, 0, (byte) 0x80, (byte) 0x83, (byte) 0x8F, (byte) 0xB0, (byte) 0xB1,
            (byte) 0xB2}, supported);
        for (int i = 4; i < supported.length; i++) {
            byte[] page = inquiry(1, supported[i] & 0xFF, 1024);
            assertEquals(supported[i], page[1], "page code");
            assertEquals(page.length - 4, ((page[2] & 0xFF) << 8) | (page[3] & 0xFF), "page length");
        }
        String serial = new String(inquiry(1, 0x80, 255), 4, 16, StandardCharsets.US_ASCII);
        byte[] id = inquiry(1, 0x83, 1024);
        List<Integer> types = new ArrayList<>();
        int p = 4;
        while (p < id.length) {
            types.add(((id[p + 1] >> 4) & 3) << 4 | (id[p + 1] & 0xF));
            int len = id[p + 3] & 0xFF;
            if ((id[p + 1] & 0xF) == 3) {
                assertEquals(0x3, (id[p + 4] >> 4) & 0xF, "NAA locally assigned");
                assertEquals(8, len);
            }
            if ((id[p + 1] & 0xF) == 1) {
                assertEquals("JTGT    " + serial, new String(id, p + 4, len, StandardCharsets.US_ASCII));
            }
            if ((id[p + 1] & 0xF) == 8) {
                assertEquals(0, len % 4, "SCSI name string padded to 4");
                String name = new String(id, p + 4, len, StandardCharsets.UTF_8).replace("\0", "");
                assertTrue(name.startsWith(Harness.TARGET));
            }
            if ((id[p + 1] & 0xF) == 4) {
                assertEquals(1, id[p + 7], "relative target port = TPGT 1");
            }
            if ((id[p + 1] & 0xF) == 5) {
                assertEquals(4, len);
                assertEquals(1, id[p + 7], "target port group = TPGT 1");
            }
            p += 4 + len;
        }
        assertEquals(List.of(0x03, 0x01, 0x14, 0x15, 0x18, 0x28), types,
                "LU NAA, LU T10, port rel, port group, port name, device name");
        byte[] limits = inquiry(1, 0xB0, 255);
        assertEquals(0x3C, limits[3]);
        assertEquals(65536, ((limits[8] & 0xFF) << 24) | ((limits[9] & 0xFF) << 16) | ((limits[10] & 0xFF) << 8)
                | (limits[11] & 0xFF), "MAXIMUM TRANSFER LENGTH");
        byte[] chars = inquiry(1, 0xB1, 255);
        assertEquals(1, chars[5], "non-rotating");
        byte[] lbp = inquiry(1, 0xB2, 255);
        assertEquals(0, lbp[5], "thick LUN: no LBPU/LBPWS");
        assertSense(h.run(TestCommand.lun(0, 0x12, 1, 0x99, 0, 255, 0)), 5, 0x24, 0);
    }

    @Test
    void thinProvisioningShowsInCapacityAndVpd() {
        try (Harness thin = new Harness(2048, 9, true, new Capabilities(true, true, true, true, 0, 4096))) {
            thin.ready();
            byte[] rc16 = data(thin.run(TestCommand.lun(0, 0x9E, 0x10, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 32, 0, 0)));
            boolean lbpme = (rc16[14] & 0x80) != 0;
            boolean lbprz = (rc16[14] & 0x40) != 0;
            assertEquals(3, rc16[13], "8 logical blocks per 4096-byte physical block");
            byte[] lbp = data(thin.run(TestCommand.lun(0, 0x12, 1, 0xB2, 0, 255, 0)));
            assertEquals(lbprz, (lbp[5] & 0x04) != 0, "LBPRZ agrees");
            boolean unmapCommands = (lbp[5] & 0xE0) != 0;
            assertEquals(lbpme, unmapCommands, "LBPME set exactly when an unmapping command is offered");
            if (lbpme) {
                assertEquals(2, lbp[6] & 7, "thin provisioned");
            }
        }
    }

    @Test
    void modeSense() {
        h.ready();
        // MODE SENSE(6), all pages, current values
        byte[] all = data(h.run(TestCommand.lun(0, 0x1A, 0, 0x3F, 0, 255, 0)));
        assertEquals(all.length - 1, all[0] & 0xFF, "MODE DATA LENGTH");
        assertEquals(0x10, all[2], "DPOFUA");
        assertEquals(8, all[3], "one short block descriptor");
        assertEquals(0x08, all[6]);
        assertEquals(0x00, all[7], "2048 blocks");
        assertEquals(2, all[10], "512-byte blocks");
        assertEquals(0x08, all[12], "caching page first");
        assertEquals(0x04, all[14] & 0x04, "WCE on");
        assertEquals(0x0A, all[32], "control page");
        assertEquals(0x1C, all[44], "informational exceptions page");
        assertEquals(56, all.length);
        // DBD drops the descriptor; a single page
        byte[] control = data(h.run(TestCommand.lun(0, 0x1A, 0x08, 0x0A, 0, 255, 0)));
        assertEquals(0, control[3]);
        assertEquals(16, control.length);
        assertEquals(0x0A, control[4]);
        // changeable values: nothing changeable without a volatile-cache store switch... caching WCE mask
        byte[] changeable = data(h.run(TestCommand.lun(0, 0x1A, 0x08, 0x48, 0, 255, 0)));
        assertEquals(0x08, changeable[4]);
        // saved values: not without a state directory (SavedModeParametersTest covers them)
        assertSense(h.run(TestCommand.lun(0, 0x1A, 0, 0xFF, 0, 255, 0)), 5, 0x39, 0);
        assertSense(h.run(TestCommand.lun(0, 0x1A, 0, 0x05, 0, 255, 0)), 5, 0x24, 0);
        assertSense(h.run(TestCommand.lun(0, 0x1A, 0, 0x08, 0x01, 255, 0)), 5, 0x24, 0);
        // allocation length cuts the data
        assertEquals(4, data(h.run(TestCommand.lun(0, 0x1A, 0, 0x3F, 0, 4, 0))).length);
        // MODE SENSE(10) with LLBAA: long descriptor
        byte[] ten = data(h.run(TestCommand.lun(0, 0x5A, 0x10, 0x08, 0, 0, 0, 0, 0x01, 0, 0)));
        assertEquals(ten.length - 2, ((ten[0] & 0xFF) << 8) | (ten[1] & 0xFF));
        assertEquals(1, ten[4], "LONGLBA");
        assertEquals(16, ten[7]);
        assertEquals(0x08, ten[8 + 6]);
        assertEquals(2, ten[8 + 14]);
        assertEquals(0x08, ten[24]);
        byte[] tenShort = data(h.run(TestCommand.lun(0, 0x5A, 0, 0x08, 0, 0, 0, 0, 0x01, 0, 0)));
        assertEquals(8, tenShort[7]);
    }

    @Test
    void reportLuns() {
        h.service.putStorage(Harness.storage(1001, "other", 1 << 20, 9, false));
        h.service.putTarget(new TargetDefinition(Harness.TARGET, Map.of(1, List.of(0)),
                Map.of(0, 1000L, 300, 1001L, 5, 4242L)));
        byte[] d = data(h.run(TestCommand.lun(0, 0xA0, 0, 0, 0, 0, 0, 0, 0, 1, 0, 0, 0)));
        assertEquals(24, d.length, "LUN 5 maps no storage: not reported");
        assertEquals(16, d[3], "LUN LIST LENGTH");
        assertArrayEquals(new byte[] {0, 0, 0, 0, 0, 0, 0, 0}, java.util.Arrays.copyOfRange(d, 8, 16));
        assertArrayEquals(new byte[] {0x41, 0x2C, 0, 0, 0, 0, 0, 0}, java.util.Arrays.copyOfRange(d, 16, 24),
                "LUN 300 in flat space addressing");
        assertEquals(8, data(h.run(TestCommand.lun(0, 0xA0, 0, 1, 0, 0, 0, 0, 0, 1, 0, 0, 0))).length);
        assertSense(h.run(TestCommand.lun(0, 0xA0, 0, 0, 0, 0, 0, 0, 0, 0, 15, 0, 0)), 5, 0x24, 0);
        assertSense(h.run(TestCommand.lun(0, 0xA0, 0, 7, 0, 0, 0, 0, 0, 1, 0, 0, 0)), 5, 0x24, 0);
        assertEquals(16, data(h.run(TestCommand.lun(0, 0xA0, 0, 0, 0, 0, 0, 0, 0, 0, 16, 0, 0))).length);
        // the command addressed through flat addressing reaches LUN 300
        ScsiResponse r = Harness.run(h.nexus, new TestCommand(0x412C_0000_0000_0000L, new byte[] {0x12, 0, 0, 0, 36, 0}));
        assertEquals(0, data(r)[0]);
    }

    @Test
    void unitAttentionOncePerNexusAndLun() {
        // INQUIRY, REPORT LUNS do not report it
        assertGood(h.run(TestCommand.lun(0, 0x12, 0, 0, 0, 36, 0)));
        assertGood(h.run(TestCommand.lun(0, 0xA0, 0, 0, 0, 0, 0, 0, 0, 1, 0, 0, 0)));
        assertSense(h.run(TestCommand.lun(0, 0x25, 0, 0, 0, 0, 0, 0, 0, 0, 0)), 6, 0x29, 0);
        assertGood(h.run(TestCommand.lun(0, 0x00, 0, 0, 0, 0, 0)));
        // a second nexus has its own
        ItNexus other = h.connect();
        assertSense(Harness.run(other, TestCommand.lun(0, 0x00, 0, 0, 0, 0, 0)), 6, 0x29, 0);
        assertGood(Harness.run(other, TestCommand.lun(0, 0x00, 0, 0, 0, 0, 0)));
        // REQUEST SENSE returns and clears it
        ItNexus third = h.connect();
        byte[] s = data(Harness.run(third, TestCommand.lun(0, 0x03, 0, 0, 0, 18, 0)));
        assertEquals(6, s[2]);
        assertEquals(0x29, s[12]);
        assertGood(Harness.run(third, TestCommand.lun(0, 0x00, 0, 0, 0, 0, 0)));
        assertEquals(3, h.service.sessions().size());
        other.close();
        third.close();
        assertEquals(1, h.service.sessions().size());
    }

    @Test
    void lunInventoryChangeRaisesReportedLunsDataChanged() {
        h.ready();
        h.service.putStorage(Harness.storage(1001, "other", 1 << 20, 9, false));
        h.service.putTarget(new TargetDefinition(Harness.TARGET, Map.of(1, List.of(0)), Map.of(0, 1000L, 1, 1001L)));
        assertSense(h.run(TestCommand.lun(0, 0x00, 0, 0, 0, 0, 0)), 6, 0x3F, 0x0E);
        assertGood(h.run(TestCommand.lun(0, 0x00, 0, 0, 0, 0, 0)));
    }

    @Test
    void reportSupportedTaskManagementFunctionsFollowsTheTransportContract() {
        h.ready();
        byte[] d = data(h.run(TestCommand.lun(0, 0xA3, 0x0D, 0, 0, 0, 0, 0, 0, 0, 4, 0, 0)));
        assertEquals(4, d.length);
        assertEquals(0xDA, d[0] & 0xFF, "ATS ATSS CTSS LURS TRS, no CLEAR ACA, no QUERY TASK");
        assertEquals(0, d[1]);
        byte[] extended = data(h.run(TestCommand.lun(0, 0xA3, 0x0D, 0x80, 0, 0, 0, 0, 0, 0, 16, 0, 0)));
        assertEquals(16, extended.length);
        assertEquals(0x0C, extended[3], "ADDITIONAL DATA LENGTH");
    }

    @Test
    void reportTargetPortGroupsNamesTheGroupOfVpd83AsActiveOptimized() {
        h.ready();
        byte[] d = data(h.run(TestCommand.lun(0, 0xA3, 0x0A, 0, 0, 0, 0, 0, 0, 1, 0, 0, 0)));
        assertEquals(4 + 12, d.length, "header and one group of one port");
        assertEquals(12, ((d[2] & 0xFF) << 8) | (d[3] & 0xFF), "RETURN DATA LENGTH");
        assertEquals(0x80, d[4] & 0xFF, "PREF, active/optimized");
        assertEquals(0x01, d[5], "AO_SUP");
        assertEquals(1, d[7], "target port group = TPGT 1, as in VPD 83h");
        assertEquals(1, d[11], "one target port");
        assertEquals(1, d[15], "relative target port = TPGT 1");
        byte[] extended = data(h.run(TestCommand.lun(0, 0xA3, 0x20 | 0x0A, 0, 0, 0, 0, 0, 0, 1, 0, 0, 0)));
        assertEquals(8 + 12, extended.length);
        assertEquals(0x10, extended[4], "FORMAT TYPE 001b");
        assertEquals(16, extended[3], "RETURN DATA LENGTH counts all but its own 4 bytes");
        assertEquals(8, data(h.run(TestCommand.lun(0, 0xA3, 0x0A, 0, 0, 0, 0, 0, 0, 0, 8, 0, 0))).length,
                "cut to the allocation length");
    }
}
