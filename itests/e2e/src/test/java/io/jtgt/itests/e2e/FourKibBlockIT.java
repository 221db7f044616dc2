package io.jtgt.itests.e2e;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * The block-size arithmetic on a 4 KiB-block (blockShift 12) thin LUN: LBA to byte offsets,
 * transfer lengths, capacity and unmap ranges all scale by the block size, so the 512-byte runs
 * cannot catch a hard-coded 512 or 9.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class FourKibBlockIT {

    private EmbeddedTarget target;
    private TestCuSuite suites;

    @BeforeAll
    void start() {
        target = EmbeddedTarget.builder()
                .lun(0, EmbeddedTarget.Lun.thin(256 * EmbeddedTarget.MIB).withBlockShift(12))
                .start();
        suites = TestCuSuite.load();
    }

    @AfterAll
    void stop() {
        if (target != null) {
            target.close();
        }
    }

    @ParameterizedTest(name = "4 KiB ALL.{0}")
    @ValueSource(strings = {"Inquiry", "ReadCapacity10", "ReadCapacity16", "Read6", "Read10", "Read16", "Write10",
        "Write16", "Verify16", "WriteVerify16", "Unmap", "GetLBAStatus"})
    void suite(String suite) {
        suites.assertPasses(suite, target.url(0));
    }
}
