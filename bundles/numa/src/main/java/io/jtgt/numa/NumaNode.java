package io.jtgt.numa;

import java.util.Arrays;

/**
 * One NUMA node.
 *
 * @param id the node number ({@code nodeN})
 * @param cpus the online CPUs of the node, ascending; empty for a memory-only node (CXL, hot-added memory)
 * @param memoryBytes {@code MemTotal} from the node's meminfo, 0 when unknown
 */
public record NumaNode(int id, int[] cpus, long memoryBytes) {

    public NumaNode {
        cpus = cpus.clone();
    }

    @Override
    public int[] cpus() {
        return cpus.clone();
    }

    public boolean hasCpus() {
        return cpus.length > 0;
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof NumaNode n && n.id == id && n.memoryBytes == memoryBytes && Arrays.equals(n.cpus, cpus);
    }

    @Override
    public int hashCode() {
        return 31 * (31 * id + Arrays.hashCode(cpus)) + Long.hashCode(memoryBytes);
    }

    /** {@code node1: cpus 4-7, 16 GiB}. */
    @Override
    public String toString() {
        java.util.BitSet set = new java.util.BitSet();
        for (int cpu : cpus) {
            set.set(cpu);
        }
        return "node" + id + ": cpus " + (cpus.length == 0 ? "none" : CpuList.format(set))
                + (memoryBytes > 0 ? ", " + (memoryBytes >> 20) + " MiB" : "");
    }
}
