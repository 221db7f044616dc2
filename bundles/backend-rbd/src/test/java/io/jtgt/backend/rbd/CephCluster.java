package io.jtgt.backend.rbd;

import java.io.IOException;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.extension.BeforeAllCallback;
import org.junit.jupiter.api.extension.ExtensionContext;
import org.junit.jupiter.api.extension.ExtensionContext.Namespace;
import org.junit.jupiter.api.extension.ParameterContext;
import org.junit.jupiter.api.extension.ParameterResolver;

/**
 * JUnit 5 extension: a real single-node Ceph cluster with a memstore OSD started once per test
 * run with {@code scripts/ceph-cluster.sh start} (monitor on free loopback ports, state in
 * target/ceph) and stopped with {@code stop} when the run ends. Tests receive it as a parameter.
 * A cluster that cannot start fails the tests: they never skip. {@link Bluestore} is a second,
 * separate cluster whose OSD keeps its data through a SIGKILL.
 */
public class CephCluster implements BeforeAllCallback, ParameterResolver {

    private static final long START_TIMEOUT_SECONDS = 300; // includes an apt-get install when packages are missing
    private static final long CLI_TIMEOUT_SECONDS = 60;

    private final Path script;
    private final Path stateDir;
    private final String objectStore;
    private final Map<String, String> environment = new LinkedHashMap<>();
    private Map<String, String> env = Map.of();

    public CephCluster() {
        this("memstore", "");
    }

    protected CephCluster(String objectStore, String stateDirSuffix) {
        this.script = Path.of(System.getProperty("ceph.clusterScript", "../../scripts/ceph-cluster.sh")).toAbsolutePath();
        this.stateDir = Path.of(System.getProperty("ceph.stateDir", "target/ceph") + stateDirSuffix).toAbsolutePath();
        this.objectStore = objectStore;
    }

    /** A cluster of its own with a bluestore OSD (on a sparse file): for kill/restart tests. */
    public static final class Bluestore extends CephCluster {
        public Bluestore() {
            super("bluestore", "-bluestore");
        }
    }

    @Override
    public void beforeAll(ExtensionContext context) {
        context.getRoot().getStore(Namespace.GLOBAL).getOrComputeIfAbsent(getClass(), k -> started(),
                Running.class);
    }

    private Running started() {
        environment.put("CEPH_STATE_DIR", stateDir.toString());
        environment.put("CEPH_OSD_STORE", objectStore);
        environment.put("CEPH_MON_PORT_V2", String.valueOf(freePort()));
        environment.put("CEPH_MON_PORT_V1", String.valueOf(freePort()));
        long t0 = System.nanoTime();
        String out = run(START_TIMEOUT_SECONDS, script.toString(), "start");
        System.out.printf("Ceph cluster (%s) started in %.1f s%n", objectStore, (System.nanoTime() - t0) / 1e9);
        Map<String, String> parsed = new LinkedHashMap<>();
        for (String line : out.split("\n")) {
            int eq = line.indexOf('=');
            if (eq > 0 && line.startsWith("CEPH_")) {
                parsed.put(line.substring(0, eq), line.substring(eq + 1).trim());
            }
        }
        if (!parsed.containsKey("CEPH_CONF")) {
            throw new IllegalStateException("ceph-cluster.sh start printed no CEPH_CONF: " + out);
        }
        env = Map.copyOf(parsed);
        return new Running(this);
    }

    /** Stops the cluster when the whole test run is over. */
    private record Running(CephCluster cluster) implements ExtensionContext.Store.CloseableResource, AutoCloseable {
        @Override
        public void close() {
            cluster.run(CLI_TIMEOUT_SECONDS, cluster.script.toString(), "stop");
        }
    }

    @Override
    public boolean supportsParameter(ParameterContext parameter, ExtensionContext context) {
        return CephCluster.class.isAssignableFrom(parameter.getParameter().getType());
    }

