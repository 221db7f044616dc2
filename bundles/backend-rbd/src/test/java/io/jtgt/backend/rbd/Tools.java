package io.jtgt.backend.rbd;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/** Runs the real initiators (qemu-img, qemu-io, iscsi-*) with a time limit; the tool must exist. */
final class Tools {

    static final long TIMEOUT_SECONDS = 120;

    /** What a finished command printed (stdout and stderr together) and its exit status. */
    record Result(List<String> command, int exit, String output) {
        Result ok() {
            if (exit != 0) {
                throw new AssertionError(String.join(" ", command) + " exited " + exit + ":\n" + output);
            }
            return this;
        }
    }

    private Tools() {
    }

    /** Runs {@code command} to its end; fails the test if it does not end in time. */
    static Result run(Path dir, String... command) throws IOException, InterruptedException {
        Path out = Files.createTempFile(dir, "cmd", ".out");
        Process process = new ProcessBuilder(command).redirectErrorStream(true).redirectOutput(out.toFile())
                .redirectInput(ProcessBuilder.Redirect.from(new java.io.File("/dev/null"))).start();
        if (!process.waitFor(TIMEOUT_SECONDS, TimeUnit.SECONDS)) {
            process.destroyForcibly().waitFor(10, TimeUnit.SECONDS);
            throw new AssertionError(String.join(" ", command) + " did not end within " + TIMEOUT_SECONDS + " s:\n"
                    + Files.readString(out));
        }
        return new Result(List.of(command), process.exitValue(), Files.readString(out, StandardCharsets.UTF_8));
    }

    /** {@code qemu-io -f raw -c C1 -c C2 ... url}. */
    static Result qemuIo(Path dir, String url, String... commands) throws IOException, InterruptedException {
        List<String> argv = new ArrayList<>(List.of("qemu-io", "-f", "raw"));
        for (String c : commands) {
            argv.add("-c");
            argv.add(c);
        }
        argv.add(url);
        return run(dir, argv.toArray(String[]::new));
    }
}
