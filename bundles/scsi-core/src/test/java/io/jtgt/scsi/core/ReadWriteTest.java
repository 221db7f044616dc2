package io.jtgt.scsi.core;

import static io.jtgt.scsi.testing.Harness.assertGood;
import static io.jtgt.scsi.testing.Harness.assertSense;
import static io.jtgt.scsi.testing.Harness.data;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.jtgt.scsi.api.ScsiResponse;
import io.jtgt.scsi.core.sbc.BlockIo;
import io.jtgt.scsi.spi.BackingStoreException;
import io.jtgt.scsi.testing.Harness;
import io.jtgt.scsi.testing.TestCommand;
import java.util.Arrays;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

class ReadWriteTest {

    private static final int BLOCKS = 2048;
    private Harness h;

    @BeforeEach
    void setUp() {
        h = new Harness().ready();
    }

    @AfterEach
    void tearDown() {
        h.close();
    }

    private static byte[] pattern(int blocks, int seed) {
        byte[] b = new byte[blocks * 512];
        for (int i = 0; i < b.length; i++) {
            b[i] = (byte) (i * 31 + seed);
        }
        return b;
    }

    @Test
    void parsesEveryReadWriteLayout() {
        BlockIo r6 = BlockIo.parse(new byte[] {0x08, 0x1F, (byte) 0xFF, (byte) 0xFE, 0, 0});
        assertEquals(0x1FFFFEL, r6.lba());
        assertEquals(256, r6.blocks(), "READ(6) transfer length 0 means 256 blocks");
        BlockIo r10 = BlockIo.parse(new byte[] {0x28, 0x08, 0x12, 0x34, 0x56, 0x78, 0, 0x01, 0x02, 0});
        assertEquals(0x12345678L, r10.lba());
        assertEquals(0x0102, r10.blocks());
        assertTrue(r10.fua());
        BlockIo w12 = BlockIo.parse(new byte[] {(byte) 0xAA, 0x20, 0, 0, 0, 9, 0, 1, 0, 0, 0, 0});
        assertEquals(9, w12.lba());
        assertEquals(0x10000, w12.blocks());
        assertEquals(1, w12.protect());
        BlockIo r16 = BlockIo.parse(new byte[] {(byte) 0x88, 0, (byte) 0xFF, (byte) 0xFF, (byte) 0xFF, (byte) 0xFF,
            (byte) 0xFF, (byte) 0xFF, (byte) 0xFF, (byte) 0xFF, 0, 0, 0, 1, 0, 0});
        assertEquals(-1L, r16.lba(), "unsigned 64-bit LBA kept as raw bits");
        assertEquals(1, r16.blocks());
        assertFalse(BlockIo.parse(new byte[] {0x0A, 0, 0, 1, 5, 0}).fua());
    }

    @Test
    void writeThenReadEachSize() {
        byte[] d = pattern(2, 7);
        assertGood(h.run(TestCommand.lun(0, 0x0A, 0, 0, 10, 2, 0).dataOut(d))); // WRITE(6) LBA 10
        assertArrayEquals(d, data(h.run(TestCommand.lun(0, 0x08, 0, 0, 10, 2, 0))));
        assertArrayEquals(d, data(h.run(TestCommand.lun(0, 0x28, 0, 0, 0, 0, 10, 0, 0, 2, 0))));
        assertArrayEquals(d, data(h.run(TestCommand.lun(0, 0xA8, 0, 0, 0, 0, 10, 0, 0, 0, 2, 0, 0))));
        assertArrayEquals(d, data(h.run(TestCommand.lun(0, 0x88, 0, 0, 0, 0, 0, 0, 0, 0, 10, 0, 0, 0, 2, 0, 0))));
        byte[] e = pattern(1, 9);
        assertGood(h.run(TestCommand.lun(0, 0x2A, 0, 0, 0, 0, 20, 0, 0, 1, 0).dataOut(e)));
        assertGood(h.run(TestCommand.lun(0, 0xAA, 0, 0, 0, 0, 21, 0, 0, 0, 1, 0, 0).dataOut(e)));
        assertGood(h.run(TestCommand.lun(0, 0x8A, 0, 0, 0, 0, 0, 0, 0, 0, 22, 0, 0, 0, 1, 0, 0).dataOut(e)));
        byte[] three = data(h.run(TestCommand.lun(0, 0x28, 0, 0, 0, 0, 20, 0, 0, 3, 0)));
        for (int i = 0; i < 3; i++) {
            assertArrayEquals(e, Arrays.copyOfRange(three, i * 512, (i + 1) * 512));
        }
    }

