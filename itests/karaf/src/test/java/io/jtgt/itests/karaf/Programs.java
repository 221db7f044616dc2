package io.jtgt.itests.karaf;

import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertFalse;
import static org.junit.Assert.assertNotEquals;
import static org.junit.Assert.fail;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.TimeUnit;

/**
 * The external programs the tests run (libiscsi's tools, qemu): 30 s each at most, stdout and
 * stderr together. A missing program fails the test, never skips it.
 */
final class Programs {

    private static final long TIMEOUT_SECONDS = 30;

    /** What a finished program left: its exit status and output. */
    record Result(int exit, String output) {}

    private Programs() {}

    /** Runs {@code command}, whatever its exit status. */
    static Result attempt(String... command) {
        try {
            Process process = new ProcessBuilder(command).redirectErrorStream(true).start();
            process.getOutputStream().close();
            if (!process.waitFor(TIMEOUT_SECONDS, TimeUnit.SECONDS)) {
                process.destroyForcibly();
                fail(String.join(" ", command) + " did not finish within " + TIMEOUT_SECONDS + " s");
            }
            return new Result(process.exitValue(), new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8));
        } catch (IOException e) {
            throw new AssertionError(command[0] + " cannot run: " + e.getMessage(), e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new AssertionError(e);
        }
    }

    /** Runs {@code command}, which must exit 0 and print something; returns its output. */
    static String run(String... command) {
        Result result = attempt(command);
        assertEquals(String.join(" ", command) + " exit status; output:\n" + result.output(), 0, result.exit());
        assertFalse(String.join(" ", command) + " printed nothing", result.output().isEmpty());
        return result.output();
    }

    /** Runs {@code command}, which must fail (exit status not 0); returns its output. */
    static String runFailing(String... command) {
        Result result = attempt(command);
        assertNotEquals(String.join(" ", command) + " should fail; output:\n" + result.output(), 0, result.exit());
        return result.output();
    }
}
