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
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * libiscsi's conformance suite against the embedded target, one {@code iscsi-test-cu} process per
 * suite. Every CUnit test must pass outright: [SKIPPED] (a feature the suite could not exercise),
 * [FAILED], a missing verdict (crash) and a timeout all fail the suite, and the assertion message
 * lists each such test with the lines it printed.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class IscsiTestCuIT {

    private static final Duration SUITE_TIMEOUT = Duration.ofSeconds(240);

    private EmbeddedTarget target;
    private List<String> listing;

    @BeforeAll
    void start() {
        // Thin-provisioned, so that the provisioning-dependent tests (Inquiry.BlockLimits ...) run.
        target = EmbeddedTarget.builder().lun(0, EmbeddedTarget.Lun.thin(256 * EmbeddedTarget.MIB)).start();
        ExternalCommand.Result list = ExternalCommand.run(Duration.ofSeconds(30), "iscsi-test-cu", "--list");
        listing = list.stdout().lines().map(String::trim).toList();
        assertTrue(listing.contains("ALL.Read10.Simple"), "unexpected iscsi-test-cu --list output:\n" + list.describe());
    }

    @AfterAll
    void stop() {
        if (target != null) {
            target.close();
        }
    }

    @ParameterizedTest(name = "ALL.{0}")
    @ValueSource(strings = {"Inquiry", "Mandatory", "ModeSense6", "Read6", "Read10", "Read12", "Read16",
        "ReadCapacity10", "ReadCapacity16", "TestUnitReady", "Write10", "Write12", "Write16"})
    void suite(String suite) {
        String family = "ALL." + suite;
        Set<String> expected = new LinkedHashSet<>();
        for (String entry : listing) {
            if (entry.startsWith(family + ".")) {
                expected.add(entry.substring(family.length() + 1));
            }
        }
        // -d: allow destructive (write) tests; -S: allow SANITIZE-opcode tests; -v: one line per test.
        ExternalCommand.Result run = ExternalCommand.run(SUITE_TIMEOUT, true,
                List.of("iscsi-test-cu", "-d", "-S", "-v", "--test=" + family, target.url(0)));
        TestCuOutput output = TestCuOutput.parse(run.stdout());

        List<String> problems = new ArrayList<>();
        for (TestOutcome test : output.tests().values()) {
            if (test.verdict() != Verdict.PASSED) {
                problems.add(family + "." + test.name() + ": " + test.verdict() + "\n      "
                        + String.join("\n      ", test.lines()));
            }
        }
        for (String name : expected) {
            if (!output.tests().containsKey(name)) {
                problems.add(family + "." + name + ": DID NOT RUN");
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
                output.count(Verdict.NO_VERDICT), expected.stream().filter(n -> !output.tests().containsKey(n)).count(),
                run.timedOut() ? ", TIMEOUT" : "", run.elapsed().toMillis());
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
