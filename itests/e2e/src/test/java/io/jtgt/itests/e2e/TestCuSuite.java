package io.jtgt.itests.e2e;

import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import io.jtgt.itests.e2e.TestCuOutput.TestOutcome;
import io.jtgt.itests.e2e.TestCuOutput.Verdict;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.StandardOpenOption;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;

/**
 * Runs one libiscsi {@code iscsi-test-cu} suite as its own process and judges it: every CUnit
 * test of the suite (as {@code --list} names them) must pass outright. [SKIPPED], [FAILED], a
 * missing verdict (crash), a test that did not run and a timeout all fail; the assertion message
 * lists each such test with the lines it printed. Prints (and appends to
 * {@code e2e-logs/iscsi-test-cu-summary.txt}) one summary line per suite.
 */
final class TestCuSuite {

    static final Duration SUITE_TIMEOUT = Duration.ofSeconds(240);

    private final List<String> listing;

    private TestCuSuite(List<String> listing) {
        this.listing = listing;
    }

    /** Reads the tool's test list once; fails if the tool is missing or lists nothing sensible. */
    static TestCuSuite load() {
        ExternalCommand.Result list = ExternalCommand.run(Duration.ofSeconds(30), "iscsi-test-cu", "--list");
        List<String> names = list.stdout().lines().map(String::trim).toList();
        assertTrue(names.contains("ALL.Read10.Simple"), () -> "unexpected iscsi-test-cu --list output:\n" + list.describe());
        return new TestCuSuite(names);
    }

    /** @param suite e.g. {@code Read10}, run as {@code ALL.Read10} */
    void assertPasses(String suite, String url) {
        String family = "ALL." + suite;
        Set<String> expected = new LinkedHashSet<>();
        for (String entry : listing) {
            if (entry.startsWith(family + ".")) {
                expected.add(entry.substring(family.length() + 1));
            }
        }
        // -d: allow destructive (write) tests; -S: allow SANITIZE-opcode tests; -v: one line per test.
        ExternalCommand.Result run = ExternalCommand.run(SUITE_TIMEOUT, true,
                List.of("iscsi-test-cu", "-d", "-S", "-v", "--test=" + family, url));
        TestCuOutput output = TestCuOutput.parse(run.stdout());

        List<String> problems = new ArrayList<>();
        for (TestOutcome test : output.tests().values()) {
            if (test.verdict() != Verdict.PASSED) {
                problems.add(family + "." + test.name() + ": " + test.verdict() + "\n      "
                        + String.join("\n      ", test.lines()));
            }
        }
        long notRun = 0;
        for (String name : expected) {
            if (!output.tests().containsKey(name)) {
                problems.add(family + "." + name + ": DID NOT RUN");
                notRun++;
            }
        }
        if (run.timedOut()) {
            problems.add(family + ": TIMEOUT after " + SUITE_TIMEOUT.toSeconds() + " s");
        } else if (!output.summaryPrinted()) {
            problems.add(family + ": iscsi-test-cu ended (exit " + run.exitCode() + ") without a run summary");
        }
        if (output.tests().isEmpty() && expected.isEmpty()) {
            problems.add(family + ": no such suite in iscsi-test-cu --list");
        }

        String summary = String.format("iscsi-test-cu %-20s %2d tests: %2d passed, %d skipped, %d failed, %d no verdict,"
                + " %d did not run%s (%d ms)", family, Math.max(expected.size(), output.tests().size()),
                output.count(Verdict.PASSED), output.count(Verdict.SKIPPED), output.count(Verdict.FAILED),
                output.count(Verdict.NO_VERDICT), notRun, run.timedOut() ? ", TIMEOUT" : "", run.elapsed().toMillis());
        System.out.println(summary);
        appendSummary(summary);
        if (!problems.isEmpty()) {
            fail(summary + "\nNot passing:\n  " + String.join("\n  ", problems)
                    + (output.outsideTests().isEmpty() ? "" : "\nOutside the tests (setup/teardown):\n  "
                            + String.join("\n  ", output.outsideTests()))
                    + "\nFull log: " + run.log());
        }
    }

    private static void appendSummary(String line) {
        try {
            Files.writeString(E2eDirs.logDir().resolve("iscsi-test-cu-summary.txt"), line + System.lineSeparator(),
                    StandardOpenOption.CREATE, StandardOpenOption.APPEND);
        } catch (IOException e) {
            System.err.println("cannot record summary: " + e);
        }
    }
}