    @Override
    public Object resolveParameter(ParameterContext parameter, ExtensionContext context) {
        return context.getRoot().getStore(Namespace.GLOBAL).get(getClass(), Running.class).cluster();
    }

    public String cephConf() {
        return env.get("CEPH_CONF");
    }

    public String keyring() {
        return env.get("CEPH_KEYRING");
    }

    /** Options every test storage needs to reach this cluster. */
    public Map<String, String> storageOptions() {
        return Map.of(RbdSettings.CEPH_CONF, cephConf(), RbdSettings.KEYRING, keyring());
    }

    /** Runs the {@code rbd} CLI against this cluster with bounded waits; returns stdout. */
    public String rbd(String... args) {
        List<String> command = new ArrayList<>(List.of("rbd", "--conf", cephConf(), "--client-mount-timeout", "10",
                "--rados-osd-op-timeout", "10"));
        command.addAll(List.of(args));
        return run(CLI_TIMEOUT_SECONDS, command.toArray(String[]::new));
    }

    /** The OSD's process id, for fault tests (SIGSTOP/SIGCONT, SIGKILL). */
    public long osdPid() {
        return pid("run/osd.0.pid");
    }

    /** The monitor's process id. */
    public long monPid() {
        return pid("run/mon.a.pid");
    }

    private long pid(String file) {
        try {
            return Long.parseLong(Files.readString(stateDir.resolve(file)).trim());
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
    }

    /** Sends {@code signal} (STOP, CONT, KILL) to one of this cluster's daemons. */
    public void signal(long pid, String signal) {
        run(10, "kill", "-" + signal, String.valueOf(pid));
    }

    /** Kills the OSD (SIGKILL) and waits until the process is gone, so a restart does not race it. */
    public void killOsd() throws InterruptedException {
        long pid = osdPid();
        signal(pid, "KILL");
        ProcessHandle handle = ProcessHandle.of(pid).orElse(null);
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
        while (handle != null && handle.isAlive() && !zombie(pid) && System.nanoTime() < deadline) {
            Thread.sleep(20);
        }
    }

    private static boolean zombie(long pid) {
        try {
            String stat = Files.readString(Path.of("/proc/" + pid + "/stat"));
            return stat.substring(stat.lastIndexOf(')') + 2).startsWith("Z");
        } catch (IOException gone) {
            return true;
        }
    }

    /** {@code ceph-cluster.sh start-osd}: the OSD again after a kill, returning once it is up. */
    public void startOsd() {
        run(START_TIMEOUT_SECONDS, script.toString(), "start-osd");
    }

    /** {@code ceph-cluster.sh start-mon}. */
    public void startMon() {
        run(START_TIMEOUT_SECONDS, script.toString(), "start-mon");
    }

    String run(long timeoutSeconds, String... command) {
        try {
            Path output = Files.createTempFile("ceph-cli", ".out");
            try {
                ProcessBuilder builder = new ProcessBuilder(command).redirectErrorStream(true)
                        .redirectOutput(output.toFile());
                builder.environment().putAll(environment);
                Process process = builder.start();
                if (!process.waitFor(timeoutSeconds, TimeUnit.SECONDS)) {
                    process.destroyForcibly();
                    throw new IllegalStateException(String.join(" ", command) + " timed out after "
                            + timeoutSeconds + " s: " + Files.readString(output, StandardCharsets.UTF_8));
                }
                String out = Files.readString(output, StandardCharsets.UTF_8);
                if (process.exitValue() != 0) {
                    throw new IllegalStateException(String.join(" ", command) + " exited " + process.exitValue()
                            + ": " + out);
                }
                return out;
            } finally {
                Files.deleteIfExists(output);
            }
        } catch (IOException e) {
            throw new IllegalStateException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    private static int freePort() {
        try (ServerSocket socket = new ServerSocket(0)) {
            return socket.getLocalPort();
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
    }
}
