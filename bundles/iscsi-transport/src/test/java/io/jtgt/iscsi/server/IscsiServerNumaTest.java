package io.jtgt.iscsi.server;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.jtgt.iscsi.auth.AccessRules;
import io.jtgt.iscsi.testing.FakeRegistry;
import io.jtgt.iscsi.testing.SocketInitiator;
import io.jtgt.numa.Affinity;
import io.jtgt.numa.NumaNode;
import io.jtgt.numa.NumaPlacement;
import io.jtgt.numa.NumaSettings;
import io.jtgt.numa.NumaTopology;
import io.jtgt.scsi.config.PortalDefinition;
import java.net.Socket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

/** With NUMA placement active the connection loops run pinned to their nodes. */
class IscsiServerNumaTest {

    /** Java thread name prefix (as /proc/.../comm keeps 15 chars) -> Cpus_allowed_list, for our threads. */
    private static Map<String, String> pinnedTasks() throws Exception {
        Map<String, String> result = new HashMap<>();
        try (Stream<Path> tasks = Files.list(Path.of("/proc/self/task"))) {
            for (Path task : tasks.toList()) {
                try {
                    String comm = Files.readString(task.resolve("comm")).trim();
                    if (comm.startsWith("jtgt-iscsi-")) {
                        for (String line : Files.readAllLines(task.resolve("status"))) {
                            if (line.startsWith("Cpus_allowed_list:")) {
                                result.put(comm, line.substring(line.indexOf(':') + 1).trim());
                            }
                        }
                    }
                } catch (java.io.IOException gone) {
                    // the thread ended meanwhile
                }
            }
        }
        return result;
    }

    /** The loop threads that exist, by /proc comm name, with the CPU their node has. */
    private static Map<String, String> expectedPinning(int lastCpu) {
        Map<String, String> expected = new HashMap<>();
        for (Thread t : Thread.getAllStackTraces().keySet()) {
            String name = t.getName();
            if (name.startsWith("jtgt-iscsi-") && name.contains("-node")) {
                int node = Integer.parseInt(name.substring(name.lastIndexOf("-node") + 5));
                expected.put(name.substring(0, Math.min(15, name.length())), String.valueOf(node == 0 ? 0 : lastCpu));
            }
        }
        return expected;
    }

    @Test
    void connectionLoopsArePinnedToTheirNodes() throws Exception {
        int last = Math.max(0, Runtime.getRuntime().availableProcessors() - 1);
        NumaPlacement numa = new NumaPlacement(new NumaTopology(List.of(new NumaNode(0, new int[] {0}, 0),
                new NumaNode(1, new int[] {last}, 0))), new NumaSettings(true, 64, 65536), Affinity.system());
        FakeRegistry registry = new FakeRegistry().add("iqn.2026-11.test:numa", Map.of(1, List.of(0)), 8);
        TransportSettings settings = new TransportSettings(256 * 1024, TransportSettings.MAX_BURST_DEFAULT,
                256 * 1024, true, false, 4, 128, 2, 0, 2);
        try (IscsiServer server = new IscsiServer(registry, settings, new AccessRules(), numa)) {
            RunningPortal portal = server.bind(new PortalDefinition(0, "127.0.0.1", 0));
            List<Socket> sockets = new ArrayList<>();
            try {
                for (int i = 0; i < 2; i++) { // two loops, one per node, each starts with its first channel
                    sockets.add(new Socket("127.0.0.1", portal.boundAddress().getPort()));
                }
                Map<String, String> expected = expectedPinning(last);
                for (int i = 0; i < 100 && expected.size() < 2; i++) {
                    Thread.sleep(50);
                    expected = expectedPinning(last);
                }
                assertEquals(2, expected.size(), "loop threads " + expected);
                Map<String, String> pinned = pinnedTasks();
                for (int i = 0; i < 100 && !pinned.equals(expected); i++) { // a thread pins itself as it starts
                    Thread.sleep(50);
                    pinned = pinnedTasks();
                }
                assertEquals(expected, pinned);
            } finally {
                for (Socket s : sockets) {
                    s.close();
                }
            }
        }
    }

    /**
     * A connection to a portal whose targets' storages all sit on node 1 is served by a loop
     * pinned to node 1; a portal whose targets disagree (or ask for no node) spreads its
     * connections over every loop.
     */
    @Test
    void aPortalsConnectionsRunOnTheNodeItsStoragesSitOn() throws Exception {
        int last = Math.max(0, Runtime.getRuntime().availableProcessors() - 1);
        NumaPlacement numa = new NumaPlacement(new NumaTopology(List.of(new NumaNode(0, new int[] {0}, 0),
                new NumaNode(1, new int[] {last}, 0))), new NumaSettings(true, 64, 65536), Affinity.system());
        FakeRegistry registry = new FakeRegistry()
                .add("iqn.2026-11.test:placed", Map.of(1, List.of(0)), 8)
                .add("iqn.2026-11.test:mixed-a", Map.of(1, List.of(1)), 8)
                .add("iqn.2026-11.test:mixed-b", Map.of(1, List.of(1)), 8);
        registry.fake("iqn.2026-11.test:placed").numaNode = 1;
        registry.fake("iqn.2026-11.test:mixed-a").numaNode = 1;
        registry.fake("iqn.2026-11.test:mixed-b").numaNode = 0;
        TransportSettings settings = new TransportSettings(256 * 1024, TransportSettings.MAX_BURST_DEFAULT,
                256 * 1024, true, false, 4, 128, 2, 0, 4); // four loops: two per node
        try (IscsiServer server = new IscsiServer(registry, settings, new AccessRules(), numa)) {
            RunningPortal placed = server.bind(new PortalDefinition(0, "127.0.0.1", 0));
            RunningPortal mixed = server.bind(new PortalDefinition(1, "127.0.0.1", 0));
            assertEquals(1, server.storageNodeOf(0));
            assertEquals(-1, server.storageNodeOf(1));
            for (int i = 0; i < 6; i++) {
                login(placed, "iqn.2026-11.test:placed", 0x400000000000L + i);
                login(mixed, "iqn.2026-11.test:mixed-a", 0x500000000000L + i);
            }
            List<String> placedLoops = registry.fake("iqn.2026-11.test:placed").connectedOn;
            assertEquals(6, placedLoops.size());
            assertTrue(placedLoops.stream().allMatch(n -> n.startsWith("jtgt-iscsi-") && n.endsWith("-node1")), placedLoops.toString());
            assertEquals(2, placedLoops.stream().distinct().count(), "in turn over node 1's two loops: " + placedLoops);
            List<String> mixedLoops = registry.fake("iqn.2026-11.test:mixed-a").connectedOn;
            assertTrue(mixedLoops.stream().anyMatch(n -> n.endsWith("-node0")) && mixedLoops.stream().anyMatch(n -> n.endsWith("-node1")),
                    mixedLoops.toString());
        }
    }

    private static void login(RunningPortal portal, String target, long isid) {
        try (SocketInitiator initiator = new SocketInitiator(null, portal.boundAddress().getPort(), isid)) {
            assertEquals(0, initiator.login(SocketInitiator.normalLogin("iqn.2026-11.test:initiator", target)).status());
        }
    }
}
