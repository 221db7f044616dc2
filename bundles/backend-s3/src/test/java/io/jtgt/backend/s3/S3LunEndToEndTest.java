package io.jtgt.backend.s3;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import io.jtgt.iscsi.server.IscsiServer;
import io.jtgt.iscsi.server.RunningPortal;
import io.jtgt.iscsi.server.TransportSettings;
import io.jtgt.scsi.api.ManagementService.LunView;
import io.jtgt.scsi.config.PortalDefinition;
import io.jtgt.scsi.config.StorageDefinition;
import io.jtgt.scsi.config.TargetDefinition;
import io.jtgt.scsi.core.ScsiTargetService;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import software.amazon.awssdk.services.s3.S3Client;

/**
 * A whole target composed in-process (scsi-core + iSCSI transport + this backend) with an s3 LUN
 * on s3proxy, driven by QEMU's iSCSI initiator (qemu-io, libiscsi inside).
 */
class S3LunEndToEndTest {

    private static final String IQN = "iqn.2026-11.io.jtgt:s3-e2e";
    private static final long MIB = 1L << 20;
    private static final long SIZE = 32 * MIB;
    private static final String BUCKET = "jtgt-e2e";

    @TempDir
    Path dir;

    private S3ProxyServer s3;
    private S3BackingStoreProvider provider;
    private ScsiTargetService service;
    private IscsiServer iscsi;
    private RunningPortal portal;

    @BeforeEach
    void start() throws Exception {
        assumeTrue(onPath("qemu-io"), "qemu-io not installed");
        s3 = new S3ProxyServer(dir).start(0);
        try (S3Client admin = s3.client()) {
            admin.createBucket(b -> b.bucket(BUCKET));
        }
        provider = new S3BackingStoreProvider();
        service = new ScsiTargetService();
        service.addProvider(provider);
        Map<String, Object> storage = new HashMap<>();
        storage.put(StorageDefinition.DEVICE_ID, 2000L);
        storage.put(StorageDefinition.PATH, "s3:" + BUCKET + "/iscsi/disk0");
        storage.put(StorageDefinition.BLOCK_SHIFT, 9);
        storage.put(StorageDefinition.DEVICE_SIZE, SIZE);
        storage.put(StorageDefinition.THIN_PROVISIONING, true);
        storage.put("s3ChunkSize", Long.toString(MIB));
        storage.put("s3Endpoint", s3.endpoint());
        storage.put("s3Region", "us-east-1");
        storage.put("s3ForcePathStyle", "true");
        storage.put("s3AccessKeyId", S3ProxyServer.ACCESS_KEY);
        storage.put("s3SecretAccessKey", S3ProxyServer.SECRET_KEY);
        storage.put("s3ApiCallTimeoutMs", "3000");
        storage.put("s3ApiCallAttemptTimeoutMs", "1000");
        storage.put("s3MaxAttempts", "2");
        service.putStorage(StorageDefinition.fromProperties(storage));
        service.putTarget(new TargetDefinition(IQN, Map.of(1, List.of(0)), Map.of(0, 2000L)));
        awaitLunState("ONLINE");
        iscsi = new IscsiServer(service, TransportSettings.defaults());
        portal = iscsi.bind(new PortalDefinition(0, "127.0.0.1", 0));
        service.addPortal(portal);
    }

    @AfterEach
    void stop() throws Exception {
        if (iscsi != null) {
            iscsi.close();
        }
        if (service != null) {
            service.close();
        }
        if (provider != null) {
            provider.close();
        }
        if (s3 != null) {
            s3.close();
        }
    }

    @Test
    void qemuWritesAndReadsPatternsAcrossChunkBoundaries() throws Exception {
        // 1 MiB chunks: straddling writes, a whole-chunk write, and a write inside one chunk
        List<String> writes = List.of("write -P 0x11 1048064 1024", "write -P 0x22 4194304 1048576",
                "write -P 0x33 7340544 2097152", "write -P 0x44 20971520 4096");
        Result written = qemuIo(writes);
        assertClean(written);
        List<String> reads = new ArrayList<>();
        for (String w : writes) {
            reads.add(w.replace("write", "read"));
        }
        reads.add("read -P 0x00 0 1048064"); // never written: zeros
        reads.add("read -P 0x00 12582912 1048576");
        Result read = qemuIo(reads);
        assertClean(read);
        assertEquals(reads.size(), read.output.split("read ", -1).length - 1, read.output);
    }

    @Test
    void aStoppedS3ServerFailsCommandsAndTheLunRecovers() throws Exception {
        assertClean(qemuIo(List.of("write -P 0x5a 0 65536")));
        s3.stop();
        Result failed = qemuIo(List.of("read -P 0x5a 0 65536"));
        assertTrue(failed.output.contains("failed") || failed.exitCode != 0, failed.output);
        s3.restart();
        assertClean(qemuIo(List.of("read -P 0x5a 0 65536", "write -P 0x6b 65536 512", "read -P 0x6b 65536 512")));
    }

    // ---- plumbing

    private record Result(int exitCode, String output) {}

    private Result qemuIo(List<String> commands) throws IOException, InterruptedException {
        List<String> argv = new ArrayList<>(List.of("qemu-io", "-f", "raw"));
        for (String c : commands) {
            argv.add("-c");
            argv.add(c);
        }
        argv.add("iscsi://127.0.0.1:" + portal.boundAddress().getPort() + "/" + IQN + "/0");
        Process process = new ProcessBuilder(argv).redirectErrorStream(true).start();
        process.getOutputStream().close();
        if (!process.waitFor(120, TimeUnit.SECONDS)) {
            process.destroyForcibly();
            return new Result(-1, "qemu-io timed out: " + argv);
        }
        return new Result(process.exitValue(), new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8));
    }

    private static void assertClean(Result result) {
        assertFalse(result.output.contains("Pattern verification failed"), result.output);
        assertFalse(result.output.contains("failed"), result.output);
        assertEquals(0, result.exitCode, result.output);
    }

    private void awaitLunState(String state) throws InterruptedException {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(20);
        List<LunView> views = List.of();
        while (System.nanoTime() < deadline) {
            views = service.luns();
            if (!views.isEmpty() && views.stream().allMatch(v -> state.equals(v.state()))) {
                return;
            }
            Thread.sleep(20);
        }
        throw new AssertionError("LUN did not reach " + state + ": " + views);
    }

    private static boolean onPath(String command) {
        for (String d : System.getenv().getOrDefault("PATH", "").split(":")) {
            if (java.nio.file.Files.isExecutable(Path.of(d, command))) {
                return true;
            }
        }
        return false;
    }
}
