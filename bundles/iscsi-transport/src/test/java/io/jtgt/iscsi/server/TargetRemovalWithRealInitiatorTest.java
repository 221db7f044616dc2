package io.jtgt.iscsi.server;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.jtgt.iscsi.testing.RealTarget;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/**
 * A target removed under a live qemu session: the session is asked to log out (AsyncEvent 1,
 * RFC 7143 11.9.1) and libiscsi leaves at once — long before the target's grace period would
 * have closed it — then keeps trying to log in again (libiscsi reconnects without limit) and is
 * refused each time with 0x0203. The grace timeout itself is covered by FullFeaturePhaseTest.
 */
class TargetRemovalWithRealInitiatorTest extends RealTargetTest {


    @Test
    void aRemovedTargetsSessionsAreAskedToLogOutThenClosed() throws Exception {
        target = new RealTarget(dir, registry -> new IscsiServer(registry, TransportSettings.defaults()));
        String image = "driver=iscsi,transport=tcp,portal=127.0.0.1:" + target.port() + ",target=" + RealTarget.IQN
                + ",lun=0";
        Process qemu = RealTarget.start("qemu-io", "--image-opts", image, "-c", "read -P 0 0 4096", "-c",
                "sleep 20000");
        try {
            // Logged in is not opened: qemu still probes the LUN after login, and a target gone
            // during that probe fails the open, which ends qemu-io. Its read answered, it sleeps.
            for (int i = 0; i < 1000 && qemu.isAlive() && target.readsAnswered.get() == 0; i++) {
                Thread.sleep(10);
            }
            assertTrue(target.readsAnswered.get() > 0, "qemu-io opened the LUN and read");
            removeUnder(qemu);
        } finally {
            qemu.destroyForcibly().waitFor(10, TimeUnit.SECONDS);
        }
    }

    private void removeUnder(Process qemu) throws InterruptedException {
        for (int i = 0; i < 500 && target.server().sessions().isEmpty(); i++) {
            Thread.sleep(10);
        }
        assertEquals(1, target.server().sessions().size(), "qemu logged in");
        target.service().removeTarget(RealTarget.IQN);
        long start = System.nanoTime();
        assertEquals(1, target.server().targetRemoved(RealTarget.IQN, 60));
        for (int i = 0; i < 500 && !target.server().sessions().isEmpty(); i++) {
            Thread.sleep(10);
        }
        long waited = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - start);
        assertTrue(target.server().sessions().isEmpty(), "the initiator left when asked, not after 60 s");
        assertTrue(waited < 5000, waited + " ms");
        assertTrue(qemu.isAlive(), "qemu-io is still running its sleep: it was the target that ended the session");
        assertEquals(0, target.server().targetRemoved(RealTarget.OTHER_IQN), "no session of that target");
    }
}
