package io.jtgt.scsi.core;

import static io.jtgt.scsi.testing.Harness.assertGood;
import static io.jtgt.scsi.testing.Harness.assertSense;
import static io.jtgt.scsi.testing.Harness.data;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.jtgt.scsi.api.ItNexus;
import io.jtgt.scsi.api.ScsiResponse;
import io.jtgt.scsi.spi.Capabilities;
import io.jtgt.scsi.testing.Harness;
import io.jtgt.scsi.testing.TestCommand;
import java.util.Arrays;
import java.util.concurrent.CompletableFuture;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

class OptionalCommandsTest {

    private static final Capabilities THIN = new Capabilities(true, true, true, true, 0, 1);
    private Harness h;

    @BeforeEach
    void setUp() {
        h = new Harness(2048, 9, true, THIN).ready();
    }

    @AfterEach
    void tearDown() {
        h.close();
    }

    private static byte[] filled(int length, int value) {
        byte[] b = new byte[length];
        Arrays.fill(b, (byte) value);
        return b;
    }

    private byte[] read(int lba, int blocks) {
        return data(h.run(TestCommand.lun(0, 0x28, 0, 0, 0, lba >> 8, lba & 0xFF, 0, 0, blocks, 0)));
    }

    private void write(int lba, byte[] d) {
        assertGood(h.run(TestCommand.lun(0, 0x2A, 0, 0, 0, lba >> 8, lba & 0xFF, 0, 0, d.length / 512, 0).dataOut(d)));
    }

    @Test
    void reportSupportedOperationCodesComesFromTheTable() {
        byte[] all = data(h.run(TestCommand.lun(0, 0xA3, 0x0C, 0, 0, 0, 0, 0, 0, 0x10, 0, 0, 0)));
        int length = (int) Cdb.u32(all, 0);
        assertEquals(all.length - 4, length);
        boolean sawRead10 = false;
        boolean sawRc16 = false;
        for (int p = 4; p < all.length; p += 8) {
            if ((all[p] & 0xFF) == 0x28) {
                sawRead10 = true;
                assertEquals(10, Cdb.u16(all, p + 6));
            }
            if ((all[p] & 0xFF) == 0x9E && Cdb.u16(all, p + 2) == 0x10) {
                sawRc16 = true;
                assertEquals(1, all[p + 5] & 1, "SERVACTV");
            }
        }
        assertTrue(sawRead10 && sawRc16);
        byte[] one = data(h.run(TestCommand.lun(0, 0xA3, 0x0C, 1, 0x88, 0, 0, 0, 0, 1, 0, 0, 0)));
        assertEquals(3, one[1] & 7, "supported");
        assertEquals(16, Cdb.u16(one, 2));
        assertEquals((byte) 0x88, one[4]);
        assertEquals((byte) 0xFE, one[5], "usage data of byte 1: RDPROTECT, DPO, FUA, RARC, FUA_NV");
        byte[] none = data(h.run(TestCommand.lun(0, 0xA3, 0x0C, 1, 0xC0, 0, 0, 0, 0, 1, 0, 0, 0)));
        assertEquals(1, none[1] & 7, "not supported");
        assertSense(h.run(TestCommand.lun(0, 0xA3, 0x0C, 1, 0x9E, 0, 0, 0, 0, 1, 0, 0, 0)), 5, 0x24, 0);
        try (Harness thick = new Harness()) {
            thick.ready();
            byte[] unmap = data(thick.run(TestCommand.lun(0, 0xA3, 0x0C, 1, 0x42, 0, 0, 0, 0, 1, 0, 0, 0)));
            assertEquals(1, unmap[1] & 7, "UNMAP is not offered on a thick LUN");
            assertSense(thick.run(TestCommand.lun(0, 0x42, 0, 0, 0, 0, 0, 0, 0, 0, 0)), 5, 0x20, 0);
        }
    }

