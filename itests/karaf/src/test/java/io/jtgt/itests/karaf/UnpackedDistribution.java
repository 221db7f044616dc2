package io.jtgt.itests.karaf;

import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertTrue;
import static org.junit.Assert.fail;

import java.io.File;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;
import java.util.stream.Stream;

/**
 * The distribution tar.gz unpacked into a work folder of a host-side test, with what such a test
 * needs around it: external commands with time limits (in that folder's environment), a daemon
 * stopped the way an operator stops it, and no Karaf JVM left behind.
 */
final class UnpackedDistribution {

    /** The outcome of an external command. */
    static final class Result {
        final int exit;
        final String output;

        Result(int exit, String output) {
            this.exit = exit;
            this.output = output;
        }
    }

    final Path work;
    final Path home;
    /** Where --config instances live ({@code JTGT_STATE_DIR}). */
    final Path state;

    /** Unpacks the distribution under test into {@code work/dist}, replacing whatever was there. */
    UnpackedDistribution(Path work) throws Exception {
        this.work = work.toAbsolutePath();
        this.home = this.work.resolve("dist");
        this.state = this.work.resolve("state");
        if (Files.exists(this.work)) {
            try (Stream<Path> paths = Files.walk(this.work)) {
                paths.sorted(Comparator.reverseOrder()).map(Path::toFile).forEach(File::delete);
            }
        }
        Files.createDirectories(home);
        Result untar = run(this.work, "tar", "-xzf", System.getProperty("jtgt.distribution"), "-C", home.toString(),
                "--strip-components=1");
        assertEquals(untar.output, 0, untar.exit);
    }

    Path bin(String script) {
        return home.resolve("bin").resolve(script);
    }

    /** Instances under the work folder; Karaf on the JDK running the test (17). */
    void environment(Map<String, String> env) {
        env.put("JTGT_STATE_DIR", state.toString());
        env.put("JAVA_HOME", System.getProperty("java.home"));
    }

    /** Runs a command in {@code directory} with a 60 s limit, its stdin empty. */
    Result run(Path directory, String... command) throws Exception {
        return runWithInput(directory, "", Map.of(), command);
    }

    /**
     * Runs Karaf shell command lines in the daemon of this distribution, as {@code bin/jtgt} does it:
     * {@code bin/client} on stdin, logged in as the first user of etc/users.properties (the one
     * {@code bin/jtgt daemon} generated), its known hosts kept in the work folder. They must all succeed.
     */
    String shell(int sshPort, String... lines) throws Exception {
        Result result = runWithInput(work, String.join("\n", lines) + "\n",
                Map.of("KARAF_OPTS", "-Duser.home=" + work.resolve("client-home")), bin("client").toString(),
                "-h", "127.0.0.1", "-a", String.valueOf(sshPort), "-r", "3", "-b");
        assertEquals(String.join("; ", lines) + ": " + result.output, 0, result.exit);
        return result.output;
    }

    /** Runs a command in {@code directory} with a 60 s limit, {@code input} on its stdin. */
    Result runWithInput(Path directory, String input, Map<String, String> env, String... command) throws Exception {
        ProcessBuilder builder = new ProcessBuilder(command).directory(directory.toFile()).redirectErrorStream(true);
        environment(builder.environment());
        builder.environment().putAll(env);
        Path output = Files.createTempFile(work, "out", ".txt");
        builder.redirectOutput(output.toFile());
        Process process = builder.start();
        process.getOutputStream().write(input.getBytes(StandardCharsets.UTF_8));
        process.getOutputStream().close();
        if (!process.waitFor(60, TimeUnit.SECONDS)) {
            process.destroyForcibly();
            fail(String.join(" ", command) + " did not finish within 60 s");
        }
        Result result = new Result(process.exitValue(), Files.readString(output));
        Files.delete(output);
        return result;
    }

    /** Runs a command in the work folder that must exit 0. */
    Result ok(String... command) throws Exception {
        Result result = run(work, command);
        assertEquals(String.join(" ", command) + ": " + result.output, 0, result.exit);
        return result;
    }

    /** Runs a command in the work folder that must fail; returns its output. */
    String failing(String... command) throws Exception {
        Result result = run(work, command);
        assertTrue(String.join(" ", command) + " should fail: " + result.output, result.exit != 0);
        return result.output;
    }

    /** Starts {@code bin/jtgt daemon} with these arguments, its output appended to {@code log}. */
    Process startDaemon(Path directory, Path log, String... arguments) throws IOException {
        String[] command = Stream.concat(Stream.of(bin("jtgt").toString(), "daemon"), Stream.of(arguments))
                .toArray(String[]::new);
        ProcessBuilder builder = new ProcessBuilder(command).directory(directory.toFile()).redirectErrorStream(true)
                .redirectOutput(ProcessBuilder.Redirect.appendTo(log.toFile()));
        environment(builder.environment());
        return builder.start();
    }

    /** Waits (bounded) until {@code iscsi-inq} logs in to {@code url} and sees a disk. */
    void awaitLogin(Process daemon, String url, Path log) throws Exception {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(120);
        Result last = null;
        while (System.nanoTime() < deadline) {
            if (!daemon.isAlive()) {
                fail("daemon exited with " + daemon.exitValue() + ":\n" + Files.readString(log));
            }
            last = run(work, "iscsi-inq", url);
            if (last.exit == 0) {
                assertTrue(last.output, last.output.contains("DIRECT_ACCESS"));
                return;
            }
            Thread.sleep(500);
        }
        fail("no login to " + url + " within 120 s; last iscsi-inq: " + last.output);
    }

    /** SIGTERM to bin/jtgt, which is the Karaf JVM itself (it execs it); bounded wait; nothing left. */
    void stop(Process daemon) throws Exception {
        daemon.destroy();
        boolean stopped = daemon.waitFor(60, TimeUnit.SECONDS);
        if (!stopped) {
            daemon.destroyForcibly();
        }
        List<Long> leftovers = karafPids().stream()
                .filter(pid -> ProcessHandle.of(pid).map(ProcessHandle::isAlive).orElse(false))
                .collect(Collectors.toList());
        leftovers.forEach(pid -> ProcessHandle.of(pid).ifPresent(ProcessHandle::destroyForcibly));
        assertTrue("daemon stopped within 60 s of SIGTERM", stopped);
        assertTrue("no Karaf JVM left running: " + leftovers, leftovers.isEmpty());
    }

    /** The pids in every karaf.pid of the distribution and its instances. */
    private List<Long> karafPids() throws IOException {
        try (Stream<Path> files = Stream.concat(Stream.of(home.resolve("karaf.pid")),
                Files.isDirectory(state) ? Files.walk(state, 2) : Stream.empty())) {
            return files.filter(p -> p.getFileName().toString().equals("karaf.pid") && Files.isRegularFile(p))
                    .map(p -> {
                        try {
                            return Long.parseLong(Files.readString(p).strip());
                        } catch (IOException | NumberFormatException e) {
                            return -1L;
                        }
                    }).filter(pid -> pid > 0).collect(Collectors.toList());
        }
    }
}
