package io.jtgt.itests.e2e;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.io.OutputStream;
import java.io.RandomAccessFile;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Random;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.io.TempDir;

/** QEMU's iSCSI block driver (libiscsi inside qemu-io / qemu-img) moving real data. */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class QemuIT {

    private static final Duration QEMU_TIMEOUT = Duration.ofSeconds(120);
    private static final long DISK_SIZE = 256 * EmbeddedTarget.MIB;
    private static final long CONVERT_SIZE = 64 * EmbeddedTarget.MIB;

    /** offset, length, pattern byte: 512 B to 4 MiB, aligned and not, up to the last block. */
    private static final long[][] EXTENTS = {
        {0, 512, 0x11},
        {512 * 3, 4096, 0x22},
        {65536 - 512, 65536, 0x33},
        {EmbeddedTarget.MIB + 4096, 262144, 0x44},
        {8 * EmbeddedTarget.MIB - 1536, EmbeddedTarget.MIB, 0x55},
        {32 * EmbeddedTarget.MIB, 4 * EmbeddedTarget.MIB, 0x66},
        {DISK_SIZE - 4 * EmbeddedTarget.MIB, 4 * EmbeddedTarget.MIB - 512, 0x77},
        {DISK_SIZE - 512, 512, 0x88},
    };

    private EmbeddedTarget target;

    @BeforeAll
    void start() {
        target = EmbeddedTarget.builder()
                .lun(0, EmbeddedTarget.Lun.thin(DISK_SIZE))
                .lun(1, EmbeddedTarget.Lun.thin(CONVERT_SIZE))
                .lun(2, EmbeddedTarget.Lun.thick(CONVERT_SIZE))
                .start();
    }

    @AfterAll
    void stop() {
        if (target != null) {
            target.close();
        }
    }

    private ExternalCommand.Result qemuIo(List<String> commands) {
        return qemuIo(0, commands);
    }

    private ExternalCommand.Result qemuIo(int lun, List<String> commands) {
        return qemuIo(target.url(lun), commands);
    }

    /** {@code qemu-io -f raw -c COMMAND... URL}, within the time limit. */
    static ExternalCommand.Result qemuIo(String url, List<String> commands) {
        List<String> argv = new ArrayList<>(List.of("qemu-io", "-f", "raw"));
        for (String c : commands) {
            argv.add("-c");
            argv.add(c);
        }
        argv.add(url);
        return ExternalCommand.run(QEMU_TIMEOUT, argv);
    }

    static void assertClean(ExternalCommand.Result result) {
        assertFalse(result.timedOut(), result::describe);
        assertFalse(result.output().contains("Pattern verification failed"), result::describe);
        assertFalse(result.output().contains("failed"), result::describe);
        assertEquals(0, result.exitCode(), result::describe);
    }

    @Test
    void patternsWrittenByOneSessionReadBackInAnother() throws IOException {
        List<String> writes = new ArrayList<>();
        for (long[] e : EXTENTS) {
            writes.add(String.format("write -P 0x%02x %d %d", e[2], e[0], e[1]));
        }
        ExternalCommand.Result written = qemuIo(writes);
        assertClean(written);
        assertEquals(EXTENTS.length, count(written.stdout(), "wrote "), written::describe);

        List<String> reads = new ArrayList<>();
        for (long[] e : EXTENTS) {
            reads.add(String.format("read -P 0x%02x %d %d", e[2], e[0], e[1]));
        }
        // The gaps between extents were never written: they read back as zeros.
        reads.add(String.format("read -P 0x00 %d %d", 512, 1024));
        reads.add(String.format("read -P 0x00 %d %d", 16 * EmbeddedTarget.MIB, EmbeddedTarget.MIB));
        ExternalCommand.Result read = qemuIo(reads);
        assertClean(read);
        assertEquals(reads.size(), count(read.stdout(), "read "), read::describe);

        // And the bytes really are in the image file at those offsets.
        try (RandomAccessFile image = new RandomAccessFile(target.image(0).toFile(), "r")) {
            for (long[] e : EXTENTS) {
                byte[] got = new byte[(int) e[1]];
                image.seek(e[0]);
                image.readFully(got);
                byte[] want = new byte[(int) e[1]];
                Arrays.fill(want, (byte) e[2]);
                assertArrayEquals(want, got, "image bytes at " + e[0]);
            }
        }
    }

    @Test
    void verificationReallyDetectsWrongData() {
        // Guards the other tests: qemu-io must report a mismatch when the pattern is wrong.
        ExternalCommand.Result result = qemuIo(List.of("write -P 0x5a 4194304 4096", "read -P 0xa5 4194304 4096"));
        assertTrue(result.output().contains("Pattern verification failed"), result::describe);
    }

    @Test
    void qemuImgConvertsA64MiBImageIntoTheLunAndComparesEqual(@TempDir Path dir) throws IOException {
        convertAndCompare(randomImage(dir, 7143), 1);
    }

    @Test
    void parallelOutOfOrderConvertIntoAFullyProvisionedLunComparesEqual(@TempDir Path dir) throws IOException {
        // -m 16 -W: 16 coroutines writing out of order, i.e. many commands in flight on one session.
        convertAndCompare(randomImage(dir, 3720), 2, "-m", "16", "-W");
    }

    static Path randomImage(Path dir, long seed) throws IOException {
        Path source = dir.resolve("random-" + seed + ".raw");
        Random random = new Random(seed);
        byte[] chunk = new byte[(int) EmbeddedTarget.MIB];
        try (OutputStream out = Files.newOutputStream(source)) {
            for (int i = 0; i < CONVERT_SIZE / chunk.length; i++) {
                random.nextBytes(chunk);
                out.write(chunk);
            }
        }
        return source;
    }

    private void convertAndCompare(Path source, int lun, String... convertOptions) throws IOException {
        convertAndCompare(QEMU_TIMEOUT, source, target.url(lun), convertOptions);
        assertTrue(Arrays.equals(Files.readAllBytes(source), Files.readAllBytes(target.image(lun))),
                "the image file of LUN " + lun + " must hold exactly the converted bytes");
    }

    @Test
    void fourSessionsWritingAtOnceEachReadTheirOwnDataBack() throws Exception {
        ExecutorService pool = Executors.newFixedThreadPool(4);
        try {
            List<Future<ExternalCommand.Result>> runs = new ArrayList<>();
            for (int s = 0; s < 4; s++) {
                long base = 64 * EmbeddedTarget.MIB + s * 16 * EmbeddedTarget.MIB;
                int pattern = 0xc0 + s;
                List<String> commands = new ArrayList<>();
                for (int i = 0; i < 8; i++) {
                    commands.add(String.format("aio_write -P 0x%02x %d 1M", pattern, base + i * EmbeddedTarget.MIB));
                }
                commands.add("aio_flush");
                commands.add(String.format("read -P 0x%02x %d 8M", pattern, base));
                runs.add(pool.submit(() -> qemuIo(0, commands)));
            }
            for (Future<ExternalCommand.Result> run : runs) {
                ExternalCommand.Result result = run.get(QEMU_TIMEOUT.toSeconds() + 10, TimeUnit.SECONDS);
                assertClean(result);
                assertEquals(8, count(result.stdout(), "wrote "), result::describe);
            }
        } finally {
            pool.shutdownNow();
        }
    }

    /** {@code qemu-img convert -n} of a raw file into the LUN at {@code url}, then {@code qemu-img compare}: identical. */
    static void convertAndCompare(Duration timeout, Path source, String url, String... convertOptions) {
        List<String> convert = new ArrayList<>(List.of("qemu-img", "convert", "-n"));
        convert.addAll(List.of(convertOptions));
        convert.addAll(List.of("-f", "raw", "-O", "raw", source.toString(), url));
        ExternalCommand.Result converted = ExternalCommand.run(timeout, convert);
        assertEquals(0, converted.exitCode(), converted::describe);
        ExternalCommand.Result compare = ExternalCommand.run(timeout, "qemu-img", "compare", "-f", "raw", "-F",
                "raw", source.toString(), url);
        assertEquals(0, compare.exitCode(), compare::describe);
        assertTrue(compare.stdout().contains("Images are identical"), compare::describe);
    }

    static int count(String text, String prefix) {
        return (int) text.lines().filter(l -> l.startsWith(prefix)).count();
    }
}