    @Test
    void writeSameWritesThePatternAndUnmapsZeros() {
        byte[] block = filled(512, 0x5A);
        assertGood(h.run(TestCommand.lun(0, 0x41, 0, 0, 0, 0, 10, 0, 0, 3, 0).dataOut(block)));
        byte[] back = read(10, 3);
        assertArrayEquals(filled(1536, 0x5A), back);
        // NUMBER OF LOGICAL BLOCKS 0: up to the last block (WSNZ=0)
        assertGood(h.run(TestCommand.lun(0, 0x41, 0, 0, 0, 0x07, 0xF8, 0, 0, 0, 0).dataOut(block)));
        assertArrayEquals(filled(8 * 512, 0x5A), read(2040, 8));
        assertSense(h.run(TestCommand.lun(0, 0x41, 0, 0, 0, 0x08, 0x01, 0, 0, 0, 0).dataOut(block)), 5, 0x21, 0);
        assertSense(h.run(TestCommand.lun(0, 0x41, 0x10, 0, 0, 0, 10, 0, 0, 1, 0).dataOut(block)), 5, 0x24, 0);
        assertSense(h.run(TestCommand.lun(0, 0x41, 0, 0, 0, 0x07, 0xFF, 0, 0, 2, 0).dataOut(block)), 5, 0x21, 0);
        int writesBefore = h.store().writes.size();
        assertGood(h.run(TestCommand.lun(0, 0x41, 0x08, 0, 0, 0, 10, 0, 0, 3, 0).dataOut(new byte[512])));
        assertEquals(writesBefore, h.store().writes.size(), "unmapped, not written");
        assertArrayEquals(new byte[1536], read(10, 3));
    }

    @Test
    void unmapAndGetLbaStatus() {
        write(0, filled(512 * 8, 1));
        byte[] list = new byte[8 + 16];
        Cdb.put16(list, 0, 22);
        Cdb.put16(list, 2, 16);
        Cdb.put64(list, 8, 2);
        Cdb.put32(list, 16, 4);
        assertGood(h.run(TestCommand.lun(0, 0x42, 0, 0, 0, 0, 0, 0, 0, 24, 0).dataOut(list)));
        assertArrayEquals(new byte[2048], read(2, 4));
        byte[] status = data(h.run(TestCommand.lun(0, 0x9E, 0x12, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 64, 0, 0)));
        assertEquals(0, status[8 + 12], "LBA 0: mapped");
        assertEquals(2, Cdb.u32(status, 8 + 8), "two mapped blocks");
        assertEquals(2, Cdb.u64(status, 24), "then from LBA 2");
        assertEquals(1, status[24 + 12], "deallocated");
        assertEquals(4, Cdb.u32(status, 24 + 8));
        // a descriptor beyond the capacity: nothing at all is unmapped
        Cdb.put64(list, 8, 2047);
        Cdb.put32(list, 16, 2);
        write(0, filled(512 * 8, 1));
        assertSense(h.run(TestCommand.lun(0, 0x42, 0, 0, 0, 0, 0, 0, 0, 24, 0).dataOut(list)), 5, 0x21, 0);
        assertSense(h.run(TestCommand.lun(0, 0x42, 0, 0, 0, 0, 0, 0, 0, 4, 0).dataOut(list)), 5, 0x1A, 0);
        assertSense(h.run(TestCommand.lun(0, 0x9E, 0x12, 0, 0, 0, 0, 0, 0, 0x08, 0, 0, 0, 0, 64, 0, 0)), 5, 0x21, 0);
    }

    @Test
    void verifyComparesAndReportsTheFirstDifference() {
        byte[] d = filled(1024, 7);
        write(100, d);
        assertGood(h.run(TestCommand.lun(0, 0x2F, 0, 0, 0, 0, 100, 0, 0, 2, 0)));
        assertGood(h.run(TestCommand.lun(0, 0x2F, 0x02, 0, 0, 0, 100, 0, 0, 2, 0).dataOut(d)));
        assertGood(h.run(TestCommand.lun(0, 0x2F, 0x06, 0, 0, 0, 100, 0, 0, 2, 0).dataOut(filled(512, 7))));
        byte[] other = d.clone();
        other[700] = 8;
        ScsiResponse r = h.run(TestCommand.lun(0, 0x2F, 0x02, 0, 0, 0, 100, 0, 0, 2, 0).dataOut(other));
        assertSense(r, 0xE, 0x1D, 0);
        assertEquals(0xF0, r.sense()[0] & 0xFF, "INFORMATION valid");
        assertEquals(700, Cdb.u32(r.sense(), 3));
        assertSense(h.run(TestCommand.lun(0, 0x2F, 0x04, 0, 0, 0, 100, 0, 0, 2, 0)), 5, 0x24, 0);
    }

