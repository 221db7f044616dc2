package io.jtgt.backend.rbd;

import static io.jtgt.backend.rbd.RbdTarget.MIB;
import static io.jtgt.backend.rbd.RbdTarget.seconds;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.function.Predicate;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

/**
 * The OSD killed (SIGKILL) while initiators write through an rbd LUN, then restarted: a bluestore
 * OSD of its own cluster, since memstore loses its data on a crash. Every write that got GOOD is
 * in the image afterwards; the writes in flight fail with CHECK CONDITION, NOT READY / LOGICAL UNIT
 * COMMUNICATION FAILURE, within the bounded wait (rados_osd_op_timeout); a failed write may or may
 * not have landed (indeterminate, never torn within one 64 KiB write); another LUN keeps serving;
 * the rbd LUN serves again once the OSD is back, without restarting anything of jtgt.
 */
@ExtendWith(CephCluster.Bluestore.class)
class RbdOsdCrashIT {

    private static final int OSD_OP_TIMEOUT_SECONDS = 5;
    private static final long REGION = 16 * MIB;
    private static final int WRITERS = 3;

    private final CephCluster ceph;

    @TempDir
    Path dir;

    RbdOsdCrashIT(CephCluster ceph) {
        this.ceph = ceph;
    }

    private static void await(String what, List<PatternWriter> writers, Predicate<PatternWriter> condition,
            long seconds) throws InterruptedException {
        long deadline = System.nanoTime() + seconds * 1_000_000_000L;
        while (!writers.stream().allMatch(condition)) {
            writers.forEach(PatternWriter::check);
            if (System.nanoTime() > deadline) {
                StringBuilder state = new StringBuilder();
                writers.forEach(w -> state.append("\nwriter ").append(w.id()).append(": ").append(w.writes()));
                throw new AssertionError(what + " not within " + seconds + " s:" + state);
            }
            Thread.sleep(20);
        }
    }

    @Test
    void everyGoodWriteSurvivesAKilledOsdAndTheLunServesAgainAfterItsRestart() throws Exception {
        String image = RbdTarget.uniqueImage("crash");
        List<PatternWriter.Write> writes = new ArrayList<>();
        long killedAt;
        try (RbdTarget target = new RbdTarget(ceph)
                .rbdLun(0, image, WRITERS * REGION, Map.of("rados_osd_op_timeout", OSD_OP_TIMEOUT_SECONDS))
                .fileLun(1, dir.resolve("other.img"), 8 * MIB)) {
            target.awaitOnline(0, seconds(60)).awaitOnline(1, seconds(60));
            List<PatternWriter> writers = new ArrayList<>();
            try {
                for (int i = 0; i < WRITERS; i++) { // the last one writes without FUA and flushes after each write
                    writers.add(new PatternWriter(i, target.url(0), i * REGION, REGION, i < WRITERS - 1, seconds(60))
                            .start());
                }
                await("3 durable writes each", writers, w -> w.durableSince(0) >= 3, 60);

                killedAt = System.nanoTime();
                ceph.killOsd();
                await("a failed write each", writers, w -> w.failed() >= 1, 60);

                // Another LUN is not held up by the dead OSD.
                String other = Tools.qemuIo(dir, target.url(1), "write -P 0x5a 0 64k", "read -P 0x5a 0 64k").ok()
                        .output();
                assertFalse(other.contains("failed"), other);
                assertEquals("ONLINE", target.view(0).state(), "the rbd LUN stays online, its commands fail");

                ceph.startOsd();
                long restartedAt = System.nanoTime();
                await("a durable write each after the restart", writers, w -> w.durableSince(restartedAt) >= 1, 120);
            } finally {
                for (PatternWriter w : writers) {
                    w.close();
                    writes.addAll(w.writes());
                }
                ceph.startOsd(); // no-op when it runs; a failed test must not leave it dead
            }
        }

        Path exported = dir.resolve("export.img");
        ceph.rbd("export", "rbd/" + image, exported.toString());
        byte[] data = Files.readAllBytes(exported);
        int good = 0;
        int failedLanded = 0;
        int failedAbsent = 0;
        for (PatternWriter.Write w : writes) {
            int matching = 0;
            int zeros = 0;
            for (int i = 0; i < PatternWriter.WRITE_BYTES; i++) {
                byte b = data[(int) w.offset() + i];
                matching += b == (byte) w.pattern() ? 1 : 0;
                zeros += b == 0 ? 1 : 0;
            }
            if (w.durable()) {
                good++;
                assertEquals(PatternWriter.WRITE_BYTES, matching, "acknowledged write lost: " + w);
            } else {
                // Indeterminate: it may have landed; but all of it or none of it.
                assertTrue(matching == PatternWriter.WRITE_BYTES || zeros == PatternWriter.WRITE_BYTES,
                        "torn write " + w + ": " + matching + " bytes of the pattern, " + zeros + " zeros");
                failedLanded += matching == PatternWriter.WRITE_BYTES ? 1 : 0;
                failedAbsent += zeros == PatternWriter.WRITE_BYTES ? 1 : 0;
                assertTrue(w.startNanos() >= killedAt - 1_000_000_000L || w.endNanos() >= killedAt,
                        "a write failed before the OSD was killed: " + w);
                assertTrue(w.detail().contains("NOT READY(2)") && w.detail().contains("0x0800"),
                        "CHECK CONDITION, NOT READY / LOGICAL UNIT COMMUNICATION FAILURE: " + w.detail());
                assertTrue(w.seconds() < 4 * OSD_OP_TIMEOUT_SECONDS + 20, "bounded wait: " + w);
            }
        }
        double longest = writes.stream().filter(w -> !w.durable()).mapToDouble(PatternWriter.Write::seconds).max()
                .orElse(0);
        System.out.printf("OSD kill: %d writes GOOD and all present; %d failed (%d landed anyway, %d absent),"
                + " longest failed write %.1f s%n", good, failedLanded + failedAbsent, failedLanded, failedAbsent, longest);
    }
}
