package io.jtgt.itests.e2e;

import static io.jtgt.itests.e2e.QemuIT.assertClean;
import static io.jtgt.itests.e2e.QemuIT.count;
import static io.jtgt.itests.e2e.QemuIT.qemuIo;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.io.TempDir;

/**
 * Issue 6 item 6: QEMU's iSCSI initiator moving real data through s3 LUNs, checked three ways: by
 * QEMU itself (qemu-io patterns, {@code qemu-img compare}) and against the chunk objects read
 * straight from S3 with the SDK.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class S3QemuIT {

    private static final Duration QEMU_TIMEOUT = Duration.ofSeconds(180);
    private static final long MIB = EmbeddedTarget.MIB;
    private static final int CONVERT_SIZE = (int) (64 * MIB);
    private static final int DEFAULT_CHUNK = (int) (4 * MIB);
    private static final int PATTERN_SIZE = (int) (32 * MIB);

    private S3Backend s3;
    private EmbeddedTarget target;

    @BeforeAll
    void start() {
        s3 = S3Backend.start();
        target = EmbeddedTarget.builder().backend(s3.provider)
                // the seed's default 4 MiB chunks
                .lun(0, s3.lun(EmbeddedTarget.Lun.thin(CONVERT_SIZE), "convert"))
                .lun(1, s3.lun(EmbeddedTarget.Lun.thin(PATTERN_SIZE), "patterns", "s3ChunkSize", Long.toString(MIB)))
                .lun(2, s3.lun(EmbeddedTarget.Lun.thin(CONVERT_SIZE), "parallel", "s3ChunkSize", Long.toString(MIB)))
                .start();
    }

    @AfterAll
    void stop() throws Exception {
        S3Backend.closeInOrder(target, s3);
    }

    /** Random 4 MiB stretches between zero ones: the zero chunks must stay sparse or at least read back as zeros. */
    private static Path halfZeroImage(Path dir, long seed) throws IOException {
        byte[] image = new byte[CONVERT_SIZE];
        Random random = new Random(seed);
        byte[] stretch = new byte[DEFAULT_CHUNK];
        for (int at = 0; at < CONVERT_SIZE; at += 2 * DEFAULT_CHUNK) {
            random.nextBytes(stretch);
            System.arraycopy(stretch, 0, image, at, stretch.length);
        }
        Path file = dir.resolve("half-zero-" + seed + ".raw");
        Files.write(file, image);
        return file;
    }

    private void convertAndCompare(Path source, int lun, String... convertOptions) {
        QemuIT.convertAndCompare(QEMU_TIMEOUT, source, target.url(lun), convertOptions);
    }

    @Test
    void qemuImgConvertsIntoTheLunAndComparesEqualAlsoAgainstTheChunkObjects(@TempDir Path dir) throws IOException {
        Path source = halfZeroImage(dir, 6);
        convertAndCompare(source, 0);
        assertArrayEquals(Files.readAllBytes(source), s3.readObjects("convert", CONVERT_SIZE, DEFAULT_CHUNK),
                "the chunk objects hold exactly the converted image");
        long objects = s3.chunkObjects("convert");
        System.out.println("qemu-img convert of 64 MiB (half zero) into 4 MiB chunks: " + objects + " chunk objects");
        assertTrue(objects >= 8 && objects <= 16, objects + " chunk objects");
    }

    @Test
    void parallelOutOfOrderConvertComparesEqual(@TempDir Path dir) throws IOException {
        // -m 16 -W: 16 coroutines writing out of order, many commands in flight on one session and
        // several on one chunk at a time
        Path source = halfZeroImage(dir, 7);
        convertAndCompare(source, 2, "-m", "16", "-W");
        assertArrayEquals(Files.readAllBytes(source), s3.readObjects("parallel", CONVERT_SIZE, (int) MIB));
    }

    @Test
    void patternsAcrossChunkBoundariesReadBackInAnotherSessionAndFromTheObjects() {
        // 1 MiB chunks: writes straddling a boundary, a whole chunk, three chunks, one inside a chunk
        long[][] extents = {{MIB - 512, 1024, 0x11}, {4 * MIB, MIB, 0x22}, {7 * MIB - 512, 2 * MIB + 1024, 0x33},
            {20 * MIB + 4096, 4096, 0x44}, {PATTERN_SIZE - 512, 512, 0x55}};
        List<String> writes = new ArrayList<>();
        List<String> reads = new ArrayList<>();
        for (long[] e : extents) {
            writes.add(String.format("write -P 0x%02x %d %d", e[2], e[0], e[1]));
            reads.add(String.format("read -P 0x%02x %d %d", e[2], e[0], e[1]));
        }
        reads.add("read -P 0x00 0 " + (MIB - 512)); // never written: zeros
        reads.add("read -P 0x00 " + 12 * MIB + " " + MIB);
        ExternalCommand.Result written = qemuIo(target.url(1), writes);
        assertClean(written);
        assertEquals(extents.length, count(written.stdout(), "wrote "), written::describe);
        ExternalCommand.Result read = qemuIo(target.url(1), reads);
        assertClean(read);
        assertEquals(reads.size(), count(read.stdout(), "read "), read::describe);

        byte[] objects = s3.readObjects("patterns", PATTERN_SIZE, (int) MIB);
        for (long[] e : extents) {
            byte[] want = new byte[(int) e[1]];
            Arrays.fill(want, (byte) e[2]);
            assertArrayEquals(want, Arrays.copyOfRange(objects, (int) e[0], (int) (e[0] + e[1])), "objects at " + e[0]);
        }
    }
}