    @Test
    void compareAndWrite() {
        write(5, filled(512, 'A'));
        byte[] both = new byte[1024];
        Arrays.fill(both, 0, 512, (byte) 'A');
        Arrays.fill(both, 512, 1024, (byte) 'B');
        TestCommand caw = TestCommand.lun(0, 0x89, 0, 0, 0, 0, 0, 0, 0, 0, 5, 0, 0, 0, 1, 0, 0).dataOut(both);
        assertGood(h.run(caw));
        assertArrayEquals(filled(512, 'B'), read(5, 1));
        ScsiResponse miss = h.run(TestCommand.lun(0, 0x89, 0, 0, 0, 0, 0, 0, 0, 0, 5, 0, 0, 0, 1, 0, 0).dataOut(both));
        assertSense(miss, 0xE, 0x1D, 0);
        assertEquals(0, Cdb.u32(miss.sense(), 3));
        assertArrayEquals(filled(512, 'B'), read(5, 1), "nothing written on miscompare");
        assertSense(h.run(TestCommand.lun(0, 0x89, 0, 0, 0, 0, 0, 0, 0, 0, 5, 0, 0, 0, 2, 0, 0).dataOut(new byte[2048])),
                5, 0x24, 0);
    }

    @Test
    void rangeLocksOnlyBlockOverlaps() {
        RangeLocks locks = new RangeLocks();
        RangeLocks.Held a = locks.lock(10, 5).join();
        CompletableFuture<RangeLocks.Held> overlapping = locks.lock(14, 1);
        CompletableFuture<RangeLocks.Held> disjoint = locks.lock(15, 10);
        assertFalse(overlapping.isDone());
        assertTrue(disjoint.isDone());
        a.release();
        assertTrue(overlapping.isDone());
        overlapping.join().release();
        disjoint.join().release();
        assertEquals(0, locks.heldCount());
    }

    @Test
    void orWrite() {
        write(3, filled(512, 0x0F));
        assertGood(h.run(TestCommand.lun(0, 0x8B, 0, 0, 0, 0, 0, 0, 0, 0, 3, 0, 0, 0, 1, 0, 0).dataOut(filled(512, 0xF0))));
        assertArrayEquals(filled(512, 0xFF), read(3, 1));
    }

    private byte[] cachingPage(boolean wce) {
        byte[] p = new byte[4 + 20];
        p[4] = 0x08;
        p[5] = 0x12;
        p[6] = (byte) (wce ? 0x04 : 0);
        return p;
    }

    @Test
    void modeSelectChangesWceAndTellsTheOtherNexuses() {
        ItNexus other = h.connect();
        assertSense(Harness.run(other, TestCommand.lun(0, 0, 0, 0, 0, 0, 0)), 6, 0x29, 0);
        assertGood(h.run(TestCommand.lun(0, 0x15, 0x10, 0, 0, 24, 0).dataOut(cachingPage(false))));
        write(1, new byte[512]);
        assertTrue(h.store().writes.get(h.store().writes.size() - 1).fua(), "WCE=0 forces FUA");
        byte[] sense = data(h.run(TestCommand.lun(0, 0x1A, 0x08, 0x08, 0, 255, 0)));
        assertEquals(0, sense[6] & 0x04, "MODE SENSE shows WCE off");
        assertSense(Harness.run(other, TestCommand.lun(0, 0, 0, 0, 0, 0, 0)), 6, 0x2A, 0x01);
        byte[] bad = cachingPage(true);
        bad[7] = 1; // a bit that is not changeable
        ScsiResponse r = h.run(TestCommand.lun(0, 0x15, 0x10, 0, 0, 24, 0).dataOut(bad));
        assertSense(r, 5, 0x26, 0);
        assertEquals(7, Cdb.u16(r.sense(), 16), "field pointer into the parameter list");
        assertSense(h.run(TestCommand.lun(0, 0x15, 0x11, 0, 0, 24, 0).dataOut(cachingPage(true))), 5, 0x24, 0);
        other.close();
    }

