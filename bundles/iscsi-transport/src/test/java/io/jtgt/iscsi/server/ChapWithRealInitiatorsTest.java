package io.jtgt.iscsi.server;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.jtgt.iscsi.auth.AccessRule;
import io.jtgt.iscsi.auth.AccessRules;
import io.jtgt.iscsi.testing.RealTarget;
import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * CHAP and initiator lists judged by libiscsi (1.19: CHAP_A=5 only; mutual CHAP through the
 * {@code target_user}/{@code target_password} URL arguments). The SHA algorithms are covered by
 * the Java initiator of {@code ChapLoginTest}.
 */
class ChapWithRealInitiatorsTest {

    private static final String ALLOWED = "iqn.2026-11.test:allowed";
    private static final String STRANGER = "iqn.2026-11.test:stranger";

    @TempDir
    Path dir;
    private final AccessRules rules = new AccessRules();
    private RealTarget target;

    @BeforeEach
    void start() {
        rules.put("disk", AccessRule.fromProperties(Map.of("target", RealTarget.IQN, "userName", "alice",
                "secret", "alice-secret-123", "mutualUserName", "jtgt", "mutualSecret", "target-secret-456",
                "initiators", ALLOWED)));
        target = new RealTarget(dir, registry -> new IscsiServer(registry, TransportSettings.defaults(), rules));
    }

    @AfterEach
    void stop() {
        target.close();
    }

    private RealTarget.Run inq(String initiator, String url) {
        return RealTarget.run("iscsi-inq", "-i", initiator, url);
    }

    @Test
    void oneWayChapLogsIn() {
        RealTarget.Run run = inq(ALLOWED, target.url("alice%alice-secret-123", RealTarget.IQN, 0));
        assertEquals(0, run.exitCode(), run.output());
        assertTrue(run.output().contains("Peripheral Device Type"), run.output());
        assertEquals(1, target.nexuses.size());
    }

    @Test
    void aWrongSecretNoCredentialsOrAWrongNameAreRefused() {
        for (String credentials : new String[] {"alice%wrong-secret-xx", null, "bob%alice-secret-123"}) {
            RealTarget.Run run = inq(ALLOWED, target.url(credentials, RealTarget.IQN, 0));
            assertNotEquals(0, run.exitCode(), credentials + ": " + run.output());
        }
        assertTrue(target.nexuses.isEmpty(), "no session was established");
    }

    @Test
    void mutualChapThroughTheUrlArguments() {
        RealTarget.Run run = inq(ALLOWED, target.url("alice%alice-secret-123", RealTarget.IQN, 0)
                + "?target_user=jtgt&target_password=target-secret-456");
        assertEquals(0, run.exitCode(), run.output());
        assertTrue(run.output().contains("Peripheral Device Type"), run.output());
    }

    @Test
    void mutualChapThroughTheEnvironment() {
        RealTarget.Run run = RealTarget.run(Map.of("LIBISCSI_CHAP_TARGET_USERNAME", "jtgt",
                "LIBISCSI_CHAP_TARGET_PASSWORD", "target-secret-456"), "iscsi-inq", "-i", ALLOWED,
                target.url("alice%alice-secret-123", RealTarget.IQN, 0));
        assertEquals(0, run.exitCode(), run.output());
    }

    @Test
    void theInitiatorRefusesATargetThatKnowsTheWrongMutualSecret() {
        RealTarget.Run run = inq(ALLOWED, target.url("alice%alice-secret-123", RealTarget.IQN, 0)
                + "?target_user=jtgt&target_password=not-what-the-target-has");
        assertNotEquals(0, run.exitCode(), run.output());
    }

    @Test
    void anInitiatorNotOnTheListCannotLogInEvenWithTheSecret() {
        RealTarget.Run run = inq(STRANGER, target.url("alice%alice-secret-123", RealTarget.IQN, 0));
        assertNotEquals(0, run.exitCode(), run.output());
        assertTrue(target.nexuses.isEmpty());
    }

    @Test
    void sendTargetsHidesTargetsFromInitiatorsNotOnTheirList() {
        String portal = "iscsi://127.0.0.1:" + target.port();
        RealTarget.Run stranger = RealTarget.run("iscsi-ls", "-i", STRANGER, portal);
        assertEquals(0, stranger.exitCode(), stranger.output());
        assertTrue(stranger.output().contains(RealTarget.OTHER_IQN), stranger.output());
        assertFalse(stranger.output().contains(RealTarget.IQN + ","), stranger.output());
        assertFalse(stranger.output().contains("Target:" + RealTarget.IQN + " "), stranger.output());

        RealTarget.Run allowed = RealTarget.run("iscsi-ls", "-i", ALLOWED, portal);
        assertEquals(0, allowed.exitCode(), allowed.output());
        assertTrue(allowed.output().contains("Target:" + RealTarget.IQN + " "), allowed.output());
    }

    @Test
    void discoveryCanRequireChapOfItsOwn() {
        rules.put("discovery", AccessRule.fromProperties(Map.of("target", "discovery", "userName", "disco",
                "secret", "discovery-secret-1")));
        String portal = "127.0.0.1:" + target.port();
        RealTarget.Run refused = RealTarget.run("iscsi-ls", "-i", ALLOWED, "iscsi://" + portal);
        assertNotEquals(0, refused.exitCode(), refused.output());
        RealTarget.Run run = RealTarget.run("iscsi-ls", "-i", ALLOWED, "iscsi://disco%discovery-secret-1@" + portal);
        assertEquals(0, run.exitCode(), run.output());
        assertTrue(run.output().contains(RealTarget.OTHER_IQN), run.output());
    }
}
