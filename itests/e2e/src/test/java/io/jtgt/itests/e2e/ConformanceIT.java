package io.jtgt.itests.e2e;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.fail;

import io.jtgt.itests.e2e.ConformanceResult.Verdict;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/**
 * The conformance run of issue 3: every test under libiscsi's {@code ALL} family, one
 * {@code iscsi-test-cu} process per suite ({@link ConformanceSuiteRun}) on the LUN the suite needs
 * ({@link ConformanceSuites}), suites one after the other (the whole run takes ~2.5 minutes, most of
 * it in suites that sleep on purpose, and some suites time their own waits, which concurrent load
 * would disturb).
 *
 * <p>Writes the per-test table to {@code docs/conformance.md} ({@link ConformanceTable}) and fails
 * the build when
 * <ul>
 *   <li>a test PASSED in the committed table (git HEAD's version, else the file as it was before
 *       this run) is no longer PASSED: a regression;</li>
 *   <li>a suite of issue 2 ({@link ConformanceSuites#REQUIRED}) has any test not PASSED;</li>
 *   <li>a LUN profile is not served as configured (e.g. {@code readOnly=true} ignored).</li>
 * </ul>
 * Tests that do not pass are otherwise listed, not fatal: the table tracks them.
 */
class ConformanceIT {

    private static final Duration LIST_TIMEOUT = Duration.ofSeconds(30);
    /**
     * The whole run must fit in 10 minutes on 2 cores (it takes ~2.5 min, 90 s of it Sanitize):
     * when hung suites have spent this budget, the remaining suites get only what is left, then
     * none (their tests: TIMEOUT).
     */
    private static final Duration RUN_BUDGET = Duration.ofMinutes(9);

    @Test
    void allSuites() {
        Path table = tablePath();
        Baseline baseline = Baseline.load(table);
        Map<String, List<String>> suites = listSuites();
        Set<String> only = selectedSuites();
        if (!only.isEmpty()) {
            suites.keySet().retainAll(only);
            assertFalse(suites.isEmpty(), () -> "-Dconformance.suites=" + only + " names no suite of iscsi-test-cu --list");
        }
        long start = System.nanoTime();

        List<ConformanceSuiteRun.Outcome> outcomes = new ArrayList<>();
        for (Map.Entry<String, List<String>> suite : suites.entrySet()) {
            LunProfile profile = ConformanceSuites.profile(suite.getKey());
            Duration left = RUN_BUDGET.minus(Duration.ofNanos(System.nanoTime() - start));
            Duration limit = left.compareTo(profile.suiteTimeout()) < 0 ? left : profile.suiteTimeout();
            ConformanceSuiteRun.Outcome outcome = ConformanceSuiteRun.run(suite.getKey(), suite.getValue(), profile,
                    limit);
            System.out.println(outcome.summary());
            outcomes.add(outcome);
        }
        Duration runTime = Duration.ofNanos(System.nanoTime() - start);

        if (only.isEmpty()) {
            write(table, ConformanceTable.render(outcomes, libiscsiVersion()));
        } else {
            System.out.println("Conformance: only " + suites.keySet() + " (-Dconformance.suites): " + table + " not rewritten");
        }
        List<ConformanceResult> all = outcomes.stream().flatMap(o -> o.results().stream()).toList();
        Map<Verdict, Long> counts = new EnumMap<>(Verdict.class);
        for (Verdict v : Verdict.values()) {
            counts.put(v, ConformanceTable.count(all, v));
        }

        List<String> problems = problems(outcomes, all, baseline, !only.isEmpty());

        System.out.println("Not passing:");
        all.stream().filter(r -> r.verdict() != Verdict.PASSED)
                .forEach(r -> System.out.println("  " + r.verdict() + " ALL." + r.key() + ": " + r.reason()));
        System.out.printf("Conformance table: %s (baseline: %s, %d tests)%n", table, baseline.source(),
                baseline.verdicts().size());
        System.out.printf("Conformance run time: %d s for %d suites, %d tests%n", runTime.toSeconds(), outcomes.size(),
                all.size());
        System.out.printf("Conformance: %d passed, %d failed, %d skipped, %d timed out%n", counts.get(Verdict.PASSED),
                counts.get(Verdict.FAILED), counts.get(Verdict.SKIPPED), counts.get(Verdict.TIMEOUT));
        if (!problems.isEmpty()) {
            fail(problems.size() + " conformance problem(s):\n  " + String.join("\n  ", problems));
        }
    }

