package io.jtgt.itests.karaf;

import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertFalse;
import static org.junit.Assert.assertTrue;
import static org.junit.Assert.fail;

import java.io.File;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import org.junit.Test;

/**
 * The user's entry point, {@code bin/jtgt}, on the unpacked distribution tar.gz: a daemon started
 * with a gotgt JSON file (relative path) runs in an instance of its own, serves a real initiator
 * on the JSON's portal, and {@code bin/jtgt list --config} from another directory finds it;
 * {@code bin/jtgt create} adds a storage, a target and a LUN that serve at once and are still served
 * after the daemon is stopped and started again; {@code bin/jtgt rm} removes them and their files.
 */
public class LauncherIT {

    private static final String TARGET = "iqn.2026-11.io.jtgt:launcher-it";
    /** Created and removed with bin/jtgt create/rm while the daemon runs. */
    private static final String CREATED = "iqn.2026-11.io.jtgt:launcher-created";
    private static final long START_TIMEOUT_MILLIS = 120_000;

    private final Path work = Paths.get("target/launcher-it").toAbsolutePath();
    private final Path state = work.resolve("state");
    private final Path jtgt = work.resolve("dist/bin/jtgt");

    @Test
    public void daemonWithConfigRunsInItsOwnInstanceAndListFindsIt() throws Exception {
        unpackDistribution();
        int port = freePort();
        Path configDir = Files.createDirectories(work.resolve("configs"));
        Files.writeString(configDir.resolve("it.json"), gotgtJson(port), StandardCharsets.UTF_8);

        Result usage = run(work, jtgt.toString(), "frobnicate");
        assertEquals("usage error exit status: " + usage.output, 2, usage.exit);
        assertEquals("usage error is one line: " + usage.output, 1, usage.output.strip().lines().count());
        Result noDaemon = run(work, jtgt.toString(), "list");
        assertEquals("list without a running daemon fails: " + noDaemon.output, 1, noDaemon.exit);

        Path daemonLog = work.resolve("daemon.out");
        ProcessBuilder builder = new ProcessBuilder(jtgt.toString(), "daemon", "--config", "it.json")
                .directory(configDir.toFile()) // relative to the caller's working directory
                .redirectErrorStream(true)
                .redirectOutput(daemonLog.toFile());
        environment(builder.environment());
        Process daemon = builder.start();
        try {
            String lun0 = "iscsi://127.0.0.1:" + port + "/" + TARGET + "/0";
            awaitLogin(daemon, lun0, daemonLog);

            Result list = run(Paths.get("/"), jtgt.toString(), "list", "--config", configDir.resolve("it.json").toString());
            assertEquals("bin/jtgt list exit status: " + list.output, 0, list.exit);
            assertTrue(list.output, list.output.contains(TARGET));
            assertTrue(list.output, list.output.contains("ONLINE"));
            assertTrue(list.output, list.output.contains("127.0.0.1:" + port));
            assertFalse("the instance serves only its JSON: " + list.output, list.output.contains("io.jtgt:default"));

            assertInstanceIsolated();

            createTargetThroughTheLauncher(configDir.resolve("it.json"), port);
            // A clean stop: the restart below must find what create wrote, in etc/ only.
            stop(daemon);
            daemon = builder.redirectOutput(ProcessBuilder.Redirect.appendTo(daemonLog.toFile())).start();
            awaitLogin(daemon, "iscsi://127.0.0.1:" + port + "/" + CREATED + "/0", daemonLog);
            removeTargetThroughTheLauncher(configDir.resolve("it.json"));
        } finally {
            stop(daemon);
        }
    }

