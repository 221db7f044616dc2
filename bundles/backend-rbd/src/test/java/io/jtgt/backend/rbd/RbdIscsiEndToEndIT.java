package io.jtgt.backend.rbd;

import static io.jtgt.backend.rbd.RbdTarget.MIB;
import static io.jtgt.backend.rbd.RbdTarget.seconds;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

/**
 * Real initiators (QEMU, libiscsi) against rbd-backed LUNs of a target composed in-process, with
 * the RBD images checked independently through the {@code rbd} CLI.
 */
@ExtendWith(CephCluster.class)
class RbdIscsiEndToEndIT {

    @TempDir
    Path dir;

    private final CephCluster ceph;
    private final String image = RbdTarget.uniqueImage("e2e");
    private RbdTarget target;

    RbdIscsiEndToEndIT(CephCluster ceph) {
        this.ceph = ceph;
    }

    @BeforeEach
    void startTarget() throws Exception {
        target = new RbdTarget(ceph).rbdLun(0, image, 64 * MIB, Map.of()).awaitOnline(0, seconds(60));
    }

    @AfterEach
    void stopTarget() {
        if (target != null) {
            target.close();
        }
    }

    private String qemuIo(String url, String... commands) throws Exception {
        String output = Tools.qemuIo(dir, url, commands).ok().output();
        assertFalse(output.contains("Pattern verification failed"), output);
        assertFalse(output.contains("failed"), output);
        return output;
    }

    private byte[] export(String name) throws Exception {
        Path exported = dir.resolve(name + ".export");
        ceph.rbd("export", "rbd/" + name, exported.toString());
        try {
            return Files.readAllBytes(exported);
        } finally {
            Files.delete(exported);
        }
    }

    /** {@code mib} MiB, every other MiB random (seeded), the rest zeros. */
    private Path source(String name, int mib, long seed) throws Exception {
        byte[] data = new byte[mib * (int) MIB];
        Random random = new Random(seed);
        for (int off = 0; off < data.length; off += (int) (2 * MIB)) {
            byte[] chunk = new byte[(int) MIB];
            random.nextBytes(chunk);
            System.arraycopy(chunk, 0, data, off, chunk.length);
        }
        return Files.write(dir.resolve(name), data);
    }

    @Test
    void qemuPatternsLandInTheRbdImage() throws Exception {
        String written = qemuIo(target.url(0), "write -P 0xa5 1M 256k", "write -P 0x3c -f 8M 4k", "flush");
        assertEquals(2, written.split("wrote ", -1).length - 1, written);
        String read = qemuIo(target.url(0), "read -P 0xa5 1M 256k", "read -P 0x3c 8M 4k", "read -P 0x00 0 64k");
        assertEquals(3, read.split("read ", -1).length - 1, read);

        byte[] all = export(image);
        assertEquals(64 * MIB, all.length);
        for (int i = 0; i < 256 * 1024; i++) {
            assertEquals((byte) 0xa5, all[(int) MIB + i], "byte " + i);
        }
        assertEquals((byte) 0x3c, all[(int) (8 * MIB)]);
    }

    @Test
    void qemuImgConvertInAndCompareBackAlsoAgainstRbdExport() throws Exception {
        Path source = source("source.img", 64, 42);
        Tools.run(dir, "qemu-img", "convert", "-n", "-f", "raw", "-O", "raw", source.toString(), target.url(0)).ok();
        String same = Tools.run(dir, "qemu-img", "compare", "-f", "raw", "-F", "raw", source.toString(),
                target.url(0)).ok().output();
        assertTrue(same.contains("Images are identical"), same);
        assertArrayEquals(Files.readAllBytes(source), export(image), "rbd export equals what qemu-img wrote");
    }

