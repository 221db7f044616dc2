package io.jtgt.itests.e2e;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * Thin provisioning end to end: an initiator's UNMAP reaches the file backend, which punches a
 * hole (the image really shrinks on disk) that reads back as zeros; GET LBA STATUS reflects it.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class ThinProvisioningIT {

    private static final Duration QEMU_TIMEOUT = Duration.ofSeconds(120);
    private static final long MIB = EmbeddedTarget.MIB;

    private EmbeddedTarget target;
    private TestCuSuite suites;

    @BeforeAll
    void start() {
        target = EmbeddedTarget.builder()
                .lun(0, EmbeddedTarget.Lun.thin(256 * MIB)) // for qemu
                .lun(1, EmbeddedTarget.Lun.thin(256 * MIB)) // for iscsi-test-cu
                .start();
        suites = TestCuSuite.load();
    }

    @AfterAll
    void stop() {
        if (target != null) {
            target.close();
        }
    }

    private ExternalCommand.Result qemuIo(String... commands) {
        // --discard=unmap: let qemu's block layer pass discards down (as UNMAP) instead of ignoring them.
        List<String> argv = new ArrayList<>(List.of("qemu-io", "-f", "raw", "--discard=unmap"));
        for (String c : commands) {
            argv.add("-c");
            argv.add(c);
        }
        argv.add(target.url(0));
        ExternalCommand.Result result = ExternalCommand.run(QEMU_TIMEOUT, argv);
        assertFalse(result.timedOut(), result::describe);
        assertFalse(result.output().contains("Pattern verification failed"), result::describe);
        assertFalse(result.output().toLowerCase(java.util.Locale.ROOT).contains("fail"), result::describe);
        assertEquals(0, result.exitCode(), result::describe);
        return result;
    }

    /** Bytes the image file really occupies on disk (st_blocks × 512). */
    private long allocatedBytes() {
        ExternalCommand.Result stat = ExternalCommand.run(Duration.ofSeconds(10), "stat", "-c", "%b",
                target.image(0).toString());
        assertEquals(0, stat.exitCode(), stat::describe);
        return Long.parseLong(stat.stdout().trim()) * 512;
    }

    @Test
    void unmappedRangeReadsZerosAndIsDeallocatedInTheImage() {
        long before = allocatedBytes();
        qemuIo("write -P 0xa5 0 16M", "flush");
        long written = allocatedBytes();
        assertTrue(written - before >= 16 * MIB, "16 MiB written must be allocated: " + before + " -> " + written);

        qemuIo("discard 4M 8M", "flush");
        long discarded = allocatedBytes();
        assertTrue(written - discarded >= 8 * MIB,
                "UNMAP of 8 MiB must deallocate it in the image file: " + written + " -> " + discarded);

        // SBC-3 4.7.4.5 with LBPRZ=1: unmapped blocks read as zeros; the neighbours keep their data.
        qemuIo("read -P 0x00 4M 8M", "read -P 0xa5 0 4M", "read -P 0xa5 12M 4M");
    }

    @ParameterizedTest(name = "ALL.{0}")
    @ValueSource(strings = {"Unmap", "GetLBAStatus"})
    void suite(String suite) {
        suites.assertPasses(suite, target.url(1));
    }
}
