package io.jtgt.backend.rbd;

import static io.jtgt.backend.rbd.RbdTarget.MIB;
import static io.jtgt.backend.rbd.RbdTarget.seconds;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

/**
 * The cluster stops answering under real initiators: the OSD frozen (SIGSTOP) during I/O, the
 * monitor frozen during I/O and while a LUN opens, the monitor killed and restarted. Every wait is
 * bounded by the storage's librados timeouts, failures are CHECK CONDITION with a sense code that
 * says what is going on, a file LUN on the same target is unaffected, and everything recovers
 * without restarting jtgt once the cluster answers again.
 */
@ExtendWith(CephCluster.class)
class RbdClusterFaultIT {

    private static final int TIMEOUT_SECONDS = 4;
    /** Short librados timeouts, so each fault costs seconds, not the default 30 s. */
    private static final Map<String, Object> FAST = Map.of("rados_osd_op_timeout", TIMEOUT_SECONDS,
            "rados_mon_op_timeout", TIMEOUT_SECONDS, "client_mount_timeout", TIMEOUT_SECONDS);

    @TempDir
    Path dir;

    private final CephCluster ceph;
    private final String image = RbdTarget.uniqueImage("fault");
    private RbdTarget target;

    RbdClusterFaultIT(CephCluster ceph) {
        this.ceph = ceph;
    }

    @BeforeEach
    void startTarget() throws Exception {
        target = new RbdTarget(ceph).rbdLun(0, image, 32 * MIB, FAST).fileLun(1, dir.resolve("file.img"), 8 * MIB)
                .awaitOnline(0, seconds(60)).awaitOnline(1, seconds(60));
        ok(0, "write -P 0x11 -f 0 64k");
    }

    @AfterEach
    void stopTarget() {
        if (target != null) {
            target.close();
        }
    }

    private String ok(int lun, String... commands) throws Exception {
        String out = Tools.qemuIo(dir, target.url(lun), commands).ok().output();
        assertFalse(out.contains("failed"), out);
        return out;
    }

    @Test
    void aFrozenOsdFailsWritesAsCommunicationFailureWithinTheTimeoutAndTheLunRecovers() throws Exception {
        long osd = ceph.osdPid();
        ceph.signal(osd, "STOP");
        try {
            long t0 = System.nanoTime();
            Tools.Result failed = Tools.qemuIo(dir, target.url(0), "write -P 0x22 -f 1M 64k");
            double seconds = (System.nanoTime() - t0) / 1e9;
            assertTrue(failed.output().contains("write failed"), failed.output());
            // SPC-4: NOT READY, LOGICAL UNIT COMMUNICATION FAILURE (2h/08h/00h)
            assertTrue(failed.output().contains("NOT READY(2)") && failed.output().contains("0x0800"), failed.output());
            assertTrue(seconds < 4 * TIMEOUT_SECONDS + 20, "bounded by rados_osd_op_timeout, took " + seconds + " s");

            ok(1, "write -P 0x33 0 64k", "read -P 0x33 0 64k"); // the file LUN does not wait for Ceph
        } finally {
            ceph.signal(osd, "CONT");
        }
        ok(0, "write -P 0x44 -f 2M 64k", "read -P 0x44 2M 64k", "read -P 0x11 0 64k");
    }

    @Test
    void aFrozenMonitorDoesNotStopIoOnAnOpenLun() throws Exception {
        long mon = ceph.monPid();
        ceph.signal(mon, "STOP");
        try {
            // Data goes to the OSDs with the maps the client has: no monitor needed.
            ok(0, "write -P 0x55 -f 4M 256k", "read -P 0x55 4M 256k", "read -P 0x11 0 64k");
        } finally {
            ceph.signal(mon, "CONT");
        }
    }

    @Test
    void aLunOpenedWhileTheMonitorIsFrozenIsBecomingReadyAndComesOnlineWhenItAnswers() throws Exception {
        long mon = ceph.monPid();
        ceph.signal(mon, "STOP");
        try {
            target.rbdLun(2, image + "-late", 16 * MIB, FAST);
            Thread.sleep((TIMEOUT_SECONDS + 1) * 1000L); // past the first connect attempt's timeout
            assertEquals("OPENING", target.view(2).state(), "retrying, not FAILED");
            Tools.Result notReady = Tools.qemuIo(dir, target.url(2), "read 0 4k");
            // SPC-4: NOT READY, LOGICAL UNIT IS IN PROCESS OF BECOMING READY (2h/04h/01h)
            assertTrue(notReady.output().contains("NOT READY(2)") && notReady.output().contains("0x0401"),
                    notReady.output());
            ok(0, "read -P 0x11 0 64k"); // the open LUN goes on meanwhile
        } finally {
            ceph.signal(mon, "CONT");
        }
        target.awaitOnline(2, seconds(60));
        ok(2, "write -P 0x66 -f 0 64k", "read -P 0x66 0 64k");
    }

    @Test
    void aKilledAndRestartedMonitorLeavesIoAloneAndNewOpensWorkAgain() throws Exception {
        ceph.signal(ceph.monPid(), "KILL");
        try {
            ok(0, "write -P 0x77 -f 8M 64k", "read -P 0x77 8M 64k");
        } finally {
            ceph.startMon();
        }
        target.rbdLun(2, image + "-after", 16 * MIB, FAST).awaitOnline(2, seconds(60));
        ok(2, "write -P 0x78 -f 0 64k", "read -P 0x78 0 64k");
        ok(0, "read -P 0x77 8M 64k");
    }
}
