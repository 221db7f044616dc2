package io.jtgt.scsi.core;

import static io.jtgt.scsi.testing.Harness.assertGood;
import static io.jtgt.scsi.testing.Harness.assertSense;
import static io.jtgt.scsi.testing.Harness.data;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.jtgt.scsi.api.ScsiResponse;
import io.jtgt.scsi.spi.BackingStoreException;
import io.jtgt.scsi.spi.Capabilities;
import io.jtgt.scsi.testing.Harness;
import io.jtgt.scsi.testing.TestCommand;
import java.util.Arrays;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** SANITIZE (SBC-3 5.30): overwrite, block erase, failure mode, in-progress state. */
class SanitizeTest {

    private static final Capabilities THIN = new Capabilities(true, true, true, true, 0, 1);

    private static TestCommand sanitize(int byte1, byte[] params) {
        int len = params == null ? 0 : params.length;
        TestCommand c = TestCommand.lun(0, 0x48, byte1, 0, 0, 0, 0, 0, len >> 8, len & 0xFF, 0);
        return params == null ? c : c.dataOut(params);
    }

    private static byte[] overwriteParams(int count, boolean invert, byte... pattern) {
        byte[] p = new byte[4 + pattern.length];
        p[0] = (byte) ((invert ? 0x80 : 0) | count);
        p[2] = (byte) (pattern.length >> 8);
        p[3] = (byte) pattern.length;
        System.arraycopy(pattern, 0, p, 4, pattern.length);
        return p;
    }

    private static byte[] read(Harness h, int lba, int blocks) {
        return data(h.run(TestCommand.lun(0, 0x28, 0, 0, 0, lba >> 8, lba & 0xFF, 0, 0, blocks, 0)));
    }

    @Test
    void overwriteWritesThePatternEverywhereAndValidatesItsParameters() {
        try (Harness h = new Harness(2048, 9, false, Capabilities.BASIC).ready()) {
            assertGood(h.run(sanitize(0x01, overwriteParams(1, false, (byte) 0xAA, (byte) 0x55))));
            byte[] expected = new byte[512];
            for (int i = 0; i < 512; i++) {
                expected[i] = (byte) (i % 2 == 0 ? 0xAA : 0x55);
            }
            assertArrayEquals(expected, read(h, 0, 1));
            assertArrayEquals(expected, read(h, 2047, 1));
            assertGood(h.run(sanitize(0x01, overwriteParams(2, true, (byte) 0x0F))));
            byte[] twoPasses = new byte[512];
            Arrays.fill(twoPasses, (byte) 0xF0); // the second pass is inverted
            assertArrayEquals(twoPasses, read(h, 100, 1));
            assertSense(h.run(sanitize(0x01, new byte[4])), 5, 0x24, 0); // no pattern
            assertSense(h.run(sanitize(0x01, overwriteParams(0, false, (byte) 1))), 5, 0x24, 0); // count 0
            assertSense(h.run(sanitize(0x01, new byte[517])), 5, 0x24, 0); // longer than a block + 4
            assertSense(h.run(sanitize(0x03, null)), 5, 0x24, 0); // CRYPTOGRAPHIC ERASE is not offered
            assertSense(h.run(sanitize(0x02, null)), 5, 0x24, 0); // BLOCK ERASE needs provisioning
            assertSense(h.run(sanitize(0x1F, new byte[8])), 5, 0x24, 0); // EXIT FAILURE MODE has no list
            assertSense(h.run(sanitize(0x41, overwriteParams(1, false, (byte) 1))), 5, 0x24, 0); // reserved bit
        }
    }

    @Test
    void blockEraseDeallocatesTheWholeThinMedium() {
        try (Harness h = new Harness(2048, 9, true, THIN).ready()) {
            byte[] ones = new byte[512];
            Arrays.fill(ones, (byte) 1);
            assertGood(h.run(TestCommand.lun(0, 0x2A, 0, 0, 0, 0, 0, 0, 0, 1, 0).dataOut(ones)));
            assertGood(h.run(sanitize(0x02, null)));
            assertArrayEquals(new byte[512], read(h, 0, 1));
            byte[] status = data(h.run(TestCommand.lun(0, 0x9E, 0x12, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 24, 0, 0)));
            assertEquals(1, status[8 + 12], "deallocated");
            assertEquals(2048, (int) Cdb.u32(status, 8 + 8), "the whole medium");
            byte[] b1 = data(h.run(TestCommand.lun(0, 0x12, 1, 0xB1, 0, 0x40, 0)));
            assertEquals(0x40, b1[7] & 0xC0, "WABEREQ 01b");
        }
    }

