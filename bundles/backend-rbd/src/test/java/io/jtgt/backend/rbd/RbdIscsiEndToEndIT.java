package io.jtgt.backend.rbd;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

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
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

/**
 * QEMU's iSCSI initiator against an rbd-backed LUN of a target composed in-process (scsi-core +
 * iSCSI transport + this backend, as itests/e2e's EmbeddedTarget composes the file backend), with
 * the RBD image checked independently through the {@code rbd} CLI.
 */
@ExtendWith(CephCluster.class)
class RbdIscsiEndToEndIT {

    private static final long MIB = 1L << 20;
    private static final String IQN = "iqn.2026-11.io.jtgt:rbd-e2e";
    private static final long QEMU_TIMEOUT_SECONDS = 120;

    private final CephCluster ceph;
    private final String image = "e2e-" + ProcessHandle.current().pid() + "-" + System.nanoTime();
    private RbdBackingStoreProvider provider;
    private ScsiTargetService service;
    private IscsiServer server;
    private RunningPortal portal;

    @TempDir
    Path dir;

    RbdIscsiEndToEndIT(CephCluster ceph) {
        this.ceph = ceph;
    }

    @BeforeEach
    void startTarget() throws Exception {
        provider = new RbdBackingStoreProvider();
        service = new ScsiTargetService();
        service.addProvider(provider);
        Map<String, Object> storage = new HashMap<>(ceph.storageOptions());
        storage.put(StorageDefinition.DEVICE_ID, 2000L);
        storage.put(StorageDefinition.PATH, "rbd:rbd/" + image); // the alias of ceph-rbd:
        storage.put(StorageDefinition.DEVICE_SIZE, 64 * MIB);
        storage.put(StorageDefinition.BLOCK_SHIFT, 9);
        storage.put(StorageDefinition.THIN_PROVISIONING, true);
        service.putStorage(StorageDefinition.fromProperties(storage));
        service.putTarget(new TargetDefinition(IQN, Map.of(1, List.of(0)), Map.of(0, 2000L)));
        awaitOnline();
        server = new IscsiServer(service, TransportSettings.defaults());
        portal = server.bind(new PortalDefinition(0, "127.0.0.1", 0));
        service.addPortal(portal);
    }

    @AfterEach
    void stopTarget() {
        if (server != null) {
            server.close();
        }
        if (service != null) {
            service.close();
        }
        if (provider != null) {
            provider.close();
        }
    }

    private void awaitOnline() throws InterruptedException {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
        List<LunView> views = List.of();
        while (System.nanoTime() < deadline) {
            views = service.luns();
            if (views.size() == 1 && "ONLINE".equals(views.get(0).state())) {
                return;
            }
            Thread.sleep(20);
        }
        throw new AssertionError("rbd LUN not ONLINE within 60 s: " + views);
    }

    private String url() {
        return "iscsi://127.0.0.1:" + portal.boundAddress().getPort() + "/" + IQN + "/0";
    }

    private String run(String... command) throws Exception {
        Path out = dir.resolve("cmd.out");
        Process process = new ProcessBuilder(command).redirectErrorStream(true).redirectOutput(out.toFile()).start();
        if (!process.waitFor(QEMU_TIMEOUT_SECONDS, TimeUnit.SECONDS)) {
            process.destroyForcibly();
            throw new AssertionError(String.join(" ", command) + " timed out: " + Files.readString(out));
        }
        String output = Files.readString(out, StandardCharsets.UTF_8);
        assertEquals(0, process.exitValue(), () -> String.join(" ", command) + ": " + output);
        return output;
    }

    private String qemuIo(String... commands) throws Exception {
        List<String> argv = new ArrayList<>(List.of("qemu-io", "-f", "raw"));
        for (String c : commands) {
            argv.add("-c");
            argv.add(c);
        }
        argv.add(url());
        String output = run(argv.toArray(String[]::new));
        assertFalse(output.contains("Pattern verification failed"), output);
        assertFalse(output.contains("failed"), output);
        return output;
    }