    @Test
    void softwareWriteProtect() {
        byte[] control = new byte[4 + 12];
        control[4] = 0x0A;
        control[5] = 0x0A;
        control[6] = 0x02;
        control[7] = 0x10;
        control[8] = 0x08; // SWP
        control[12] = (byte) 0xFF;
        control[13] = (byte) 0xFF;
        assertGood(h.run(TestCommand.lun(0, 0x15, 0x10, 0, 0, 16, 0).dataOut(control)));
        assertSense(h.run(TestCommand.lun(0, 0x2A, 0, 0, 0, 0, 0, 0, 0, 1, 0).dataOut(new byte[512])), 7, 0x27, 0);
        assertEquals(0x90, data(h.run(TestCommand.lun(0, 0x1A, 0x08, 0x0A, 0, 255, 0)))[2] & 0xFF, "WP + DPOFUA");
        assertGood(h.run(TestCommand.lun(0, 0x28, 0, 0, 0, 0, 0, 0, 0, 1, 0)));
    }

    private static byte[] prout(long key, long serviceKey) {
        byte[] p = new byte[24];
        Cdb.put64(p, 0, key);
        Cdb.put64(p, 8, serviceKey);
        return p;
    }

    @Test
    void persistentReservationWriteExclusive() {
        ItNexus b = h.connect();
        Harness.run(b, TestCommand.lun(0, 0, 0, 0, 0, 0, 0));
        assertGood(h.run(TestCommand.lun(0, 0x5F, 0, 0, 0, 0, 0, 0, 0, 24, 0).dataOut(prout(0, 0xAA))));
        assertGood(Harness.run(b, TestCommand.lun(0, 0x5F, 0, 0, 0, 0, 0, 0, 0, 24, 0).dataOut(prout(0, 0xBB))));
        assertGood(h.run(TestCommand.lun(0, 0x5F, 1, 0x01, 0, 0, 0, 0, 0, 24, 0).dataOut(prout(0xAA, 0))));
        // B is registered but not the holder of a WRITE EXCLUSIVE reservation: reads yes, writes no
        assertGood(Harness.run(b, TestCommand.lun(0, 0x28, 0, 0, 0, 0, 0, 0, 0, 1, 0)));
        assertEquals(ScsiResponse.RESERVATION_CONFLICT,
                Harness.run(b, TestCommand.lun(0, 0x2A, 0, 0, 0, 0, 0, 0, 0, 1, 0).dataOut(new byte[512])).status());
        write(0, new byte[512]);
        byte[] keys = data(Harness.run(b, TestCommand.lun(0, 0x5E, 0, 0, 0, 0, 0, 0, 1, 0, 0)));
        assertEquals(16, Cdb.u32(keys, 4));
        assertEquals(2, Cdb.u32(keys, 0), "PRgeneration counts the two registrations");
        byte[] res = data(Harness.run(b, TestCommand.lun(0, 0x5E, 1, 0, 0, 0, 0, 0, 1, 0, 0)));
        assertEquals(0xAA, Cdb.u64(res, 8));
        assertEquals(1, res[21]);
        // wrong key: conflict; release with a different type: 26h/04h
        assertEquals(ScsiResponse.RESERVATION_CONFLICT,
                h.run(TestCommand.lun(0, 0x5F, 2, 0x01, 0, 0, 0, 0, 0, 24, 0).dataOut(prout(0xAB, 0))).status());
        assertSense(h.run(TestCommand.lun(0, 0x5F, 2, 0x03, 0, 0, 0, 0, 0, 24, 0).dataOut(prout(0xAA, 0))), 5, 0x26, 4);
        // B preempts A: A loses its registration and hears of it
        assertGood(Harness.run(b, TestCommand.lun(0, 0x5F, 4, 0x01, 0, 0, 0, 0, 0, 24, 0).dataOut(prout(0xBB, 0xAA))));
        assertSense(h.run(TestCommand.lun(0, 0, 0, 0, 0, 0, 0)), 6, 0x2A, 0x05);
        assertEquals(ScsiResponse.RESERVATION_CONFLICT,
                h.run(TestCommand.lun(0, 0x2A, 0, 0, 0, 0, 0, 0, 0, 1, 0).dataOut(new byte[512])).status());
        assertGood(Harness.run(b, TestCommand.lun(0, 0x5F, 3, 0, 0, 0, 0, 0, 0, 24, 0).dataOut(prout(0xBB, 0))));
        write(0, new byte[512]);
        b.close();
    }

