package io.jtgt.itests.e2e;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.jtgt.itests.e2e.ConformanceResult.Verdict;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;

/** The regression gate reads back what the run wrote; and how suite output becomes verdicts. */
class ConformanceTableTest {

    private static ExternalCommand.Result result(boolean timedOut, int exit) {
        return new ExternalCommand.Result(List.of("iscsi-test-cu"), exit, timedOut, Duration.ofSeconds(1), "", "",
                Path.of("x.log"));
    }

    @Test
    void theTableReadsBackEveryVerdict() {
        List<ConformanceResult> results = List.of(
                new ConformanceResult("Read10", "Simple", Verdict.PASSED, ""),
                new ConformanceResult("Read10", "BeyondEol", Verdict.FAILED, "t.c:61 CU_ASSERT_EQUAL(ret,0); a | b"),
                new ConformanceResult("Sanitize", "CryptoErase", Verdict.SKIPPED, "[SKIPPED] not implemented"),
                new ConformanceResult("Reserve6", "LUNReset", Verdict.TIMEOUT, "suite killed"));
        String md = ConformanceTable.render(List.of(new ConformanceSuiteRun.Outcome("Read10", LunProfile.THIN_512,
                results, Duration.ZERO, false, Optional.empty(), "x.log")), "1.19.0-3");
        assertEquals(Map.of("Read10.Simple", Verdict.PASSED, "Read10.BeyondEol", Verdict.FAILED,
                "Sanitize.CryptoErase", Verdict.SKIPPED, "Reserve6.LUNReset", Verdict.TIMEOUT), ConformanceTable.read(md));
        assertTrue(md.contains("**4 tests: 1 passed, 1 failed, 1 skipped, 1 timed out**"), md);
        assertTrue(md.contains("a \\| b"), "a pipe in a reason must not split the row");
    }

    @Test
    void aHungSuiteTimesOutTheRunningTestAndTheRest() {
        TestCuOutput out = TestCuOutput.parse("Suite: Reserve6\n  Test: Simple ...passed\n  Test: Logout ...");
        List<ConformanceResult> verdicts = ConformanceSuiteRun.judge("Reserve6", List.of("Simple", "Logout", "LUNReset"),
                out, result(true, -1), Duration.ofSeconds(90));
        assertEquals(List.of(Verdict.PASSED, Verdict.TIMEOUT, Verdict.TIMEOUT),
                verdicts.stream().map(ConformanceResult::verdict).toList());
    }

    @Test
    void aSuiteThatCannotLogInFailsEveryTest() {
        TestCuOutput out = TestCuOutput.parse("Failed to connect to SCSI device 0\n");
        List<ConformanceResult> verdicts = ConformanceSuiteRun.judge("Read6", List.of("Simple", "BeyondEol"), out,
                result(false, 255), Duration.ofSeconds(90));
        assertEquals(List.of(Verdict.FAILED, Verdict.FAILED), verdicts.stream().map(ConformanceResult::verdict).toList());
        assertEquals("did not run: Failed to connect to SCSI device 0", verdicts.get(0).reason());
    }

    @Test
    void skipsAndFailuresGiveTheirFirstLineAsReason() {
        TestCuOutput out = TestCuOutput.parse("""
                Suite: WriteSame10
                  Test: ZeroBlocks ...    [SKIPPED] WRITESAME10 does not support 0-blocks
                    [SKIPPED] WRITESAME10 does not support 0-blocks
                passed
                  Test: Unmap ...    [FAILED] WRITESAME10 failed with wrong sense
                FAILED
                    1. test_writesame10_unmap.c:73  - CU_ASSERT_EQUAL(ret,0)
                Run Summary:
                """);
        List<ConformanceResult> verdicts = ConformanceSuiteRun.judge("WriteSame10", List.of("ZeroBlocks", "Unmap"), out,
                result(false, 0), Duration.ofSeconds(90));
        assertEquals(new ConformanceResult("WriteSame10", "ZeroBlocks", Verdict.SKIPPED,
                "[SKIPPED] WRITESAME10 does not support 0-blocks"), verdicts.get(0));
        assertEquals(new ConformanceResult("WriteSame10", "Unmap", Verdict.FAILED,
                "test_writesame10_unmap.c:73 CU_ASSERT_EQUAL(ret,0); [FAILED] WRITESAME10 failed with wrong sense"),
                verdicts.get(1));
    }
}
