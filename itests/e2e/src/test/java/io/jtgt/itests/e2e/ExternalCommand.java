package io.jtgt.itests.e2e;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.fail;

import java.io.File;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * Runs an initiator tool as a child process with a hard time limit. Output goes to files under
 * {@code target/e2e-logs} (kept for post-mortems, and no pipe can fill up and stall the child).
 *
 * <p>A tool that is not installed FAILS the test, loudly: a green run must mean the initiators
 * really ran. {@code scripts/install-test-deps.sh} installs them.
 */
final class ExternalCommand {

    /** Debian package of each tool, for the failure message. */
    private static final Map<String, String> PACKAGES = Map.of(
            "iscsi-ls", "libiscsi-bin",
            "iscsi-inq", "libiscsi-bin",
            "iscsi-readcapacity16", "libiscsi-bin",
            "iscsi-test-cu", "libiscsi-bin",
            "qemu-io", "qemu-utils + qemu-block-extra",
            "qemu-img", "qemu-utils + qemu-block-extra");

    private static final AtomicInteger SEQUENCE = new AtomicInteger();

    /** What a finished (or killed) command left behind. */
    record Result(List<String> command, int exitCode, boolean timedOut, Duration elapsed, String stdout,
            String stderr, Path log) {

        /** stdout then stderr, for assertions that do not care which stream said it. */
        String output() {
            return stdout + stderr;
        }

        /** A description for assertion messages: command, exit, time and the output. */
        String describe() {
            return String.join(" ", command) + "\n  exit=" + (timedOut ? "TIMEOUT" : exitCode)
                    + " after " + elapsed.toMillis() + " ms (log " + log + ")\n--- stdout ---\n" + stdout
                    + "--- stderr ---\n" + stderr;
        }
    }

    private ExternalCommand() {}

    /** Runs {@code command} and fails the test, with its output, unless it exits 0. */
    static Result ok(Duration timeout, String... command) {
        Result result = run(timeout, command);
        assertEquals(0, result.exitCode(), () -> "command failed:\n" + result.describe());
        return result;
    }

    /** Runs {@code command}; never returns for a missing tool (fails the test instead). */
    static Result run(Duration timeout, List<String> command) {
        return run(timeout, false, command);
    }

    static Result run(Duration timeout, String... command) {
        return run(timeout, false, List.of(command));
    }

    /**
     * @param mergeStderr interleave stderr into stdout in the order written (tools that report
     *     progress on one stream and failures on the other read better that way)
     */
    static Result run(Duration timeout, boolean mergeStderr, List<String> command) {
        requireTool(command.get(0));
        Path logDir = E2eDirs.logDir();
        String base = String.format("%03d-%s", SEQUENCE.incrementAndGet(),
                command.get(0).replaceAll("[^A-Za-z0-9_.-]", "_"));
        Path out = logDir.resolve(base + ".out");
        Path err = logDir.resolve(base + ".err");
        ProcessBuilder builder = new ProcessBuilder(command).redirectInput(ProcessBuilder.Redirect.from(devNull()))
                .redirectOutput(out.toFile());
        if (mergeStderr) {
            builder.redirectErrorStream(true);
        } else {
            builder.redirectError(err.toFile());
        }
        long start = System.nanoTime();
        Process process;
        try {
            process = builder.start();
        } catch (IOException e) {
            throw new UncheckedIOException("cannot start " + command, e);
        }
        boolean finished;
        try {
            finished = process.waitFor(timeout.toMillis(), TimeUnit.MILLISECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            finished = false;
        }
        if (!finished) {
            process.descendants().forEach(ProcessHandle::destroyForcibly);
            process.destroyForcibly();
            try {
                process.waitFor(10, TimeUnit.SECONDS);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
        Duration elapsed = Duration.ofNanos(System.nanoTime() - start);
        String stdout = read(out);
        String stderr = mergeStderr ? "" : read(err);
        Path log = logDir.resolve(base + ".log");
        write(log, String.join(" ", command) + "\nexit=" + (finished ? process.exitValue() : "TIMEOUT after " + timeout)
                + "\n--- stdout ---\n" + stdout + "--- stderr ---\n" + stderr);
        return new Result(List.copyOf(command), finished ? process.exitValue() : -1, !finished, elapsed, stdout,
                stderr, log);
    }

    /** Fails the test unless {@code tool} is an executable on the PATH. */
    static void requireTool(String tool) {
        String path = System.getenv().getOrDefault("PATH", "");
        List<String> searched = new ArrayList<>();
        for (String dir : path.split(File.pathSeparator)) {
            if (dir.isEmpty()) {
                continue;
            }
            searched.add(dir);
            if (Files.isExecutable(Path.of(dir, tool))) {
                return;
            }
        }
        fail("Required initiator tool '" + tool + "' is not installed (Debian package "
                + PACKAGES.getOrDefault(tool, "?") + "). Run scripts/install-test-deps.sh. Searched PATH: " + searched);
    }

    private static File devNull() {
        return new File("/dev/null");
    }

    private static String read(Path file) {
        try {
            return Files.exists(file) ? Files.readString(file, StandardCharsets.UTF_8) : "";
        } catch (IOException e) {
            // binary noise from a tool must not hide its verdict
            try {
                return new String(Files.readAllBytes(file), StandardCharsets.ISO_8859_1);
            } catch (IOException again) {
                throw new UncheckedIOException(again);
            }
        }
    }

    private static void write(Path file, String text) {
        try {
            Files.writeString(file, text, StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