    /**
     * {@code bin/jtgt create storage|target|lun} against the running instance: one-line errors with
     * exit status 1, the LUN served at once, the .cfg files in the instance's etc/.
     */
    private void createTargetThroughTheLauncher(Path config, int port) throws Exception {
        String cfg = config.toString();
        ok(jtgt.toString(), "create", "storage", "3001", work.resolve("created disk.img").toString(), "--size", "32M",
                "--thin", "--config", cfg);
        ok(jtgt.toString(), "create", "target", CREATED, "--config", cfg);
        Result badLun = run(work, jtgt.toString(), "create", "lun", CREATED, "x", "3001", "--config", cfg);
        assertEquals("a wrong LUN number fails: " + badLun.output, 1, badLun.exit);
        assertTrue(badLun.output, badLun.output.contains("LUN: 'x' is not a whole number"));
        assertEquals("the error is one line: " + badLun.output, 1, badLun.output.strip().lines().count());
        Result missing = run(work, jtgt.toString(), "create", "lun", CREATED, "0", "4242", "--config", cfg);
        assertEquals(missing.output, 1, missing.exit);
        assertTrue(missing.output, missing.output.contains("lun.0=4242 names no storage deviceID"));
        ok(jtgt.toString(), "create", "lun", CREATED, "0", "3001", "--config", cfg);

        String inquiry = run(work, "iscsi-inq", "iscsi://127.0.0.1:" + port + "/" + CREATED + "/0").output;
        assertTrue("the created LUN serves at once:\n" + inquiry, inquiry.contains("DIRECT_ACCESS"));
        Path etc = instanceEtc();
        String storage = Files.readString(etc.resolve("io.jtgt.storage-3001.cfg"));
        assertTrue(storage, storage.contains("deviceSize = 33554432"));
        String target = Files.readString(etc.resolve("io.jtgt.target-iqn.2026-11.io.jtgt_launcher-created.cfg"));
        assertTrue(target, target.contains("lun.0 = 3001"));
        assertTrue(target, target.contains("tpgt.1 = 0"));
    }

    private void removeTargetThroughTheLauncher(Path config) throws Exception {
        String cfg = config.toString();
        Result inUse = run(work, jtgt.toString(), "rm", "storage", "3001", "--config", cfg);
        assertEquals("a mapped storage is not removed: " + inUse.output, 1, inUse.exit);
        assertTrue(inUse.output, inUse.output.contains("is mapped to LUN 0 of " + CREATED));
        ok(jtgt.toString(), "rm", "target", CREATED, "--config", cfg);
        ok(jtgt.toString(), "rm", "storage", "3001", "--config", cfg);
        Result list = ok(jtgt.toString(), "list", "--config", cfg);
        assertFalse(list.output, list.output.contains(CREATED));
        assertTrue(list.output, list.output.contains(TARGET));
        try (Stream<Path> files = Files.list(instanceEtc())) {
            List<String> left = files.map(p -> p.getFileName().toString())
                    .filter(n -> n.contains("3001") || n.contains("launcher-created")).collect(Collectors.toList());
            assertTrue("rm deletes the .cfg files: " + left, left.isEmpty());
        }
    }

    private Result ok(String... command) throws Exception {
        Result result = run(work, command);
        assertEquals(String.join(" ", command) + ": " + result.output, 0, result.exit);
        return result;
    }

    private Path instanceEtc() throws IOException {
        try (Stream<Path> children = Files.list(state)) {
            return children.filter(Files::isDirectory).filter(p -> !p.getFileName().toString().startsWith("."))
                    .findFirst().orElseThrow().resolve("etc");
        }
    }

    /** SIGTERM to bin/jtgt, which is the Karaf JVM itself (it execs it); bounded wait. */
    private void stop(Process daemon) throws Exception {
        daemon.destroy();
        boolean stopped = daemon.waitFor(60, TimeUnit.SECONDS);
        if (!stopped) {
            daemon.destroyForcibly();
        }
        List<Long> leftovers = karafPids().stream().filter(pid -> ProcessHandle.of(pid).map(ProcessHandle::isAlive).orElse(false))
                .collect(Collectors.toList());
        leftovers.forEach(pid -> ProcessHandle.of(pid).ifPresent(ProcessHandle::destroyForcibly));
        assertTrue("daemon stopped within 60 s of SIGTERM", stopped);
        assertTrue("no Karaf JVM left running: " + leftovers, leftovers.isEmpty());
    }

    private List<Long> karafPids() throws IOException {
        if (!Files.isDirectory(state)) {
            return List.of();
        }
        try (Stream<Path> files = Files.walk(state, 2)) {
            return files.filter(p -> p.getFileName().toString().equals("karaf.pid")).map(p -> {
                try {
                    return Long.parseLong(Files.readString(p).strip());
                } catch (IOException | NumberFormatException e) {
                    return -1L;
                }
            }).filter(pid -> pid > 0).collect(Collectors.toList());
        }
    }

