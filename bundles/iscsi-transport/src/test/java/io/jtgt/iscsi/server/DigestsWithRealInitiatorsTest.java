package io.jtgt.iscsi.server;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.jtgt.iscsi.testing.RealTarget;
import io.jtgt.scsi.api.NexusInfo;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * CRC32C digests judged by real initiators: QEMU's iSCSI driver and libiscsi offer header
 * digests (neither offers data digests), and every PDU after login then carries one — a wrong
 * digest on either side would break the I/O below. The session's negotiated parameters, recorded
 * through the I_T nexus, show what was agreed.
 */
class DigestsWithRealInitiatorsTest extends RealTargetTest {


    private Map<String, String> lastSessionParameters() {
        List<NexusInfo> nexuses = target.nexuses;
        assertTrue(!nexuses.isEmpty(), "the initiator logged in to the target");
        return nexuses.get(nexuses.size() - 1).parameters().get();
    }

    @Test
    void qemuWritesAndReadsBackWithHeaderDigests() {
        target = new RealTarget(dir, registry -> new IscsiServer(registry, TransportSettings.defaults()));
        String image = "driver=iscsi,transport=tcp,portal=127.0.0.1:" + target.port() + ",target=" + RealTarget.IQN
                + ",lun=0,header-digest=crc32c";
        RealTarget.Run run = RealTarget.run("qemu-io", "--image-opts", image,
                "-c", "write -P 0x5a 65536 1M", "-c", "read -P 0x5a 65536 1M", "-c", "read -P 0 0 65536");
        assertEquals(0, run.exitCode(), run.output());
        assertTrue(!run.output().contains("Pattern verification failed"), run.output());
        assertTrue(run.output().contains("read 1048576/1048576 bytes"), run.output());
        assertEquals("CRC32C", lastSessionParameters().get("HeaderDigest"));
        assertEquals("None", lastSessionParameters().get("DataDigest"));
    }

    @Test
    void qemuWithoutDigestOptionNegotiatesNoneWhenTheTargetAllowsOnlyNone() {
        target = new RealTarget(dir, registry -> new IscsiServer(registry,
                TransportSettings.defaults().withDigests(List.of("None"), List.of("None"))));
        String image = "driver=iscsi,transport=tcp,portal=127.0.0.1:" + target.port() + ",target=" + RealTarget.IQN
                + ",lun=0,header-digest=none-crc32c";
        RealTarget.Run run = RealTarget.run("qemu-io", "--image-opts", image, "-c", "read -P 0 0 4096");
        assertEquals(0, run.exitCode(), run.output());
        assertEquals("None", lastSessionParameters().get("HeaderDigest"));
    }

    @Test
    void qemuAskingForADigestTheTargetRefusesGetsRejectAndRunsWithout() {
        target = new RealTarget(dir, registry -> new IscsiServer(registry,
                TransportSettings.defaults().withDigests(List.of("None"), List.of("None"))));
        String image = "driver=iscsi,transport=tcp,portal=127.0.0.1:" + target.port() + ",target=" + RealTarget.IQN
                + ",lun=0,header-digest=crc32c";
        // HeaderDigest=CRC32C is answered with Reject (RFC 7143 6.2); libiscsi then carries on
        // without digests. Had the target switched digests on anyway, the read would fail.
        RealTarget.Run run = RealTarget.run("qemu-io", "--image-opts", image, "-c", "read -P 0 0 4096");
        assertEquals(0, run.exitCode(), run.output());
        assertEquals("None", lastSessionParameters().get("HeaderDigest"));
    }

    /**
     * libiscsi 1.19's tools offer {@code HeaderDigest=None,CRC32C} (their {@code header_digest}
     * URL argument has no effect there); the responder takes the first value it supports (RFC 7143
     * 6.2), so a target that allows only CRC32C gets header digests from them.
     */
    @Test
    void libiscsiToolsUseHeaderDigestsWhenTheTargetRequiresThem() {
        target = new RealTarget(dir, registry -> new IscsiServer(registry,
                TransportSettings.defaults().withDigests(List.of("CRC32C"), List.of("None"))));
        RealTarget.Run run = RealTarget.run("iscsi-inq", target.url(null, RealTarget.IQN, 0));
        assertEquals(0, run.exitCode(), run.output());
        assertTrue(run.output().contains("Peripheral Device Type"), run.output());
        assertEquals("CRC32C", lastSessionParameters().get("HeaderDigest"));
        RealTarget.Run ls = RealTarget.run("iscsi-ls", "-s", target.url(null, RealTarget.IQN, 0).replaceAll("/[^/]+/0$", ""));
        assertEquals(0, ls.exitCode(), ls.output());
        assertTrue(ls.output().contains(RealTarget.IQN), "discovery sessions with digests too: " + ls.output());
    }
}
