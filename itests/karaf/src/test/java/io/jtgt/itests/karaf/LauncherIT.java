package io.jtgt.itests.karaf;

import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertFalse;
import static org.junit.Assert.assertTrue;
import static org.junit.Assert.fail;

import io.jtgt.itests.karaf.UnpackedDistribution.Result;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.List;
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
    private UnpackedDistribution dist;
    private Path work;
    private Path state;
    private Path jtgt;

    @Test
    public void daemonWithConfigRunsInItsOwnInstanceAndListFindsIt() throws Exception {
        dist = new UnpackedDistribution(Paths.get("target/launcher-it"));
        work = dist.work;
        state = dist.state;
        jtgt = dist.bin("jtgt");
        int port = Await.freePort();
        Path configDir = Files.createDirectories(work.resolve("configs"));
        Files.writeString(configDir.resolve("it.json"), gotgtJson(port), StandardCharsets.UTF_8);

        Result usage = run(work, jtgt.toString(), "frobnicate");
        assertEquals("usage error exit status: " + usage.output, 2, usage.exit);
        assertEquals("usage error is one line: " + usage.output, 1, usage.output.strip().lines().count());
        Result noDaemon = run(work, jtgt.toString(), "list");
        assertEquals("list without a running daemon fails: " + noDaemon.output, 1, noDaemon.exit);

        Path daemonLog = work.resolve("daemon.out");
        // --config relative to the caller's working directory
        Process daemon = dist.startDaemon(configDir, daemonLog, "--config", "it.json");
        try {
            String lun0 = "iscsi://127.0.0.1:" + port + "/" + TARGET + "/0";
            dist.awaitLogin(daemon, lun0, daemonLog);

            Result list = run(Paths.get("/"), jtgt.toString(), "list", "--config", configDir.resolve("it.json").toString());
            assertEquals("bin/jtgt list exit status: " + list.output, 0, list.exit);
            assertTrue(list.output, list.output.contains(TARGET));
            assertTrue(list.output, list.output.contains("ONLINE"));
            assertTrue(list.output, list.output.contains("127.0.0.1:" + port));
            assertFalse("the instance serves only its JSON: " + list.output, list.output.contains("io.jtgt:default"));

            assertInstanceIsolated();

            createTargetThroughTheLauncher(configDir.resolve("it.json"), port);
            // A clean stop: the restart below must find what create wrote, in etc/ only.
            dist.stop(daemon);
            daemon = dist.startDaemon(configDir, daemonLog, "--config", "it.json");
            dist.awaitLogin(daemon, "iscsi://127.0.0.1:" + port + "/" + CREATED + "/0", daemonLog);
            removeTargetThroughTheLauncher(configDir.resolve("it.json"));
        } finally {
            dist.stop(daemon);
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
        return dist.ok(command);
    }

    private Result run(Path directory, String... command) throws Exception {
        return dist.run(directory, command);
    }

    private Path instanceEtc() throws IOException {
        try (Stream<Path> children = Files.list(state)) {
            return children.filter(Files::isDirectory).filter(p -> !p.getFileName().toString().startsWith("."))
                    .findFirst().orElseThrow().resolve("etc");
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

    private String gotgtJson(int port) {
        return "{\"storages\":[{\"deviceID\":3000,\"path\":\"file:" + work.resolve("disk.img")
                + "\",\"online\":true,\"backendType\":\"file\",\"blockShift\":9,\"deviceSize\":67108864,"
                + "\"thinProvisioning\":true}],"
                + "\"iscsiportals\":[{\"id\":0,\"portal\":\"127.0.0.1:" + port + "\"}],"
                + "\"iscsitargets\":{\"" + TARGET + "\":{\"tpgts\":{\"1\":[0]},\"luns\":{\"0\":3000}}}}";
    }

}
