package io.jtgt.numa;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotSame;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufAllocator;
import io.netty.buffer.PooledByteBufAllocator;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.BitSet;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

class NumaPlacementTest {

    private static final NumaSettings ON = new NumaSettings(true, 64, 65536);

    private static NumaTopology singleNode() {
        return new NumaTopology(List.of(new NumaNode(0, new int[] {0, 1}, 1 << 30)));
    }

    /** The CPUs this process may run on, from the kernel. */
    private static int[] allowedCpus() throws Exception {
        return CpuList.toArray(CpuList.parse(statusField(Path.of("/proc/self/status"), "Cpus_allowed_list")));
    }

    private static String statusField(Path status, String field) throws Exception {
        for (String line : Files.readAllLines(status)) {
            if (line.startsWith(field + ":")) {
                return line.substring(field.length() + 1).trim();
            }
        }
        throw new AssertionError(field + " missing in " + status);
    }

    /** Two pretend nodes made of this machine's real CPUs (the same CPU twice on a 1-CPU box). */
    private static NumaTopology twoNodesOfThisMachine() throws Exception {
        int[] cpus = allowedCpus();
        int first = cpus[0];
        int second = cpus.length > 1 ? cpus[cpus.length - 1] : cpus[0];
        return new NumaTopology(List.of(new NumaNode(0, new int[] {first}, 0), new NumaNode(1, new int[] {second}, 0)));
    }

    @Test
    void singleNodeWithNumaOnPlacesNothing() {
        NumaPlacement p = new NumaPlacement(singleNode(), ON, Affinity.system());
        assertFalse(p.active());
        assertSame(PooledByteBufAllocator.DEFAULT, p.allocator(0));
        assertSame(PooledByteBufAllocator.DEFAULT, p.allocatorOfCurrentThread());
        assertEquals(-1, p.storageNode(1000, Map.of("enableNUMA", "true", "numaNode", "0")));
        assertEquals(-1, p.nextNode());
        assertTrue(p.nodes().isEmpty());
        assertTrue(p.describe().contains("single node: nothing to place"), p.describe());
    }

    @Test
    void numaOffPlacesNothingEvenOnManyNodes() throws Exception {
        NumaPlacement p = new NumaPlacement(twoNodesOfThisMachine(), NumaSettings.defaults(), Affinity.system());
        assertFalse(p.active());
        assertEquals(-1, p.storageNode(1000, Map.of("enableNUMA", "true", "numaNode", "1")));
        assertTrue(p.describe().contains("enableNUMA off"), p.describe());
    }

    @Test
    void withoutPinningNothingIsPlaced() throws Exception {
        NumaPlacement p = new NumaPlacement(twoNodesOfThisMachine(), ON, Affinity.NONE);
        assertFalse(p.active());
        assertTrue(p.describe().contains("pinning is unavailable"), p.describe());
    }

    @Test
    void nodeThreadsArePinnedAndUseTheirNodesPool() throws Exception {
        NumaTopology topology = twoNodesOfThisMachine();
        NumaPlacement p = new NumaPlacement(topology, ON, Affinity.system());
        assertTrue(p.active(), p.describe());
        assertEquals(List.of(0, 1), p.nodes());
        assertNotSame(p.allocator(0), p.allocator(1));
        assertNotSame(PooledByteBufAllocator.DEFAULT, p.allocator(1));
        for (int node : new int[] {0, 1}) {
            CompletableFuture<String> seen = new CompletableFuture<>();
            Thread t = p.threadFactory("jtgt-test", node).newThread(() -> {
                try {
                    String allowed = statusField(Path.of("/proc/thread-self/status"), "Cpus_allowed_list");
                    ByteBufAllocator mine = p.allocatorOfCurrentThread();
                    ByteBuf buf = mine.directBuffer(4096);
                    boolean direct = buf.isDirect();
                    buf.release();
                    seen.complete(allowed + "|" + NodeThread.currentNode() + "|" + (mine == p.allocator(node)) + "|" + direct);
                } catch (Throwable e) {
                    seen.completeExceptionally(e);
                }
            });
            assertTrue(t.getName().endsWith("-node" + node), t.getName());
            assertTrue(t.isDaemon());
            t.start();
            BitSet expected = new BitSet();
            expected.set(topology.node(node).orElseThrow().cpus()[0]);
            assertEquals(CpuList.format(expected) + "|" + node + "|true|true", seen.get(10, TimeUnit.SECONDS));
        }
    }

    @Test
    void roundRobinSpreadsThreadsOverTheNodes() throws Exception {
        NumaPlacement p = new NumaPlacement(twoNodesOfThisMachine(), ON, Affinity.system());
        var factory = p.roundRobinThreadFactory("loop");
        int[] nodes = new int[4];
        for (int i = 0; i < 4; i++) {
            nodes[i] = ((NodeThread) factory.newThread(() -> { })).node();
        }
        assertEquals(2, java.util.Arrays.stream(nodes).filter(n -> n == 0).count());
        assertEquals(2, java.util.Arrays.stream(nodes).filter(n -> n == 1).count());
    }

    @Test
    void storageNodeComesFromItsOptionsAndIsChecked() throws Exception {
        NumaPlacement p = new NumaPlacement(twoNodesOfThisMachine(), ON, Affinity.system());
        assertEquals(1, p.storageNode(1000, Map.of("enableNUMA", "true", "numaNode", "1")));
        assertEquals(0, p.storageNode(1000, Map.of("enableNUMA", "true")));
        assertEquals(-1, p.storageNode(1000, Map.of("numaNode", "1")), "numaNode alone does not turn NUMA on");
        IllegalArgumentException missing = assertThrows(IllegalArgumentException.class,
                () -> p.storageNode(1000, Map.of("enableNUMA", "true", "numaNode", "7")));
        assertTrue(missing.getMessage().contains("storage 1000: numaNode=7"), missing.getMessage());
        IllegalArgumentException bad = assertThrows(IllegalArgumentException.class,
                () -> p.storageNode(1001, Map.of("enableNUMA", "maybe")));
        assertTrue(bad.getMessage().contains("storage 1001: enableNUMA=maybe"), bad.getMessage());
    }

    @Test
    void settingsReadJsonAndConfigAdminValuesAndNameBadFields() {
        NumaSettings s = NumaSettings.fromProperties(Map.of("enableNUMA", true, "numaBufferPoolSize", 1024,
                "numaBufferSize", 262144, "ioUringQueueDepth", 4096));
        assertEquals(new NumaSettings(true, 1024, 262144), s);
        assertEquals(9, s.maxOrder(), "16 x 256 KiB = Netty's 4 MiB chunk");
        assertEquals(new NumaSettings(false, 10, 8192),
                NumaSettings.fromProperties(Map.of("enableNUMA", "false", "numaBufferPoolSize", "10", "numaBufferSize", "8192")));
        assertEquals(NumaSettings.defaults(), NumaSettings.fromProperties(Map.of()));
        IllegalArgumentException size = assertThrows(IllegalArgumentException.class,
                () -> NumaSettings.fromProperties(Map.of("numaBufferSize", 100)));
        assertTrue(size.getMessage().contains("performance.numaBufferSize=100"), size.getMessage());
        IllegalArgumentException text = assertThrows(IllegalArgumentException.class,
                () -> NumaSettings.fromProperties(Map.of("numaBufferPoolSize", "lots")));
        assertTrue(text.getMessage().contains("numaBufferPoolSize=lots"), text.getMessage());
    }
}
