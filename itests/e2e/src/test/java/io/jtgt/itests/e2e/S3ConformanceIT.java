package io.jtgt.itests.e2e;

import static org.junit.jupiter.api.Assertions.fail;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * Issue 6 item 6: libiscsi's read/write suites through an s3 LUN (s3proxy behind the S3 backend),
 * every test passing. Each suite gets a fresh target on a fresh prefix and the LUN profile the
 * file-backed conformance run gives it ({@link ConformanceSuites}: 4 KiB physical blocks for
 * WRITE SAME and COMPARE AND WRITE, a read-only LUN for ReadOnly), on 64 MiB with 1 MiB chunks so
 * that the many small writes stay cheap; Write10 and Read10 run once more at the seed's default
 * chunk size (4 MiB).
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class S3ConformanceIT {

    private static final long SIZE = 64 * EmbeddedTarget.MIB;
    private static final String ONE_MIB = Long.toString(EmbeddedTarget.MIB);

    private S3Backend s3;
    private TestCuSuite suites;

    @BeforeAll
    void start() {
        s3 = S3Backend.start();
        suites = TestCuSuite.load();
    }

    @AfterAll
    void stop() throws Exception {
        if (s3 != null) {
            s3.close();
        }
    }

    @ParameterizedTest(name = "s3 ALL.{0}")
    @ValueSource(strings = {"Read6", "Read10", "Read12", "Read16", "ReadCapacity10", "ReadCapacity16",
        "ReadDefectData10", "ReadDefectData12", "ReadOnly", "Write10", "Write12", "Write16", "WriteAtomic16",
        "WriteSame10", "WriteSame16", "WriteVerify10", "WriteVerify12", "WriteVerify16", "Unmap", "GetLBAStatus",
        "CompareAndWrite"})
    void suiteOnOneMibChunks(String suite) throws Exception {
        run(suite, "1m-" + suite, "s3ChunkSize", ONE_MIB);
    }

    @ParameterizedTest(name = "s3 (4 MiB chunks) ALL.{0}")
    @ValueSource(strings = {"Write10", "Read10"})
    void suiteOnDefaultChunks(String suite) throws Exception {
        run(suite, "4m-" + suite);
    }

    private void run(String suite, String prefix, String... options) throws Exception {
        LunProfile profile = ConformanceSuites.profile(suite);
        EmbeddedTarget.Lun base = profile.lun();
        EmbeddedTarget.Lun sized = new EmbeddedTarget.Lun(SIZE, base.blockShift(), base.thinProvisioning(),
                base.extraProperties());
        if (profile == LunProfile.READ_ONLY) {
            s3.create(prefix, SIZE, sized.blockSize(), options); // a read-only LUN serves an existing device
        }
        try (EmbeddedTarget target = EmbeddedTarget.builder().backend(s3.provider)
                .lun(0, s3.lun(sized, prefix, options)).start()) {
            profile.notInEffect(target).ifPresent(problem -> fail("LUN profile " + profile + ": " + problem));
            suites.assertPasses(suite, target.url(0));
        }
    }
}