    @Test
    void qemuPatternsLandInTheRbdImage() throws Exception {
        String written = qemuIo("write -P 0xa5 1M 256k", "write -P 0x3c -f 8M 4k", "flush");
        assertEquals(2, written.split("wrote ", -1).length - 1, written);
        String read = qemuIo("read -P 0xa5 1M 256k", "read -P 0x3c 8M 4k", "read -P 0x00 0 64k");
        assertEquals(3, read.split("read ", -1).length - 1, read);

        Path exported = dir.resolve("export.img");
        ceph.rbd("export", "rbd/" + image, exported.toString());
        byte[] all = Files.readAllBytes(exported);
        assertEquals(64 * MIB, all.length);
        for (int i = 0; i < 256 * 1024; i++) {
            assertEquals((byte) 0xa5, all[(int) MIB + i], "byte " + i);
        }
        assertEquals((byte) 0x3c, all[(int) (8 * MIB)]);
    }

    @Test
    void qemuImgConvertInAndCompareBackAlsoAgainstRbdExport() throws Exception {
        Path source = dir.resolve("source.img");
        byte[] data = new byte[(int) (64 * MIB)];
        Random random = new Random(42);
        for (int off = 0; off < data.length; off += (int) MIB) { // half random MiBs, half zero
            if ((off / MIB) % 2 == 0) {
                byte[] chunk = new byte[(int) MIB];
                random.nextBytes(chunk);
                System.arraycopy(chunk, 0, data, off, chunk.length);
            }
        }
        Files.write(source, data);
        run("qemu-img", "convert", "-n", "-f", "raw", "-O", "raw", source.toString(), url());
        String same = run("qemu-img", "compare", "-f", "raw", "-F", "raw", source.toString(), url());
        assertTrue(same.contains("Images are identical"), same);

        Path exported = dir.resolve("export.img");
        ceph.rbd("export", "rbd/" + image, exported.toString());
        assertArrayEquals(data, Files.readAllBytes(exported), "rbd export equals what qemu-img wrote");
    }

    @Test
    void capacityFollowsAnRbdResize() throws Exception {
        assertTrue(run("qemu-img", "info", url()).contains("64 MiB"));
        ceph.rbd("resize", "--size", "96M", "rbd/" + image);
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
        String info = "";
        while (System.nanoTime() < deadline) {
            info = run("qemu-img", "info", url());
            if (info.contains("96 MiB")) {
                break;
            }
            Thread.sleep(100);
        }
        assertTrue(info.contains("96 MiB"), info);
        qemuIo("write -P 0x77 95M 64k", "read -P 0x77 95M 64k");
    }

    /** libiscsi's read/write conformance suites (issue 7 item 5), each its own process, on the rbd LUN. */
    @Test
    void iscsiTestCuReadWriteSuitesPass() throws Exception {
        List<String> suites = List.of("Read6", "Read10", "Read12", "Read16", "ReadCapacity10", "ReadCapacity16",
                "Write10", "Write12", "Write16", "WriteSame10", "WriteSame16", "Unmap", "CompareAndWrite",
                "Verify10", "Verify12", "Verify16", "WriteVerify10", "WriteVerify12", "WriteVerify16");
        List<String> failures = new ArrayList<>();
        int passed = 0;
        for (String suite : suites) {
            Path out = dir.resolve("test-cu-" + suite + ".out");
            Process process = new ProcessBuilder("iscsi-test-cu", "-d", "-v", "--test=ALL." + suite, url())
                    .redirectErrorStream(true).redirectOutput(out.toFile()).start();
            if (!process.waitFor(QEMU_TIMEOUT_SECONDS, TimeUnit.SECONDS)) {
                process.destroyForcibly();
                failures.add(suite + ": timed out");
                continue;
            }
            String output = Files.readString(out, StandardCharsets.UTF_8);
            java.util.regex.Matcher tests = java.util.regex.Pattern
                    .compile("tests\\s+(\\d+)\\s+(\\d+)\\s+(\\d+)\\s+(\\d+)").matcher(output);
            if (!tests.find()) {
                failures.add(suite + ": no CUnit summary (exit " + process.exitValue() + "):\n" + output);
                continue;
            }
            int ran = Integer.parseInt(tests.group(2));
            int failed = Integer.parseInt(tests.group(4));
            passed += ran - failed;
            if (failed > 0 || ran == 0) {
                failures.add(suite + ": " + failed + " of " + ran + " failed:\n" + output);
            }
        }
        System.out.println("iscsi-test-cu on an rbd LUN: " + passed + " tests passed in " + suites.size() + " suites");
        assertTrue(failures.isEmpty(), String.join("\n\n", failures));
    }
}
