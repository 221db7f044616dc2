package io.jtgt.scsi.core;

import static io.jtgt.scsi.testing.Harness.assertGood;
import static io.jtgt.scsi.testing.Harness.assertSense;
import static io.jtgt.scsi.testing.Harness.data;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

import io.jtgt.scsi.config.TargetDefinition;
import io.jtgt.scsi.spi.Capabilities;
import io.jtgt.scsi.testing.Harness;
import io.jtgt.scsi.testing.TestCommand;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** EXTENDED COPY (LID1) between two LUNs of one target, and RECEIVE COPY RESULTS (SPC-4 6.3, 6.18). */
class ExtendedCopyTest {

    private static TestCommand xcopy(int lun, byte[] list) {
        return TestCommand.lun(lun, 0x83, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, list.length >> 8, list.length & 0xFF, 0, 0)
                .dataOut(list);
    }

    /** An E4h target descriptor naming a unit by the NAA designator its VPD 83h page reports. */
    private static byte[] target(byte[] vpd83) {
        byte[] d = new byte[32];
        d[0] = (byte) 0xE4;
        System.arraycopy(vpd83, 4, d, 4, 4 + (vpd83[7] & 0xFF)); // first designator: NAA, 8 bytes
        d[30] = 0x02; // DISK BLOCK LENGTH 512 (bytes 29-31)
        return d;
    }

    private static byte[] segment(int src, int dst, int blocks, long srcLba, long dstLba) {
        byte[] s = new byte[28];
        s[0] = 0x02;
        s[3] = 0x18;
        s[5] = (byte) src;
        s[7] = (byte) dst;
        s[10] = (byte) (blocks >> 8);
        s[11] = (byte) blocks;
        Cdb.put64(s, 12, srcLba);
        Cdb.put64(s, 20, dstLba);
        return s;
    }

    private static byte[] list(int listId, int usage, byte[][] targets, byte[]... segments) {
        int t = targets.length * 32;
        int s = segments.length * 28;
        byte[] p = new byte[16 + t + s];
        p[0] = (byte) listId;
        p[1] = (byte) (usage << 3);
        p[2] = (byte) (t >> 8);
        p[3] = (byte) t;
        Cdb.put32(p, 8, s);
        int off = 16;
        for (byte[] d : targets) {
            System.arraycopy(d, 0, p, off, 32);
            off += 32;
        }
        for (byte[] d : segments) {
            System.arraycopy(d, 0, p, off, 28);
            off += 28;
        }
        return p;
    }

    @Test
    void copiesBlocksBetweenLunsAndReportsStatus() {
        try (Harness h = new Harness(2048, 9, false, Capabilities.BASIC)) {
            h.service.putStorage(Harness.storage(1001, "mem:second", 2048L * 512, 9, false));
            h.service.putTarget(new TargetDefinition(Harness.TARGET, Map.of(1, List.of(0)), Map.of(0, 1000L, 1, 1001L)));
            for (int lun = 0; lun < 2; lun++) {
                for (int i = 0; i < 5; i++) {
                    h.run(TestCommand.lun(lun, 0, 0, 0, 0, 0, 0)); // consume unit attentions
                }
            }
            byte[] ones = new byte[4 * 512];
            Arrays.fill(ones, (byte) 0x11);
            assertGood(h.run(TestCommand.lun(0, 0x2A, 0, 0, 0, 0, 8, 0, 0, 4, 0).dataOut(ones)));
            byte[] src = target(data(h.run(TestCommand.lun(0, 0x12, 1, 0x83, 0, 0xFF, 0))));
            byte[] dst = target(data(h.run(TestCommand.lun(1, 0x12, 1, 0x83, 0, 0xFF, 0))));
            assertGood(h.run(xcopy(0, list(5, 0, new byte[][] {src, dst}, segment(0, 1, 4, 8, 100)))));
            assertArrayEquals(ones, data(h.run(TestCommand.lun(1, 0x28, 0, 0, 0, 0, 100, 0, 0, 4, 0))));
            byte[] status = data(h.run(TestCommand.lun(0, 0x84, 0x00, 5, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0xFF, 0, 0)));
            assertEquals(0x01, status[4], "completed without errors");
            assertEquals(1, Cdb.u16(status, 5), "segments processed");
            assertEquals(2048, Cdb.u32(status, 8), "bytes copied");
            assertSense(h.run(TestCommand.lun(0, 0x84, 0x00, 6, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0xFF, 0, 0)), 5, 0x24, 0);
            // beyond the destination's capacity: COPY ABORTED, status held with errors
            assertSense(h.run(xcopy(0, list(7, 0, new byte[][] {src, dst}, segment(0, 1, 4, 0, 2046)))), 0xA, 0, 0);
            status = data(h.run(TestCommand.lun(0, 0x84, 0x00, 7, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0xFF, 0, 0)));
            assertEquals(0x02, status[4], "completed with errors");
            // a target descriptor index beyond the list; too many target descriptors; truncated list
            assertSense(h.run(xcopy(0, list(8, 3, new byte[][] {src}, segment(0, 1, 1, 0, 0)))), 0xA, 0x0D, 0x02);
            assertSense(h.run(xcopy(0, list(9, 3, new byte[][] {src, dst, src}, segment(0, 1, 1, 0, 0)))), 5, 0x26,
                    0x06);
            byte[] truncated = Arrays.copyOf(list(10, 3, new byte[][] {src}, segment(0, 0, 1, 0, 1)), 16 + 31);
            assertSense(h.run(xcopy(0, truncated)), 5, 0x1A, 0);
            byte[] params = data(h.run(TestCommand.lun(0, 0x84, 0x03, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0xFF, 0, 0)));
            assertEquals(2, Cdb.u16(params, 8), "MAXIMUM TARGET DESCRIPTOR COUNT");
            assertEquals(16, Cdb.u16(params, 10), "MAXIMUM SEGMENT DESCRIPTOR COUNT");
        }
    }

    @Test
    void aReadOnlyDestinationIsWriteProtected() {
        try (Harness h = new Harness(2048, 9, false, Capabilities.BASIC)) {
            Map<String, Object> ro = new java.util.HashMap<>(
                    Harness.storage(1001, "mem:second", 2048L * 512, 9, false).toProperties());
            ro.put("readOnly", true);
            h.service.putStorage(io.jtgt.scsi.config.StorageDefinition.fromProperties(ro));
            h.service.putTarget(new TargetDefinition(Harness.TARGET, Map.of(1, List.of(0)), Map.of(0, 1000L, 1, 1001L)));
            for (int lun = 0; lun < 2; lun++) {
                for (int i = 0; i < 5; i++) {
                    h.run(TestCommand.lun(lun, 0, 0, 0, 0, 0, 0));
                }
            }
            byte[] src = target(data(h.run(TestCommand.lun(0, 0x12, 1, 0x83, 0, 0xFF, 0))));
            byte[] dst = target(data(h.run(TestCommand.lun(1, 0x12, 1, 0x83, 0, 0xFF, 0))));
            assertSense(h.run(xcopy(0, list(1, 3, new byte[][] {src, dst}, segment(0, 1, 1, 0, 0)))), 7, 0x27, 0);
        }
    }
}