    @Test
    void read6ZeroLengthReadsTwoHundredFiftySixBlocks() {
        ScsiResponse r = h.run(TestCommand.lun(0, 0x08, 0, 0, 0, 0, 0));
        assertGood(r);
        assertEquals(256 * 512, data(r).length);
    }

    @Test
    void zeroLengthTransfersAreGoodWithoutData() {
        ScsiResponse r = h.run(TestCommand.lun(0, 0x28, 0, 0, 0, 0, 0, 0, 0, 0, 0));
        assertGood(r);
        assertEquals(null, r.data());
        // SBC-3: a zero-length transfer at LBA == capacity is fine, one past is not
        assertGood(h.run(TestCommand.lun(0, 0x28, 0, 0, 0, 0x08, 0x00, 0, 0, 0, 0)));
        assertSense(h.run(TestCommand.lun(0, 0x28, 0, 0, 0, 0x08, 0x01, 0, 0, 0, 0)), 5, 0x21, 0);
    }

    @Test
    void rangeChecks() {
        // last block OK, one further out of range
        assertGood(h.run(TestCommand.lun(0, 0x28, 0, 0, 0, 0x07, 0xFF, 0, 0, 1, 0)));
        assertSense(h.run(TestCommand.lun(0, 0x28, 0, 0, 0, 0x07, 0xFF, 0, 0, 2, 0)), 5, 0x21, 0);
        assertSense(h.run(TestCommand.lun(0, 0x08, 0, 0x08, 0x00, 1, 0)), 5, 0x21, 0);
        // READ(16) LBA 2^64-1 + 1 block must not wrap around
        assertSense(h.run(TestCommand.lun(0, 0x88, 0, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0, 0, 0, 1, 0, 0)),
                5, 0x21, 0);
        // LBA 2^63 (negative as a Java long)
        assertSense(h.run(TestCommand.lun(0, 0x88, 0, 0x80, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 1, 0, 0)), 5, 0x21, 0);
        // LBA in range but LBA + length overflows 32 bits in READ(12)
        assertSense(h.run(TestCommand.lun(0, 0xA8, 0, 0, 0, 0, 1, 0xFF, 0xFF, 0xFF, 0xFF, 0, 0)), 5, 0x21, 0);
        assertSense(h.run(TestCommand.lun(0, 0x2A, 0, 0, 0, 0x08, 0x00, 0, 0, 1, 0).dataOut(new byte[512])),
                5, 0x21, 0);
    }

    @Test
    void transferAboveMaximumIsInvalidFieldInCdb() {
        try (Harness big = new Harness(1 << 17, 9, false, io.jtgt.scsi.spi.Capabilities.BASIC)) {
            big.ready();
            // 65537 blocks of 512 = one block more than MAXIMUM TRANSFER LENGTH (32 MiB)
            ScsiResponse r = big.run(TestCommand.lun(0, 0x88, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 1, 0, 1, 0, 0));
            assertSense(r, 5, 0x24, 0);
            assertEquals(0xC0, r.sense()[15] & 0xFF, "SKSV + C/D");
            assertEquals(10, r.sense()[17], "field pointer at TRANSFER LENGTH");
        }
    }

    @Test
    void protectionFieldsAndReservedBitsAreRejected() {
        ScsiResponse r = h.run(TestCommand.lun(0, 0x28, 0x20, 0, 0, 0, 0, 0, 0, 1, 0));
        assertSense(r, 5, 0x24, 0);
        assertEquals(1, r.sense()[17], "field pointer at byte 1");
        assertSense(h.run(TestCommand.lun(0, 0x2A, 0x04, 0, 0, 0, 0, 0, 0, 1, 0).dataOut(new byte[512])), 5, 0x24, 0);
        // DPO, FUA and FUA_NV are accepted on reads
        assertGood(h.run(TestCommand.lun(0, 0x28, 0x1A, 0, 0, 0, 0, 0, 0, 1, 0)));
        // NACA in CONTROL
        assertSense(h.run(TestCommand.lun(0, 0x28, 0, 0, 0, 0, 0, 0, 0, 1, 0x04)), 5, 0x24, 0);
    }

