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
 *   Test: Async ...passed    [SKIPPED] PERSISTENT RESERVE IN is not implemented.
 * Run Summary: ...
 * </pre>
 *
 * CUnit prints "Test: NAME ..." before the test body runs and its verdict ("passed"/"FAILED",
 * at the start of a line or right after "...") when the body returns; what follows the verdict
 * (other than FAILED's numbered assertion lines) comes from suite/test teardown, not from the
 * test, and is kept apart as {@link #outsideTests()}.
 *
 * A test passes only if CUnit said "passed" and its body printed no [SKIPPED]: libiscsi reports a
 * check it could not make as a CUnit pass with a [SKIPPED] line, and for this project an
 * unexercised feature is not a pass. CUnit's FAILED is a failure. A "[FAILED]" line under a CUnit
 * pass is not: libiscsi's command helpers print it whenever a status differs from the one they
 * were asked to expect, and some tests provoke exactly that on purpose (iSCSIdatasn sends broken
 * DataSNs with EXPECT_STATUS_GOOD and asserts the write failed); every real mismatch goes through
 * a CUnit assertion, which CUnit reports as FAILED.
 */
final class TestCuOutput {

    enum Verdict { PASSED, SKIPPED, FAILED, NO_VERDICT }

    /** One CUnit test and the lines its body and verdict printed (its reasons when it did not pass). */
    record TestOutcome(String name, Verdict verdict, List<String> lines) {}

    private static final Pattern TEST_START = Pattern.compile("^\\s*Test: (\\S+) \\.\\.\\.(.*)$");
    private static final Pattern SUITE_START = Pattern.compile("^Suite: (\\S+)\\s*$");
    private static final Pattern SUMMARY = Pattern.compile("^Run Summary:.*$");
    private static final Pattern ASSERTION_DETAIL = Pattern.compile("^\\s+\\d+\\. .*");

    private final List<String> outsideTests = new ArrayList<>();
    private final Map<String, TestOutcome> tests = new LinkedHashMap<>();
    private final boolean summaryPrinted;

    /** The test being read: its body lines until CUnit's verdict. */
    private String current;
    private List<String> body;
    private String cunitVerdict; // null until seen

    private TestCuOutput(String output) {
        boolean summary = false;
        for (String line : output.split("\\R")) {
            Matcher start = TEST_START.matcher(line);
            if (start.matches()) {
                finish();
                current = start.group(1);
                body = new ArrayList<>();
                cunitVerdict = null;
                consume(start.group(2));
            } else if (SUMMARY.matcher(line).matches()) {
                finish();
                summary = true;
            } else if (current != null) {
                consume(line);
            } else if (!summary && !SUITE_START.matcher(line).matches() && !line.isBlank()
                    && !line.contains("CUnit - A unit testing framework") && !line.contains("cunit.sourceforge")) {
                outsideTests.add(line.trim());
            }
        }
        finish(); // a crash mid-test leaves the last one without a verdict
        this.summaryPrinted = summary;
    }

    private void consume(String text) {
        if (cunitVerdict == null) {
            for (String verdict : new String[] {"passed", "FAILED"}) {
                if (text.startsWith(verdict)) {
                    cunitVerdict = verdict;
                    body.add(verdict);
                    note(text.substring(verdict.length()));
                    return;
                }
            }
            if (!text.isBlank()) {
                body.add(text.trim());
            }
        } else if (cunitVerdict.equals("FAILED") && ASSERTION_DETAIL.matcher(text).matches()) {
            body.add(text.trim());
        } else {
            note(text);
        }
    }

    private void note(String text) {
        if (!text.isBlank()) {
            outsideTests.add(text.trim());
        }
    }

    static TestCuOutput parse(String output) {
        return new TestCuOutput(output);
    }

    private void finish() {
        if (current != null) {
            tests.put(current, new TestOutcome(current, verdictOf(cunitVerdict, body), List.copyOf(body)));
            current = null;
        }
    }

    private static Verdict verdictOf(String cunitVerdict, List<String> body) {
        boolean skipped = body.stream().anyMatch(l -> l.contains("[SKIPPED]"));
        if ("FAILED".equals(cunitVerdict)) {
            return Verdict.FAILED;
        }
        if (cunitVerdict == null) {
            return Verdict.NO_VERDICT;
        }
        return skipped ? Verdict.SKIPPED : Verdict.PASSED;
    }

    Map<String, TestOutcome> tests() {
        return tests;
    }

    /** Lines printed outside any test body: libiscsi's probing of the LUN, teardown messages. */
    List<String> outsideTests() {
        return outsideTests;
    }

    /** False when the tool died before CUnit printed its run summary. */
    boolean summaryPrinted() {
        return summaryPrinted;
    }

    long count(Verdict verdict) {
        return tests.values().stream().filter(t -> t.verdict() == verdict).count();
    }
}
