package io.jtgt.itests.e2e;

import static io.jtgt.itests.e2e.QemuIT.assertClean;
import static io.jtgt.itests.e2e.QemuIT.qemuIo;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.jtgt.backend.s3.FreezableRelay;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;

/**
 * Issue 6 items 4 and 6: S3 going away under a running target, seen by initiators.
 *
 * <ul>
 *   <li>The S3 server (s3proxy) is <b>stopped</b> while writes are in flight and later restarted
 *       on the same port and blobs: every write that fails gets CHECK CONDITION, NOT READY /
 *       LOGICAL UNIT COMMUNICATION FAILURE (SPC-4 4.5.6: 02h, 08h/00h); every write that got GOOD
 *       reads back after the restart; the same session keeps working on a file LUN during the
 *       outage and on the s3 LUN after it, with no restart of the target.
 *   <li>The S3 server is <b>frozen</b> (a relay that accepts and forwards nothing): commands end
 *       with the same CHECK CONDITION within the configured call timeout instead of hanging, while
 *       a command to another LUN of the same session completes meanwhile.
 * </ul>
 *
 * The project's initiator shows the sense bytes and one session on several LUNs; QEMU is the real
 * initiator that must see the failure (and not a hang) and the recovery.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class S3OutageIT {

    private static final int S3_LUN = 0;
    private static final int FILE_LUN = 1;
    private static final int FROZEN_LUN = 2;
    private static final int BLOCK = 512;
    private static final int CHUNK = 64 * 1024;
    private static final long SIZE = 16 * EmbeddedTarget.MIB;
    private static final long CALL_TIMEOUT_MS = 3000;
    /** What a loaded 2-core machine may add to a timeout before the answer arrives. */
    private static final long SLACK_MS = 5000;
    private static final int NOT_READY = 0x2;
    private static final int LOGICAL_UNIT_COMMUNICATION_FAILURE = 0x0800;

    private S3Backend s3;
    private FreezableRelay relay;
    private EmbeddedTarget target;

    @BeforeAll
    void start() throws Exception {
        s3 = S3Backend.start();
        relay = new FreezableRelay(s3.server.port());
        String[] bounds = {"s3ChunkSize", Integer.toString(CHUNK), "s3ApiCallTimeoutMs", Long.toString(CALL_TIMEOUT_MS),
            "s3ApiCallAttemptTimeoutMs", "1000", "s3MaxAttempts", "3", "s3RetryBaseDelayMs", "50",
            "s3RetryMaxDelayMs", "200"};
        target = EmbeddedTarget.builder().backend(s3.provider)
                .lun(S3_LUN, s3.lun(EmbeddedTarget.Lun.thin(SIZE), "outage", bounds))
                .lun(FILE_LUN, EmbeddedTarget.Lun.thin(SIZE))
                .lun(FROZEN_LUN, s3.lunAt(EmbeddedTarget.Lun.thin(SIZE), "frozen", relay.endpoint(), bounds))
                .start();
    }

    @AfterAll
    void stop() throws Exception {
        S3Backend.closeInOrder(target, relay, s3);
    }

    private static byte[] pattern(int length, long seed) {
        byte[] bytes = new byte[length];
        new Random(seed).nextBytes(bytes);
        return bytes;
    }

    private static void assertNotReadyCommunicationFailure(InitiatorSession.Outcome o) {
        assertTrue(o.checkCondition(), o::describe);
        assertEquals(NOT_READY, o.senseKey(), o::describe);
        assertEquals(LOGICAL_UNIT_COMMUNICATION_FAILURE, o.ascq(), o::describe);
    }

    /** QEMU's iSCSI driver names the sense of a failed command: NOT READY, ASC/ASCQ 08h/00h. */
    private static void assertQemuSawNotReady(ExternalCommand.Result qemu) {
        assertFalse(qemu.timedOut(), qemu::describe);
        assertTrue(qemu.stderr().contains("failed") && qemu.stderr().contains("SENSE KEY:NOT READY(2)")
                && qemu.stderr().contains("(0x0800)"), qemu::describe);
    }

    /** A write and a read back on the file LUN of the same session: GOOD, same bytes. */
    private static void fileLunWorks(InitiatorSession session, int lba, long seed) {
        byte[] data = pattern(4096, seed);
        assertTrue(session.call(session.sendWrite(FILE_LUN, lba, data, BLOCK)).good(), "file LUN write");
        InitiatorSession.Outcome read = session.call(session.sendRead(FILE_LUN, lba, data.length / BLOCK, BLOCK));
        assertTrue(read.good(), read::describe);
        assertArrayEquals(data, read.data(), "file LUN read back");
    }

    @Test
    void aStoppedServerFailsWritesWithNotReadyLosesNothingAcknowledgedAndTheLunServesAgainAfterItsRestart()
            throws Exception {
        int writeBlocks = 8; // 4 KiB: 16 writes share a 64 KiB chunk, so most are read-modify-writes
        int window = 8;
        int ackedBeforeStop = 48;
        int failuresWanted = 16;
        int maxWrites = 512;
        Map<Integer, byte[]> sent = new LinkedHashMap<>(); // task tag -> data, lba = index * writeBlocks
        Map<Integer, Integer> lbaOf = new LinkedHashMap<>();
        Map<Integer, byte[]> acknowledged = new LinkedHashMap<>(); // lba -> data that got GOOD
        List<InitiatorSession.Outcome> failed = new ArrayList<>();
        int goodWhileStopped = 0;
        boolean stopped = false;
        try (InitiatorSession session = InitiatorSession.login(target, "iqn.2026-12.io.jtgt:outage", 0x23d000000601L)
                .clearUnitAttentions(S3_LUN, FILE_LUN)) {
            int next = 0;
            while (failed.size() < failuresWanted && next < maxWrites) {
                while (session.inFlight() < window && next < maxWrites) {
                    int lba = next * writeBlocks;
                    byte[] data = pattern(writeBlocks * BLOCK, next);
                    int itt = session.sendWrite(S3_LUN, lba, data, BLOCK);
                    sent.put(itt, data);
                    lbaOf.put(itt, lba);
                    next++;
                }
                InitiatorSession.Outcome o = session.next();
                if (o.good()) {
                    acknowledged.put(lbaOf.get(o.itt()), sent.get(o.itt()));
                    goodWhileStopped += stopped ? 1 : 0;
                } else {
                    assertNotReadyCommunicationFailure(o);
                    failed.add(o);
                }
                if (!stopped && acknowledged.size() >= ackedBeforeStop) {
                    s3.server.stop(); // with `window` writes in flight
                    stopped = true;
                }
            }
            while (session.inFlight() > 0) { // the last ones: each GOOD or the same CHECK CONDITION
                InitiatorSession.Outcome o = session.next();
                if (o.good()) {
                    acknowledged.put(lbaOf.get(o.itt()), sent.get(o.itt()));
                    goodWhileStopped++;
                } else {
                    assertNotReadyCommunicationFailure(o);
                    failed.add(o);
                }
            }
            assertTrue(stopped && failed.size() >= failuresWanted, failed.size() + " failures in " + next + " writes");

            // S3 down: the same session goes on with another LUN, and TEST UNIT READY still answers
            fileLunWorks(session, 0, 1);
            InitiatorSession.Outcome ready = session.call(session.sendTestUnitReady(S3_LUN));
            assertTrue(ready.good() || ready.checkCondition(), ready::describe);
            // a real initiator sees the failure too, and another LUN works for it
            ExternalCommand.Result refused = qemuIo(target.url(S3_LUN), List.of("write -P 0x5a 8M 4k"));
            assertQemuSawNotReady(refused);
            System.out.println("qemu-io write while S3 is stopped: " + refused.elapsed().toMillis() + " ms, "
                    + refused.stderr().strip().replace('\n', ' '));
            assertClean(qemuIo(target.url(FILE_LUN), List.of("write -P 0x33 1M 64k", "read -P 0x33 1M 64k")));

            s3.server.restart();

            // every acknowledged write is there, read through the same session (S3 or the write-through cache)
            for (Map.Entry<Integer, byte[]> write : acknowledged.entrySet()) {
                InitiatorSession.Outcome read = session.call(session.sendRead(S3_LUN, write.getKey(), writeBlocks, BLOCK));
                assertTrue(read.good(), read::describe);
                assertArrayEquals(write.getValue(), read.data(), "acknowledged write at LBA " + write.getKey());
            }
            // and in S3 itself, read straight from the chunk objects with the SDK
            byte[] objects = s3.readObjects("outage", (int) SIZE, CHUNK);
            for (Map.Entry<Integer, byte[]> write : acknowledged.entrySet()) {
                int at = write.getKey() * BLOCK;
                assertArrayEquals(write.getValue(), java.util.Arrays.copyOfRange(objects, at, at + write.getValue().length),
                        "chunk object content at LBA " + write.getKey());
            }
            // and the LUN serves new writes again, no restart of anything but S3
            byte[] after = pattern(writeBlocks * BLOCK, 9999);
            InitiatorSession.Outcome written = session.call(session.sendWrite(S3_LUN, 8192, after, BLOCK));
            assertTrue(written.good(), written::describe);
            InitiatorSession.Outcome readAfter = session.call(session.sendRead(S3_LUN, 8192, writeBlocks, BLOCK));
            assertArrayEquals(after, readAfter.data());
            fileLunWorks(session, 64, 2);
        }
        assertClean(qemuIo(target.url(S3_LUN), List.of("write -P 0x5a 8M 4k", "read -P 0x5a 8M 4k")));
        System.out.printf("S3 stopped mid-write: %d writes sent, %d acknowledged (%d of them after the stop) and all "
                + "read back after the restart, %d CHECK CONDITION NOT READY / LOGICAL UNIT COMMUNICATION FAILURE%n",
                sent.size(), acknowledged.size(), goodWhileStopped, failed.size());
    }

    @Test
    void aFrozenServerEndsCommandsWithNotReadyWithinTheCallTimeoutWhileOtherLunsWork() throws Exception {
        assertClean(qemuIo(target.url(FROZEN_LUN), List.of("write -P 0x77 0 64k"))); // a whole chunk: S3 only
        relay.freeze(true);
        try (InitiatorSession session = InitiatorSession.login(target, "iqn.2026-12.io.jtgt:frozen", 0x23d000000602L)
                .clearUnitAttentions(FROZEN_LUN, FILE_LUN)) {
            long start = System.nanoTime();
            int read = session.sendRead(FROZEN_LUN, 0, 8, BLOCK);
            int write = session.sendWrite(FROZEN_LUN, 1024, pattern(4096, 3), BLOCK);
            // while those wait on a server that answers nothing, the file LUN of the same session answers
            byte[] data = pattern(4096, 4);
            int fileWrite = session.sendWrite(FILE_LUN, 2048, data, BLOCK);
            InitiatorSession.Outcome first = session.next();
            assertEquals(fileWrite, first.itt(), "the file LUN's write completes first: " + first.describe());
            assertTrue(first.good(), first::describe);
            Map<Integer, InitiatorSession.Outcome> frozen = new LinkedHashMap<>();
            for (int i = 0; i < 2; i++) {
                InitiatorSession.Outcome o = session.next();
                frozen.put(o.itt(), o);
            }
            long elapsedMs = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - start);
            assertNotReadyCommunicationFailure(frozen.get(read));
            assertNotReadyCommunicationFailure(frozen.get(write));
            assertTrue(elapsedMs < CALL_TIMEOUT_MS + SLACK_MS, "answered after " + elapsedMs + " ms");
            System.out.println("frozen S3: READ(10) and WRITE(10) got CHECK CONDITION 02h 08h/00h after " + elapsedMs
                    + " ms (s3ApiCallTimeoutMs " + CALL_TIMEOUT_MS + ")");

            ExternalCommand.Result qemu = ExternalCommand.run(Duration.ofSeconds(120), "qemu-io", "-f", "raw", "-c",
                    "read -P 0x77 0 64k", target.url(FROZEN_LUN));
            assertQemuSawNotReady(qemu);
            assertTrue(qemu.elapsed().toMillis() < CALL_TIMEOUT_MS + SLACK_MS, qemu::describe);
            System.out.println("qemu-io read while S3 is frozen: failed after " + qemu.elapsed().toMillis() + " ms, "
                    + qemu.stderr().strip().replace('\n', ' '));

            relay.freeze(false);
            InitiatorSession.Outcome again = session.call(session.sendRead(FROZEN_LUN, 0, 8, BLOCK));
            assertTrue(again.good(), again::describe);
            InitiatorSession.Outcome fileRead = session.call(session.sendRead(FILE_LUN, 2048, 8, BLOCK));
            assertArrayEquals(data, fileRead.data());
        }
        assertClean(qemuIo(target.url(FROZEN_LUN), List.of("read -P 0x77 0 64k")));
    }
}
