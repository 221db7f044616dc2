package io.jtgt.itests.e2e;

/**
 * One iscsi-test-cu test's verdict in the conformance run.
 *
 * @param suite e.g. {@code Read10} (of family {@code ALL})
 * @param test e.g. {@code BeyondEol}
 * @param reason one line saying why it did not pass; empty for PASSED
 */
record ConformanceResult(String suite, String test, Verdict verdict, String reason) {

    enum Verdict {
        /** CUnit passed it and it printed no [SKIPPED]. */
        PASSED,
        /** CUnit failed it, it crashed the tool, or it did not run although the suite lists it. */
        FAILED,
        /** It printed [SKIPPED] (libiscsi could not exercise the feature), whatever CUnit said after. */
        SKIPPED,
        /** Its suite hit the time limit before the test's verdict. */
        TIMEOUT
    }

    String key() {
        return suite + "." + test;
    }
}
