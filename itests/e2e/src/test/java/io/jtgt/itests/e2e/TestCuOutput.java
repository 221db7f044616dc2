package io.jtgt.itests.e2e;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Reads the console output of {@code iscsi-test-cu -v} (CUnit's basic verbose mode plus
 * libiscsi's own {@code [SKIPPED]}/{@code [FAILED]} log lines):
 *
 * <pre>
 * Suite: Read10
 *   Test: Simple ...passed
 *   Test: BeyondEol ...    [FAILED] READ10 ... failed with the wrong sense code ...
 * FAILED
 *     1. test_read10_beyond_eol.c:61  - CU_ASSERT_EQUAL(ret,0)
 *   Test: ZeroBlocks ...    [SKIPPED] ...
 * passed
 * Run Summary: ...
 * </pre>
 *
 * A test passes only if CUnit said "passed" and libiscsi printed neither [SKIPPED] nor [FAILED]
 * for it: libiscsi reports a test it could not run as CUnit-"passed" with a [SKIPPED] line, and
 * for this project an unexercised feature is not a pass.
 */
final class TestCuOutput {

    enum Verdict { PASSED, SKIPPED, FAILED, NO_VERDICT }

    /** One CUnit test and every line it printed (its reasons when it did not pass). */
    record TestOutcome(String name, Verdict verdict, List<String> lines) {}

    private static final Pattern TEST_START = Pattern.compile("^\\s*Test: (\\S+) \\.\\.\\.(.*)$");
    private static final Pattern SUITE_START = Pattern.compile("^Suite: (\\S+)\\s*$");
    private static final Pattern SUMMARY = Pattern.compile("^Run Summary:.*$");
    private static final Pattern CUNIT_PASSED = Pattern.compile("(^|\\s|\\.\\.\\.)passed\\s*$");
    private static final Pattern CUNIT_FAILED = Pattern.compile("(^|\\s|\\.\\.\\.)FAILED\\s*$");

    private final List<String> preamble = new ArrayList<>();
    private final Map<String, TestOutcome> tests = new LinkedHashMap<>();
    private final boolean summaryPrinted;

    private TestCuOutput(String output) {
        String current = null;
        List<String> lines = null;
        boolean summary = false;
        for (String line : output.split("\\R")) {
            Matcher start = TEST_START.matcher(line);
            if (start.matches()) {
                finish(current, lines);
                current = start.group(1);
                lines = new ArrayList<>();
                if (!start.group(2).isBlank()) {
                    lines.add(start.group(2).trim());
                }
            } else if (SUMMARY.matcher(line).matches()) {
                finish(current, lines);
                current = null;
                summary = true;
            } else if (current != null) {
                if (!line.isBlank()) {
                    lines.add(line.trim());
                }
            } else if (!summary && !SUITE_START.matcher(line).matches() && !line.isBlank()
                    && !line.contains("CUnit - A unit testing framework") && !line.contains("cunit.sourceforge")) {
                preamble.add(line.trim());
            }
        }
        finish(current, lines); // a crash mid-test leaves the last one without a verdict
        this.summaryPrinted = summary;
    }

    static TestCuOutput parse(String output) {
        return new TestCuOutput(output);
    }

    private void finish(String name, List<String> lines) {
        if (name != null) {
            tests.put(name, new TestOutcome(name, verdictOf(lines), List.copyOf(lines)));
        }
    }

    private static Verdict verdictOf(List<String> lines) {
        boolean cunitPassed = false;
        boolean cunitFailed = false;
        boolean skipped = false;
        boolean libiscsiFailed = false;
        for (String line : lines) {
            cunitPassed |= CUNIT_PASSED.matcher(line).find();
            cunitFailed |= CUNIT_FAILED.matcher(line).find();
            skipped |= line.contains("[SKIPPED]");
            libiscsiFailed |= line.contains("[FAILED]");
        }
        if (cunitFailed || libiscsiFailed) {
            return Verdict.FAILED;
        }
        if (skipped) {
            return Verdict.SKIPPED;
        }
        return cunitPassed ? Verdict.PASSED : Verdict.NO_VERDICT;
    }

    Map<String, TestOutcome> tests() {
        return tests;
    }

    /** Lines printed before the first test (libiscsi's probing of the LUN). */
    List<String> preamble() {
        return preamble;
    }

    /** False when the tool died before CUnit printed its run summary. */
    boolean summaryPrinted() {
        return summaryPrinted;
    }

    long count(Verdict verdict) {
        return tests.values().stream().filter(t -> t.verdict() == verdict).count();
    }
}
