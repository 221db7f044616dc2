package io.jtgt.itests.e2e;

import io.jtgt.itests.e2e.ConformanceResult.Verdict;
import io.jtgt.itests.e2e.TestCuOutput.TestOutcome;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Runs one libiscsi suite ({@code ALL.<suite>}) as its own {@code iscsi-test-cu} process against a
 * fresh target serving the suite's {@link LunProfile}, and turns its output into one
 * {@link ConformanceResult} per test the suite lists. A fresh target per suite keeps verdicts
 * independent of the order suites run in (reservations, SWP, PREVENT state, a wedged session do
 * not leak into the next suite), and the time limit keeps a hang to one suite.
 */
final class ConformanceSuiteRun {

    private static final Pattern ASSERTION = Pattern.compile("^\\d+\\. (\\S+:\\d+)\\s+-\\s+(.*)$");
    private static final int MAX_REASON = 220;

    /**
     * @param profileProblem set when the target did not serve the profile as configured
     */
    record Outcome(String suite, LunProfile profile, List<ConformanceResult> results, Duration elapsed,
            boolean timedOut, Optional<String> profileProblem, String log) {

        long count(Verdict verdict) {
            return results.stream().filter(r -> r.verdict() == verdict).count();
        }

        String summary() {
            return String.format("conformance ALL.%-24s %-11s %2d tests: %2d passed, %d failed, %d skipped, %d timeout"
                    + " (%d ms)", suite, profile, results.size(), count(Verdict.PASSED), count(Verdict.FAILED),
                    count(Verdict.SKIPPED), count(Verdict.TIMEOUT), elapsed.toMillis());
        }
    }

    private ConformanceSuiteRun() {}

    /** @param tests the suite's tests, in {@code iscsi-test-cu --list} order */
    /** @param limit this suite's time limit: the profile's, or less when the run's budget is nearly spent */
    static Outcome run(String suite, List<String> tests, LunProfile profile, Duration limit) {
        if (limit.isZero() || limit.isNegative()) {
            List<ConformanceResult> results = tests.stream().map(t -> new ConformanceResult(suite, t, Verdict.TIMEOUT,
                    "not run: the conformance run's time budget was spent (earlier suites hung)")).toList();
            return new Outcome(suite, profile, results, Duration.ZERO, true, Optional.empty(), "(not run)");
        }
        EmbeddedTarget started;
        try {
            started = profile.start();
        } catch (RuntimeException e) {
            // e.g. a storage property the target rejects: every test of the suite fails, the run goes on.
            String why = clip("LUN profile " + profile + " did not start: " + e);
            List<ConformanceResult> results = tests.stream()
                    .map(t -> new ConformanceResult(suite, t, Verdict.FAILED, why)).toList();
            return new Outcome(suite, profile, results, Duration.ZERO, false, Optional.of(why), "(not run)");
        }
        try (EmbeddedTarget target = started) {
            Optional<String> profileProblem = profile.notInEffect(target);
            List<String> command = new ArrayList<>(List.of("iscsi-test-cu", "-d", "-S", "-v", "--test=ALL." + suite));
            command.addAll(profile.urls(target));
            ExternalCommand.Result run = ExternalCommand.run(limit, true, command);
            List<ConformanceResult> results = judge(suite, tests, TestCuOutput.parse(run.stdout()), run, limit);
            return new Outcome(suite, profile, results, run.elapsed(), run.timedOut(), profileProblem,
                    run.log().toString());
        }
    }

    /** One verdict per listed test (plus any the tool ran that the listing lacks). */
    static List<ConformanceResult> judge(String suite, List<String> tests, TestCuOutput output,
            ExternalCommand.Result run, Duration limit) {
        Map<String, ConformanceResult> results = new LinkedHashMap<>();
        for (String test : tests) {
            TestOutcome outcome = output.tests().get(test);
            results.put(test, outcome == null ? notRun(suite, test, output, run, limit) : judge(suite, outcome, run, limit));
        }
        for (TestOutcome outcome : output.tests().values()) {
            results.putIfAbsent(outcome.name(), judge(suite, outcome, run, limit));
        }
        return List.copyOf(results.values());
    }

    private static ConformanceResult judge(String suite, TestOutcome outcome, ExternalCommand.Result run,
            Duration limit) {
        String test = outcome.name();
        return switch (outcome.verdict()) {
            case PASSED -> new ConformanceResult(suite, test, Verdict.PASSED, "");
            case SKIPPED -> new ConformanceResult(suite, test, Verdict.SKIPPED, firstTagged(outcome.lines(), "[SKIPPED]"));
            case FAILED -> new ConformanceResult(suite, test, Verdict.FAILED, failureReason(outcome.lines()));
            case NO_VERDICT -> run.timedOut()
                    ? new ConformanceResult(suite, test, Verdict.TIMEOUT, "suite hung in this test: killed after "
                            + limit.toSeconds() + " s")
                    : new ConformanceResult(suite, test, Verdict.FAILED, "iscsi-test-cu died in this test (exit "
                            + run.exitCode() + ")");
        };
    }

    private static ConformanceResult notRun(String suite, String test, TestCuOutput output, ExternalCommand.Result run,
            Duration limit) {
        if (run.timedOut()) {
            return new ConformanceResult(suite, test, Verdict.TIMEOUT, "not reached: suite killed after "
                    + limit.toSeconds() + " s");
        }
        String why = output.outsideTests().stream().filter(l -> !l.contains("[SKIPPED]")).findFirst()
                .orElse("exit " + run.exitCode());
        return new ConformanceResult(suite, test, Verdict.FAILED, clip("did not run: " + why));
    }

    /** "file.c:LINE ASSERTION; [FAILED] message" from CUnit's detail and libiscsi's log. */
    private static String failureReason(List<String> lines) {
        List<String> parts = new ArrayList<>();
        for (String line : lines) {
            Matcher m = ASSERTION.matcher(line);
            if (m.matches()) {
                parts.add(m.group(1) + " " + m.group(2));
                break;
            }
        }
        String tagged = firstTagged(lines, "[FAILED]");
        if (!tagged.isEmpty()) {
            parts.add(tagged);
        }
        return parts.isEmpty() ? "CUnit FAILED" : clip(String.join("; ", parts));
    }

    private static String firstTagged(List<String> lines, String tag) {
        for (String line : lines) {
            int at = line.indexOf(tag);
            if (at >= 0) {
                return clip(line.substring(at).trim());
            }
        }
        return "";
    }

    private static String clip(String text) {
        String one = text.replaceAll("\\s+", " ").trim();
        return one.length() <= MAX_REASON ? one : one.substring(0, MAX_REASON - 3) + "...";
    }
}
