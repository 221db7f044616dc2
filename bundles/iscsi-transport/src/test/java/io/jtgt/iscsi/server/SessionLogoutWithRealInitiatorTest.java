package io.jtgt.iscsi.server;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.jtgt.iscsi.testing.RealTarget;
import io.jtgt.scsi.api.ManagementService.SessionView;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/**
 * An administrator ends a live qemu session through the management service: the request reaches
 * the transport through the nexus's SessionControl, the initiator gets AsyncEvent 1 (RFC 7143
 * 11.9.1) and logs out at once, long before the grace period. libiscsi then logs in again by
 * itself, as a new session with another TSIH: the old one is gone.
 */
class SessionLogoutWithRealInitiatorTest extends RealTargetTest {


    @Test
    void theInitiatorIsAskedToLogOutAndLeaves() throws Exception {
        target = new RealTarget(dir, registry -> new IscsiServer(registry, TransportSettings.defaults()));
        String image = "driver=iscsi,transport=tcp,portal=127.0.0.1:" + target.port() + ",target=" + RealTarget.IQN
                + ",lun=0";
        Process qemu = RealTarget.start("qemu-io", "--image-opts", image, "-c", "read -P 0 0 4096", "-c",
                "sleep 20000");
        try {
            for (int i = 0; i < 500 && target.service().sessions().isEmpty(); i++) {
                Thread.sleep(10);
            }
            List<SessionView> sessions = target.service().sessions();
            assertEquals(1, sessions.size(), "qemu logged in");
            SessionView session = sessions.get(0);
            assertFalse(session.parameters().isEmpty(), "negotiated parameters are shown");
            long start = System.nanoTime();
            target.service().logoutSession(session.tsih(), 60);
            for (int i = 0; i < 500 && target.service().sessions().stream().anyMatch(s -> s.tsih() == session.tsih()); i++) {
                Thread.sleep(10);
            }
            long waited = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - start);
            assertTrue(target.service().sessions().stream().noneMatch(s -> s.tsih() == session.tsih()),
                    "the session left when asked, not after 60 s");
            assertTrue(waited < 5000, waited + " ms");
            assertTrue(qemu.isAlive(), "qemu-io is still running its sleep: the target ended the session");
        } finally {
            qemu.destroyForcibly().waitFor(10, TimeUnit.SECONDS);
        }
    }
}