    @Test
    void otherCommandsWaitWhileItRunsAndInquiryDoesNot() throws Exception {
        // 1 MiB at 1 MiB/s: about one second of sanitize in progress
        try (Harness h = new Harness(Map.of("sanitizeRate", 1), 2048, 9, false, Capabilities.BASIC).ready()) {
            assertGood(h.run(sanitize(0x81, overwriteParams(1, false, (byte) 7)))); // IMMED
            assertSense(h.run(TestCommand.lun(0, 0, 0, 0, 0, 0, 0)), 2, 0x04, 0x1B);
            assertSense(h.run(TestCommand.lun(0, 0x28, 0, 0, 0, 0, 0, 0, 0, 1, 0)), 2, 0x04, 0x1B);
            assertGood(h.run(TestCommand.lun(0, 0x12, 0, 0, 0, 36, 0)));
            byte[] sense = data(h.run(TestCommand.lun(0, 0x03, 0, 0, 0, 18, 0)));
            assertEquals(0x1B, sense[13], "REQUEST SENSE tells SANITIZE IN PROGRESS");
            ScsiResponse r = null;
            for (int i = 0; i < 100; i++) {
                r = h.run(TestCommand.lun(0, 0, 0, 0, 0, 0, 0));
                if (r.status() == ScsiResponse.GOOD) {
                    break;
                }
                Thread.sleep(50);
            }
            assertGood(r);
            byte[] block = read(h, 2047, 1);
            byte[] sevens = new byte[512];
            Arrays.fill(sevens, (byte) 7);
            assertArrayEquals(sevens, block);
        }
    }

    @Test
    void aFailedSanitizeLeavesTheFailureModeUntilExitWithAuse() {
        try (Harness h = new Harness(2048, 9, false, Capabilities.BASIC).ready()) {
            h.store().failNext = new BackingStoreException(BackingStoreException.Kind.WRITE_ERROR, "bad sector");
            assertSense(h.run(sanitize(0x01, overwriteParams(1, false, (byte) 1))), 3, 0x31, 0x03);
            assertSense(h.run(TestCommand.lun(0, 0x28, 0, 0, 0, 0, 0, 0, 0, 1, 0)), 3, 0x31, 0x03);
            assertSense(h.run(sanitize(0x1F, null)), 5, 0x24, 0); // AUSE was 0
            h.store().failNext = new BackingStoreException(BackingStoreException.Kind.WRITE_ERROR, "bad sector");
            assertSense(h.run(sanitize(0x21, overwriteParams(1, false, (byte) 1))), 3, 0x31, 0x03); // AUSE=1
            assertGood(h.run(sanitize(0x1F, null)));
            assertGood(h.run(TestCommand.lun(0, 0x28, 0, 0, 0, 0, 0, 0, 0, 1, 0)));
        }
    }

    @Test
    void writeProtectionAndReservationsApply() {
        try (Harness h = new Harness(Map.of("readOnly", true), 2048, 9, false, Capabilities.BASIC).ready()) {
            assertSense(h.run(sanitize(0x01, overwriteParams(1, false, (byte) 1))), 7, 0x27, 0);
            assertTrue(h.store() != null);
        }
        try (Harness h = new Harness(2048, 9, false, Capabilities.BASIC).ready()) {
            io.jtgt.scsi.api.ItNexus other = h.connect();
            Harness.run(other, TestCommand.lun(0, 0, 0, 0, 0, 0, 0));
            assertGood(Harness.run(other, TestCommand.lun(0, 0x16, 0, 0, 0, 0, 0))); // RESERVE(6)
            assertEquals(ScsiResponse.RESERVATION_CONFLICT,
                    h.run(sanitize(0x01, overwriteParams(1, false, (byte) 1))).status());
            other.close();
        }
    }

    @Test
    void anAbortedSanitizeTaskEndsWhileTheOperationGoesOn() throws Exception {
        try (Harness h = new Harness(Map.of("sanitizeRate", 1), 2048, 9, false, Capabilities.BASIC).ready()) {
            TestCommand c = sanitize(0x01, overwriteParams(1, false, (byte) 3)); // IMMED=0
            java.util.concurrent.CompletableFuture<ScsiResponse> task = h.nexus.execute(c);
            Thread.sleep(100);
            assertTrue(!task.isDone(), "without IMMED the task waits for the operation");
            c.abort.complete(null); // ABORT TASK / LUN RESET in the transport
            task.get(2, java.util.concurrent.TimeUnit.SECONDS);
            assertSense(h.run(TestCommand.lun(0, 0, 0, 0, 0, 0, 0)), 2, 0x04, 0x1B); // still sanitizing
            for (int i = 0; i < 100 && h.run(TestCommand.lun(0, 0, 0, 0, 0, 0, 0)).status() != ScsiResponse.GOOD; i++) {
                Thread.sleep(50);
            }
            assertGood(h.run(TestCommand.lun(0, 0, 0, 0, 0, 0, 0)));
        }
    }
}
