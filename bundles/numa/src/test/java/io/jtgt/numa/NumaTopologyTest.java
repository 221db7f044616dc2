package io.jtgt.numa;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.net.URISyntaxException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class NumaTopologyTest {

    private static NumaTopology fixture(String name) throws IOException, URISyntaxException {
        return NumaTopology.read(Path.of(NumaTopologyTest.class.getResource("/sysfs/" + name).toURI()));
    }

    @Test
    void twoSocketServer() throws Exception {
        NumaTopology t = fixture("two-node");
        assertEquals(2, t.nodes().size());
        assertArrayEquals(new int[] {0, 1, 2, 3, 8, 9, 10, 11}, t.nodes().get(0).cpus());
        assertArrayEquals(new int[] {4, 5, 6, 7, 12, 13, 14, 15}, t.nodes().get(1).cpus());
        assertEquals(65842132L * 1024, t.nodes().get(0).memoryBytes());
        assertEquals(66055680L * 1024, t.nodes().get(1).memoryBytes());
        assertTrue(t.multiNode());
        assertEquals(1, t.nodeOfCpu(12));
        assertEquals(0, t.nodeOfCpu(9));
        assertEquals(-1, t.nodeOfCpu(16));
        assertEquals("2 NUMA nodes: node0: cpus 0-3,8-11, 64298 MiB; node1: cpus 4-7,12-15, 64507 MiB", t.describe());
    }

    @Test
    void memoryOnlyNodeHasNoCpusAndIsNoPlaceForThreads() throws Exception {
        NumaTopology t = fixture("four-node-memory-only");
        assertEquals(4, t.nodes().size());
        NumaNode memoryOnly = t.node(3).orElseThrow();
        assertFalse(memoryOnly.hasCpus());
        assertEquals(134217728L * 1024, memoryOnly.memoryBytes());
        assertEquals(List.of(0, 1, 2), t.nodesWithCpus().stream().map(NumaNode::id).toList());
        assertTrue(t.describe().contains("node3: cpus none, 131072 MiB"), t.describe());
    }

    @Test
    void offlineCpusAreLeftOut() throws Exception {
        NumaTopology t = fixture("offline-cpus");
        assertArrayEquals(new int[] {0, 1}, t.nodes().get(0).cpus());
        assertArrayEquals(new int[] {4, 5, 7}, t.nodes().get(1).cpus());
        assertEquals(-1, t.nodeOfCpu(2));
    }

    @Test
    void singleNodeMachineIsOneNode() throws Exception {
        NumaTopology t = fixture("single-node");
        assertEquals(1, t.nodes().size());
        assertArrayEquals(new int[] {0, 1}, t.nodes().get(0).cpus());
        assertTrue(t.nodes().get(0).memoryBytes() > 0);
        assertFalse(t.multiNode());
        assertTrue(t.describe().startsWith("1 NUMA node: node0: cpus 0-1, "), t.describe());
    }

    @Test
    void kernelWithoutNumaIsOneNodeWithEveryOnlineCpu() throws Exception {
        NumaTopology t = fixture("no-numa");
        assertEquals(1, t.nodes().size());
        assertArrayEquals(new int[] {0, 1, 2, 3, 4, 5}, t.nodes().get(0).cpus());
        assertEquals(0, t.nodes().get(0).memoryBytes());
    }

    @Test
    void withoutAnOnlineFileTheNodeFoldersCount() throws Exception {
        NumaTopology t = fixture("sparse-ids");
        assertEquals(List.of(0, 2), t.nodes().stream().map(NumaNode::id).toList());
        assertArrayEquals(new int[] {2, 3}, t.node(2).orElseThrow().cpus());
        assertTrue(t.node(1).isEmpty());
    }

    @Test
    void thisMachineReadsAsAtLeastOneNodeHoldingEveryCpu() {
        NumaTopology t = NumaTopology.system();
        int cpus = t.nodes().stream().mapToInt(n -> n.cpus().length).sum();
        assertTrue(cpus >= 1);
        assertTrue(cpus >= Runtime.getRuntime().availableProcessors(), t.describe());
    }

    @Test
    void corruptCpuListIsAnErrorNamingTheFile(@TempDir Path dir) throws Exception {
        Files.createDirectories(dir.resolve("node/node0"));
        Files.writeString(dir.resolve("node/online"), "0\n");
        Files.writeString(dir.resolve("node/node0/cpulist"), "0-x\n");
        IOException e = assertThrows(IOException.class, () -> NumaTopology.read(dir));
        assertTrue(e.getMessage().contains("node0/cpulist"), e.getMessage());
    }

    @Test
    void cpuListFormat() {
        assertEquals("0-3,8-11,13", CpuList.format(CpuList.parse("0-3, 8-11,13\n")));
        assertEquals("", CpuList.format(CpuList.parse("\n")));
        assertEquals("5", CpuList.format(CpuList.parse("5")));
        assertThrows(IllegalArgumentException.class, () -> CpuList.parse("3-1"));
        assertThrows(IllegalArgumentException.class, () -> CpuList.parse("-1"));
        assertThrows(IllegalArgumentException.class, () -> CpuList.parse("0-15:2/4"));
        assertThrows(IllegalArgumentException.class, () -> CpuList.parse("99999999"));
    }
}