    /**
     * What fails the build: a profile not in effect, a required suite not passing in full, a test
     * that PASSED in the baseline and no longer does (or is no longer listed, unless only some
     * suites ran).
     */
    private static List<String> problems(List<ConformanceSuiteRun.Outcome> outcomes, List<ConformanceResult> all,
            Baseline baseline, boolean partial) {
        List<String> problems = new ArrayList<>();
        for (ConformanceSuiteRun.Outcome o : outcomes) {
            o.profileProblem().ifPresent(p -> problems.add("LUN profile " + o.profile() + " for ALL." + o.suite()
                    + " is not in effect: " + p));
        }
        for (ConformanceResult r : all) {
            if (ConformanceSuites.REQUIRED.contains(r.suite()) && r.verdict() != Verdict.PASSED) {
                problems.add("required (issue 2) ALL." + r.key() + " is " + r.verdict() + ": " + r.reason());
            }
            if (baseline.verdicts().get(r.key()) == Verdict.PASSED && r.verdict() != Verdict.PASSED) {
                problems.add("REGRESSION ALL." + r.key() + " PASSED in " + baseline.source() + ", now " + r.verdict()
                        + ": " + r.reason());
            }
        }
        if (!partial) {
            for (Map.Entry<String, Verdict> was : baseline.verdicts().entrySet()) {
                boolean stillListed = all.stream().anyMatch(r -> r.key().equals(was.getKey()));
                if (was.getValue() == Verdict.PASSED && !stillListed) {
                    problems.add("REGRESSION ALL." + was.getKey() + " PASSED in " + baseline.source()
                            + ", but this iscsi-test-cu no longer lists it");
                }
            }
        }
        return problems;
    }

    /** {@code -Dconformance.suites=Sanitize,Reserve6}: run only these (for development; the table is left alone). */
    private static Set<String> selectedSuites() {
        String list = System.getProperty("conformance.suites", "").trim();
        return list.isEmpty() ? Set.of() : Set.of(list.split("\\s*,\\s*"));
    }

    /** {@code ALL.<Suite>} → its tests, in listing order. */
    private static Map<String, List<String>> listSuites() {
        ExternalCommand.Result list = ExternalCommand.run(LIST_TIMEOUT, "iscsi-test-cu", "--list");
        Map<String, List<String>> suites = new LinkedHashMap<>();
        for (String line : list.stdout().lines().map(String::trim).toList()) {
            String[] parts = line.split("\\.");
            if (parts.length == 3 && parts[0].equals("ALL")) {
                suites.computeIfAbsent(parts[1], s -> new ArrayList<>()).add(parts[2]);
            }
        }
        assertFalse(suites.isEmpty() || !suites.containsKey("Read10"),
                () -> "unexpected iscsi-test-cu --list output:\n" + list.describe());
        return suites;
    }

    /** From the pom ({@code conformance.table}); else docs/conformance.md of the enclosing git checkout. */
    private static Path tablePath() {
        String configured = System.getProperty("conformance.table");
        if (configured != null) {
            return Path.of(configured).toAbsolutePath().normalize();
        }
        for (Path dir = Path.of("").toAbsolutePath(); dir != null; dir = dir.getParent()) {
            if (Files.isDirectory(dir.resolve(".git"))) {
                return dir.resolve("docs/conformance.md");
            }
        }
        throw new IllegalStateException("set -Dconformance.table=<repo>/docs/conformance.md");
    }

    private static String libiscsiVersion() {
        return run(List.of("dpkg-query", "-W", "-f=${Version}", "libiscsi-bin"), Path.of("/")).orElse("(version unknown)");
    }

    private static void write(Path file, String text) {
        try {
            Files.createDirectories(file.getParent());
            Files.writeString(file, text, StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** stdout of a short helper command, empty when it is missing or fails. */
    private static Optional<String> run(List<String> command, Path dir) {
        try {
            Process p = new ProcessBuilder(command).directory(dir.toFile())
                    .redirectError(ProcessBuilder.Redirect.DISCARD).start();
            byte[] out = p.getInputStream().readAllBytes();
            if (!p.waitFor(30, TimeUnit.SECONDS)) {
                p.destroyForcibly();
                return Optional.empty();
            }
            return p.exitValue() == 0 ? Optional.of(new String(out, StandardCharsets.UTF_8)) : Optional.empty();
        } catch (IOException e) {
            return Optional.empty();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return Optional.empty();
        }
    }

    /** The verdicts a regression is judged against, and where they came from. */
    private record Baseline(Map<String, Verdict> verdicts, String source) {

        /** git HEAD's table when the checkout has one; else the file as this run found it. */
        static Baseline load(Path table) {
            Path dir = table.getParent();
            if (Files.isDirectory(dir)) {
                Optional<String> committed = run(List.of("git", "show", "HEAD:./" + table.getFileName()), dir);
                if (committed.isPresent()) {
                    return new Baseline(ConformanceTable.read(committed.get()), "git HEAD:docs/" + table.getFileName());
                }
            }
            if (Files.exists(table)) {
                try {
                    return new Baseline(ConformanceTable.read(Files.readString(table)), table + " (not in git)");
                } catch (IOException e) {
                    throw new UncheckedIOException(e);
                }
            }
            return new Baseline(Map.of(), "no committed table yet");
        }
    }
}
