package io.jtgt.itests.e2e;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.jtgt.itests.e2e.TestCuOutput.Verdict;
import org.junit.jupiter.api.Test;

/** The parser that judges iscsi-test-cu runs, on output captured from real runs. */
class TestCuOutputTest {

    private static final String RUN = """
                [SKIPPED] PERSISTENT RESERVE IN is not implemented.

                 CUnit - A unit testing framework for C - Version 2.1-3
                 http://cunit.sourceforge.net/


            Suite: Inquiry
              Test: Standard ...passed
              Test: BlockLimits ...    [SKIPPED] Logical unit is fully provisioned. Skipping test
            passed
              Test: Simple ...    [FAILED] COMPARE_AND_WRITE command: failed with sense. SENSE KEY:ILLEGAL_REQUEST(5)
            FAILED
                1. test_compareandwrite_simple.c:96  - CU_ASSERT_EQUAL(ret,0)
              Test: AssertOnly ...FAILED
                1. test_x.c:10  - CU_ASSERT_EQUAL(ret,0)
              Test: Async ...passed    [SKIPPED] PERSISTENT RESERVE IN is not implemented.

            Run Summary:    Type  Total    Ran Passed Failed Inactive
                          suites      1      1    n/a      0        0
                           tests      5      5      3      2        0
            """;

    @Test
    void classifiesEachTest() {
        TestCuOutput out = TestCuOutput.parse(RUN);
        assertEquals(Verdict.PASSED, out.tests().get("Standard").verdict());
        assertEquals(Verdict.SKIPPED, out.tests().get("BlockLimits").verdict());
        assertEquals(Verdict.FAILED, out.tests().get("Simple").verdict());
        assertEquals(Verdict.FAILED, out.tests().get("AssertOnly").verdict());
        assertEquals(Verdict.PASSED, out.tests().get("Async").verdict());
        assertTrue(out.tests().get("Simple").lines().stream().anyMatch(l -> l.contains("test_compareandwrite_simple.c:96")));
        assertTrue(out.summaryPrinted());
        assertEquals(2, out.count(Verdict.PASSED));
        assertEquals(2, out.outsideTests().size(), "probe and teardown lines belong to no test");
        assertEquals(java.util.List.of("FAILED", "1. test_x.c:10  - CU_ASSERT_EQUAL(ret,0)"),
                out.tests().get("AssertOnly").lines());
    }

    /** iSCSIdatasn provokes failing writes on purpose; libiscsi's helper logs each as [FAILED]. */
    @Test
    void aFailedLineUnderACunitPassIsAnExpectedFailure() {
        TestCuOutput out = TestCuOutput.parse("""
                Suite: iSCSIdatasn
                  Test: iSCSIDataSnInvalid ...    [FAILED] WRITE10 command failed with status 251658241 / sense key NO SENSE(0x00)
                    [FAILED] WRITE10 command failed with status 251658241 / sense key NO SENSE(0x00)
                passed

                Run Summary:    Type  Total    Ran Passed Failed Inactive
                """);
        assertEquals(Verdict.PASSED, out.tests().get("iSCSIDataSnInvalid").verdict());
    }

    @Test
    void aCrashMidTestLeavesNoVerdict() {
        TestCuOutput out = TestCuOutput.parse("Suite: Read10\n  Test: Simple ...passed\n  Test: BeyondEol ...");
        assertEquals(Verdict.NO_VERDICT, out.tests().get("BeyondEol").verdict());
        assertFalse(out.summaryPrinted());
    }
}