    @Test
    void legacyReserveReleaseAndNexusLoss() {
        ItNexus b = h.connect();
        Harness.run(b, TestCommand.lun(0, 0, 0, 0, 0, 0, 0));
        assertGood(h.run(TestCommand.lun(0, 0x16, 0, 0, 0, 0, 0)));
        assertEquals(ScsiResponse.RESERVATION_CONFLICT, Harness.run(b, TestCommand.lun(0, 0, 0, 0, 0, 0, 0)).status());
        assertEquals(ScsiResponse.RESERVATION_CONFLICT, Harness.run(b, TestCommand.lun(0, 0x16, 0, 0, 0, 0, 0)).status());
        assertGood(Harness.run(b, TestCommand.lun(0, 0x12, 0, 0, 0, 36, 0)));
        assertGood(Harness.run(b, TestCommand.lun(0, 0x17, 0, 0, 0, 0, 0)));
        assertEquals(ScsiResponse.RESERVATION_CONFLICT, Harness.run(b, TestCommand.lun(0, 0, 0, 0, 0, 0, 0)).status(),
                "RELEASE by a non-holder changes nothing");
        h.nexus.logicalUnitReset(LunAddressing.encode(0));
        assertSense(Harness.run(b, TestCommand.lun(0, 0, 0, 0, 0, 0, 0)), 6, 0x29, 0x03);
        assertGood(Harness.run(b, TestCommand.lun(0, 0x16, 0, 0, 0, 0, 0)));
        b.close();
        assertSense(h.run(TestCommand.lun(0, 0, 0, 0, 0, 0, 0)), 6, 0x29, 0x03);
        assertGood(h.run(TestCommand.lun(0, 0x16, 0, 0, 0, 0, 0)));
    }

    @Test
    void commandsClearedByAnotherInitiatorIsAUnitAttentionOfThatLunOnly() {
        ItNexus b = h.connect();
        Harness.run(b, TestCommand.lun(0, 0, 0, 0, 0, 0, 0)); // POWER ON reported
        b.commandsClearedByAnotherInitiator(LunAddressing.encode(0));
        b.commandsClearedByAnotherInitiator(LunAddressing.encode(7)); // no such LUN: nothing to say
        assertSense(Harness.run(b, TestCommand.lun(0, 0, 0, 0, 0, 0, 0)), 6, 0x2F, 0x00); // SAM-5 7.5, TAS=0
        assertGood(Harness.run(b, TestCommand.lun(0, 0, 0, 0, 0, 0, 0)));
        assertGood(h.run(TestCommand.lun(0, 0, 0, 0, 0, 0, 0))); // the nexus that cleared hears nothing
        b.close();
    }

    @Test
    void startStopUnit() {
        assertGood(h.run(TestCommand.lun(0, 0x1B, 0, 0, 0, 0, 0)));
        assertEquals(1, h.store().flushes, "stopping flushes");
        assertGood(h.run(TestCommand.lun(0, 0, 0, 0, 0, 0, 0))); // a virtual unit stays accessible
        assertGood(h.run(TestCommand.lun(0, 0x1B, 0, 0, 0, 0x04, 0)));
        assertEquals(1, h.store().flushes, "NO_FLUSH does not flush");
        assertSense(h.run(TestCommand.lun(0, 0x1B, 0, 0, 0, 0x02, 0)), 5, 0x24, 0); // LOEJ: not removable
        assertGood(h.run(TestCommand.lun(0, 0x1B, 0, 0, 0, 0x32, 0))); // power condition: START/LOEJ ignored
        assertSense(h.run(TestCommand.lun(0, 0x1B, 0, 0, 0x01, 0, 0)), 5, 0x24, 0); // modifier without condition
        assertGood(h.run(TestCommand.lun(0, 0x1B, 0, 0, 0, 0x01, 0)));
        assertGood(h.run(TestCommand.lun(0, 0, 0, 0, 0, 0, 0)));
    }
}