    @Test
    void fuaReachesTheStoreAndDpoIsIgnored() {
        assertGood(h.run(TestCommand.lun(0, 0x2A, 0x08, 0, 0, 0, 1, 0, 0, 1, 0).dataOut(new byte[512])));
        assertGood(h.run(TestCommand.lun(0, 0x2A, 0x10, 0, 0, 0, 2, 0, 0, 1, 0).dataOut(new byte[512])));
        assertTrue(h.store().writes.get(0).fua());
        assertFalse(h.store().writes.get(1).fua());
    }

    @Test
    void shortExpectedLengthWritesOnlyTheCoveredBlocks() {
        byte[] d = pattern(2, 3);
        TestCommand c = TestCommand.lun(0, 0x2A, 0, 0, 0, 0, 40, 0, 0, 2, 0).dataOut(d).expect(512);
        assertGood(h.run(c));
        assertEquals(1024, c.declaredTransferLength);
        assertEquals(512, c.requested);
        assertEquals(512, h.store().writes.get(0).length());
        TestCommand none = TestCommand.lun(0, 0x2A, 0, 0, 0, 0, 40, 0, 0, 1, 0).dataOut(d).expect(0);
        assertGood(h.run(none));
        assertEquals(-1, none.requested, "nothing fetched with EDTL 0");
    }

    @Test
    void backendFailuresMapToSense() {
        h.store().failNext = new BackingStoreException(BackingStoreException.Kind.READ_ERROR, "bad sector");
        assertSense(h.run(TestCommand.lun(0, 0x28, 0, 0, 0, 0, 0, 0, 0, 1, 0)), 3, 0x11, 0);
        h.store().failNext = new BackingStoreException(BackingStoreException.Kind.WRITE_ERROR, "bad sector");
        assertSense(h.run(TestCommand.lun(0, 0x2A, 0, 0, 0, 0, 0, 0, 0, 1, 0).dataOut(new byte[512])), 3, 0x0C, 0);
        h.store().failNext = new BackingStoreException(BackingStoreException.Kind.NO_SPACE, "full");
        assertSense(h.run(TestCommand.lun(0, 0x2A, 0, 0, 0, 0, 0, 0, 0, 1, 0).dataOut(new byte[512])), 7, 0x27, 7);
        h.store().failNext = new BackingStoreException(BackingStoreException.Kind.UNAVAILABLE, "timeout");
        assertSense(h.run(TestCommand.lun(0, 0x28, 0, 0, 0, 0, 0, 0, 0, 1, 0)), 2, 0x08, 0);
    }

    @Test
    void synchronizeCacheFlushes() {
        assertGood(h.run(TestCommand.lun(0, 0x35, 0, 0, 0, 0, 0, 0, 0, 0, 0)));
        assertGood(h.run(TestCommand.lun(0, 0x35, 0x02, 0, 0, 0, 0, 0, 0, 0, 0)));
        assertGood(h.run(TestCommand.lun(0, 0x91, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 8, 0, 0)));
        assertEquals(3, h.store().flushes);
        assertSense(h.run(TestCommand.lun(0, 0x35, 0, 0, 0, 0x08, 0x01, 0, 0, 0, 0)), 5, 0x21, 0);
    }

    @Test
    void readCapacity() {
        byte[] rc10 = data(h.run(TestCommand.lun(0, 0x25, 0, 0, 0, 0, 0, 0, 0, 0, 0)));
        assertArrayEquals(new byte[] {0, 0, 0x07, (byte) 0xFF, 0, 0, 2, 0}, rc10);
        assertSense(h.run(TestCommand.lun(0, 0x25, 0, 0, 0, 0, 1, 0, 0, 0, 0)), 5, 0x24, 0); // LBA without PMI
        byte[] rc16 = data(h.run(TestCommand.lun(0, 0x9E, 0x10, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 32, 0, 0)));
        assertEquals(32, rc16.length);
        assertEquals(0x07, rc16[6]);
        assertEquals((byte) 0xFF, rc16[7]);
        assertEquals(2, rc16[10]);
        assertEquals(0, rc16[14] & 0xC0, "no LBPME on a thick LUN");
        assertEquals(12, data(h.run(TestCommand.lun(0, 0x9E, 0x10, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 12, 0, 0))).length);
        // unsupported SERVICE ACTION IN(16) service action
        assertSense(h.run(TestCommand.lun(0, 0x9E, 0x1F, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 12, 0, 0)), 5, 0x24, 0);
    }

    @Test
    void unknownOpcodeIsInvalidCommandOperationCode() {
        assertSense(h.run(TestCommand.lun(0, 0xC0, 0, 0, 0, 0, 0)), 5, 0x20, 0);
    }
}
