package io.jtgt.itests.e2e;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import io.jtgt.backend.iouring.IoUringBackingStoreProvider;
import java.io.IOException;
import java.io.RandomAccessFile;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * iouring LUNs through real initiators, on the default (io_uring) transport: each command's file
 * I/O is submitted to the ring of the connection that decoded it and completes there. libiscsi's
 * read/write suites must pass as on a file LUN, and qemu-img's out-of-order parallel convert must
 * land byte for byte in the image.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class IoUringIT {

    private static final long SIZE = 64 * EmbeddedTarget.MIB;

    private IoUringBackingStoreProvider iouring;
    /** The same backend where io_uring is unusable (forced here): it serves through the file backend's I/O. */
    private IoUringBackingStoreProvider fallback;
    private TestCuSuite suites;

    @BeforeAll
    void start() {
        iouring = new IoUringBackingStoreProvider();
        // This machine's kernel allows io_uring; a fallback here would test the file backend's I/O instead.
        assertTrue(iouring.usesIoUring(), "io_uring unusable: the iouring backend fell back to the file backend's I/O");
        System.setProperty("jtgt.iouring.disable", "true"); // read once, by the constructor's probe
        try {
            fallback = new IoUringBackingStoreProvider();
        } finally {
            System.clearProperty("jtgt.iouring.disable");
        }
        assertFalse(fallback.usesIoUring(), "jtgt.iouring.disable did not force the fallback");
        suites = TestCuSuite.load();
    }

    @AfterAll
    void stop() {
        if (iouring != null) {
            iouring.close();
        }
        if (fallback != null) {
            fallback.close();
        }
    }

    private EmbeddedTarget.Lun lun(EmbeddedTarget.Lun base, Path image) {
        return new EmbeddedTarget.Lun(SIZE, base.blockShift(), base.thinProvisioning(), base.extraProperties())
                .with("path", "file:" + image).with("backendType", "iouring");
    }

    @ParameterizedTest(name = "iouring ALL.{0}")
    @ValueSource(strings = {"Read10", "Read16", "ReadOnly", "Write10", "Write16", "WriteAtomic16", "WriteSame16",
        "WriteVerify16", "OrWrite", "CompareAndWrite", "Unmap", "GetLBAStatus", "Prefetch10", "Verify16", "ExtendedCopy", "iSCSIResiduals"})
    void suitePasses(String suite, @TempDir Path dir) throws Exception {
        LunProfile profile = ConformanceSuites.profile(suite);
        Path image = dir.resolve(suite + ".img");
        if (profile == LunProfile.READ_ONLY) { // a read-only LUN serves an existing image
            try (RandomAccessFile file = new RandomAccessFile(image.toFile(), "rw")) {
                file.setLength(SIZE);
            }
        }
        try (EmbeddedTarget target = EmbeddedTarget.builder().backend(iouring).lun(0, lun(profile.lun(), image))
                .start()) {
            profile.notInEffect(target).ifPresent(problem -> fail("LUN profile " + profile + ": " + problem));
            suites.assertPasses(suite, target.url(0));
        }
    }

    /**
     * Where io_uring is unusable an iouring LUN keeps everything a file LUN has: thin provisioning
     * (UNMAP, WRITE SAME with UNMAP, GET LBA STATUS), FUA writes and verify.
     */
    @ParameterizedTest(name = "iouring fallback ALL.{0}")
    @ValueSource(strings = {"Read16", "Write16", "WriteSame16", "Unmap", "GetLBAStatus", "WriteVerify16"})
    void fallbackSuitePasses(String suite, @TempDir Path dir) throws Exception {
        LunProfile profile = ConformanceSuites.profile(suite);
        try (EmbeddedTarget target = EmbeddedTarget.builder().backend(fallback)
                .lun(0, lun(profile.lun(), dir.resolve(suite + ".img"))).start()) {
            profile.notInEffect(target).ifPresent(problem -> fail("LUN profile " + profile + ": " + problem));
            suites.assertPasses(suite, target.url(0));
        }
    }

    @Test
    void parallelOutOfOrderConvertLandsInTheImage(@TempDir Path dir) throws IOException {
        Path source = QemuIT.randomImage(dir, 2026);
        Path image = dir.resolve("convert.img");
        try (EmbeddedTarget target = EmbeddedTarget.builder().backend(iouring)
                .lun(0, lun(EmbeddedTarget.Lun.thick(SIZE), image)).start()) {
            // -m 16 -W: 16 coroutines writing out of order, many commands in flight on one session
            QemuIT.convertAndCompare(Duration.ofSeconds(120), source, target.url(0), "-m", "16", "-W");
        }
        assertArrayEquals(Files.readAllBytes(source), Files.readAllBytes(image),
                "the image holds exactly the converted bytes once the LUN is closed");
    }
}