    /** Own etc/ without the default devices, SSH on loopback on a port of its own, private login. */
    private void assertInstanceIsolated() throws IOException {
        List<Path> instances;
        try (Stream<Path> children = Files.list(state)) {
            instances = children.filter(Files::isDirectory).filter(p -> !p.getFileName().toString().startsWith("."))
                    .collect(Collectors.toList());
        }
        assertEquals("one instance: " + instances, 1, instances.size());
        Path etc = instances.get(0).resolve("etc");
        try (Stream<Path> files = Files.list(etc)) {
            List<String> defaults = files.map(p -> p.getFileName().toString())
                    .filter(name -> name.startsWith("io.jtgt.") && name.endsWith("-default.cfg"))
                    .collect(Collectors.toList());
            assertTrue("no default storage/portal/target in the instance: " + defaults, defaults.isEmpty());
        }
        String shell = Files.readString(etc.resolve("org.apache.karaf.shell.cfg"));
        assertTrue(shell.lines().anyMatch(line -> line.matches("sshHost\\s*=\\s*127\\.0\\.0\\.1")));
        assertFalse("an SSH port of its own", shell.lines().anyMatch(line -> line.matches("sshPort\\s*=\\s*8101")));
        Path users = etc.resolve("users.properties");
        assertEquals("rw-------", PosixFilePermissions.toString(Files.getPosixFilePermissions(users)));
        // It holds Karaf's shutdown secret, fresh at each start.
        assertEquals("rw-------", PosixFilePermissions.toString(Files.getPosixFilePermissions(etc.resolve("config.properties"))));
        assertTrue("a generated login", Files.readString(users).lines().anyMatch(line -> line.matches("jtgt\\s*=\\s*[A-Za-z0-9]{32},.*")));
    }

    private void awaitLogin(Process daemon, String url, Path daemonLog) throws Exception {
        long deadline = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(START_TIMEOUT_MILLIS);
        Result last = null;
        while (System.nanoTime() < deadline) {
            if (!daemon.isAlive()) {
                fail("daemon exited with " + daemon.exitValue() + ":\n" + Files.readString(daemonLog));
            }
            last = run(work, "iscsi-inq", url);
            if (last.exit == 0) {
                assertTrue(last.output, last.output.contains("DIRECT_ACCESS"));
                return;
            }
            Thread.sleep(500);
        }
        fail("no login to " + url + " within " + START_TIMEOUT_MILLIS + " ms; last iscsi-inq: " + last.output);
    }

    private void unpackDistribution() throws Exception {
        if (Files.exists(work)) {
            try (Stream<Path> paths = Files.walk(work)) {
                paths.sorted(Comparator.reverseOrder()).map(Path::toFile).forEach(File::delete);
            }
        }
        Path dist = Files.createDirectories(work.resolve("dist"));
        Result untar = run(work, "tar", "-xzf", System.getProperty("jtgt.distribution"), "-C", dist.toString(),
                "--strip-components=1");
        assertEquals(untar.output, 0, untar.exit);
    }

    private String gotgtJson(int port) {
        return "{\"storages\":[{\"deviceID\":3000,\"path\":\"file:" + work.resolve("disk.img")
                + "\",\"online\":true,\"backendType\":\"file\",\"blockShift\":9,\"deviceSize\":67108864,"
                + "\"thinProvisioning\":true}],"
                + "\"iscsiportals\":[{\"id\":0,\"portal\":\"127.0.0.1:" + port + "\"}],"
                + "\"iscsitargets\":{\"" + TARGET + "\":{\"tpgts\":{\"1\":[0]},\"luns\":{\"0\":3000}}}}";
    }

    /** Instances under this test's folder; Karaf on the JDK running the test (17). */
    private void environment(Map<String, String> env) {
        env.put("JTGT_STATE_DIR", state.toString());
        env.put("JAVA_HOME", System.getProperty("java.home"));
    }

    private Result run(Path directory, String... command) throws Exception {
        ProcessBuilder builder = new ProcessBuilder(command).directory(directory.toFile()).redirectErrorStream(true);
        environment(builder.environment());
        Path output = Files.createTempFile(work, "out", ".txt");
        builder.redirectOutput(output.toFile());
        Process process = builder.start();
        if (!process.waitFor(60, TimeUnit.SECONDS)) {
            process.destroyForcibly();
            fail(String.join(" ", command) + " did not finish within 60 s");
        }
        Result result = new Result(process.exitValue(), Files.readString(output));
        Files.delete(output);
        return result;
    }

    private static int freePort() {
        try (ServerSocket socket = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            return socket.getLocalPort();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static final class Result {
        final int exit;
        final String output;

        Result(int exit, String output) {
            this.exit = exit;
            this.output = output;
        }
    }
}