    /** Two LUNs on two images, each written and read back by its own initiator at the same time. */
    @Test
    void twoLunsOnTwoImagesServedAtOnce() throws Exception {
        String second = image + "-b";
        target.rbdLun(1, second, 48 * MIB, Map.of()).awaitOnline(1, seconds(60));
        Path a = source("a.img", 64, 1);
        Path b = source("b.img", 48, 2);
        List<CompletableFuture<Tools.Result>> runs = new ArrayList<>();
        for (int lun = 0; lun < 2; lun++) {
            Path src = lun == 0 ? a : b;
            String url = target.url(lun);
            runs.add(CompletableFuture.supplyAsync(() -> {
                try {
                    Tools.run(dir, "qemu-img", "convert", "-n", "-f", "raw", "-O", "raw", src.toString(), url).ok();
                    return Tools.run(dir, "qemu-img", "compare", "-f", "raw", "-F", "raw", src.toString(), url).ok();
                } catch (Exception e) {
                    throw new IllegalStateException(e);
                }
            }));
        }
        for (CompletableFuture<Tools.Result> run : runs) {
            String out = run.get(2 * Tools.TIMEOUT_SECONDS + 10, TimeUnit.SECONDS).output();
            assertTrue(out.contains("Images are identical"), out);
        }
        assertArrayEquals(Files.readAllBytes(a), export(image), "LUN 0's image");
        assertArrayEquals(Files.readAllBytes(b), export(second), "LUN 1's image");
    }

    /**
     * {@code rbd resize} by another client while two initiators are logged in: both hear CAPACITY
     * DATA HAS CHANGED (SBC-3, 2Ah/09h) on their next command, and READ CAPACITY reports the new size.
     */
    @Test
    void anRbdResizeElsewhereReachesEverySessionAsCapacityDataHasChanged() throws Exception {
        try (QemuIoSession first = new QemuIoSession(target.url(0), seconds(60));
                QemuIoSession second = new QemuIoSession(target.url(0), seconds(60))) {
            for (QemuIoSession s : List.of(first, second)) {
                String before = s.command("read -P 0 0 4k", seconds(60));
                assertTrue(before.contains("read 4096/4096") && !before.contains("CheckCondition"), before);
            }
            target.awaitSessions(2, seconds(10));
            RbdBackingStore store = target.rbd.openStores().get(0);

            ceph.rbd("resize", "--size", "96M", "rbd/" + image);
            long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(20);
            while (store.sizeChangesReported() == 0 && System.nanoTime() < deadline) { // the header watch
                Thread.sleep(20);
            }
            assertEquals(1, store.sizeChangesReported(), "the header watch reported the resize");
            assertEquals(96 * MIB, target.view(0).sizeBytes());

            for (QemuIoSession s : List.of(first, second)) {
                String next = s.command("read -P 0 0 4k", seconds(60));
                // qemu reports the unit attention and retries the command (block/iscsi.c)
                assertTrue(next.contains("UNIT_ATTENTION") && next.contains("0x2a09"), next);
                assertTrue(next.contains("read 4096/4096"), next);
            }
        }
        String capacity = Tools.run(dir, "iscsi-readcapacity16", target.url(0)).ok().output();
        assertTrue(capacity.contains("Total size:" + 96 * MIB), capacity);
        qemuIo(target.url(0), "write -P 0x77 95M 64k", "read -P 0x77 95M 64k");
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
            Tools.Result result = Tools.run(dir, "iscsi-test-cu", "-d", "-v", "--test=ALL." + suite, target.url(0));
            java.util.regex.Matcher tests = java.util.regex.Pattern
                    .compile("tests\\s+(\\d+)\\s+(\\d+)\\s+(\\d+)\\s+(\\d+)").matcher(result.output());
            if (!tests.find()) {
                failures.add(suite + ": no CUnit summary (exit " + result.exit() + "):\n" + result.output());
                continue;
            }
            int ran = Integer.parseInt(tests.group(2));
            int failed = Integer.parseInt(tests.group(4));
            passed += ran - failed;
            if (failed > 0 || ran == 0) {
                failures.add(suite + ": " + failed + " of " + ran + " failed:\n" + result.output());
            }
        }
        System.out.println("iscsi-test-cu on an rbd LUN: " + passed + " tests passed in " + suites.size() + " suites");
        assertTrue(failures.isEmpty(), String.join("\n\n", failures));
    }
}
