package io.jtgt.numa;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.BitSet;
import java.util.List;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;

/**
 * The machine's NUMA nodes as sysfs describes them under {@code /sys/devices/system}
 * (Documentation/ABI/stable/sysfs-devices-node): {@code node/online} names the nodes,
 * {@code node/nodeN/cpulist} their CPUs, {@code node/nodeN/meminfo} their memory; CPUs missing
 * from {@code cpu/online} (offlined, not hot-plugged yet) are left out. A kernel without NUMA
 * support has no {@code node} folder: the machine is then one node holding every online CPU.
 *
 * @param nodes the online nodes, ascending by id; never empty
 */
public record NumaTopology(List<NumaNode> nodes) {

    /** Where a running Linux has it. */
    public static final Path SYSFS = Path.of("/sys/devices/system");

    private static final Pattern NODE_DIR = Pattern.compile("node(\\d+)");
    private static final Pattern MEM_TOTAL = Pattern.compile("^Node\\s+(\\d+)\\s+MemTotal:\\s+(\\d+)\\s+kB", Pattern.MULTILINE);

    public NumaTopology {
        nodes = List.copyOf(nodes);
        if (nodes.isEmpty()) {
            throw new IllegalArgumentException("a topology has at least one node");
        }
    }

    /** This machine's topology; a sysfs that cannot be read gives one node with every available CPU. */
    public static NumaTopology system() {
        try {
            return read(SYSFS);
        } catch (IOException | RuntimeException e) {
            return singleNode(allCpus(Runtime.getRuntime().availableProcessors()));
        }
    }

    /** Reads a sysfs tree rooted at {@code system} (the {@code /sys/devices/system} folder, or a recorded copy). */
    public static NumaTopology read(Path system) throws IOException {
        Optional<BitSet> onlineCpus = readList(system.resolve("cpu/online"));
        Path nodeDir = system.resolve("node");
        if (!Files.isDirectory(nodeDir)) {
            return singleNode(onlineCpus.orElseGet(() -> allCpus(Runtime.getRuntime().availableProcessors())));
        }
        BitSet nodeIds = readList(nodeDir.resolve("online")).orElseGet(() -> listNodeDirs(nodeDir));
        List<NumaNode> nodes = new ArrayList<>();
        for (int id = nodeIds.nextSetBit(0); id >= 0; id = nodeIds.nextSetBit(id + 1)) {
            Path dir = nodeDir.resolve("node" + id);
            if (!Files.isDirectory(dir)) {
                continue; // listed online but not (yet) in sysfs: nothing to place there
            }
            BitSet cpus = readList(dir.resolve("cpulist")).orElseGet(BitSet::new);
            onlineCpus.ifPresent(cpus::and);
            nodes.add(new NumaNode(id, CpuList.toArray(cpus), memTotal(dir.resolve("meminfo"), id)));
        }
        if (nodes.isEmpty()) {
            return singleNode(onlineCpus.orElseGet(() -> allCpus(Runtime.getRuntime().availableProcessors())));
        }
        return new NumaTopology(nodes);
    }

    private static NumaTopology singleNode(BitSet cpus) {
        return new NumaTopology(List.of(new NumaNode(0, CpuList.toArray(cpus), 0)));
    }

    private static BitSet allCpus(int count) {
        BitSet all = new BitSet();
        all.set(0, Math.max(1, count));
        return all;
    }

    private static Optional<BitSet> readList(Path file) throws IOException {
        try {
            return Optional.of(CpuList.parse(Files.readString(file)));
        } catch (NoSuchFileException e) {
            return Optional.empty();
        } catch (IllegalArgumentException e) {
            throw new IOException(file + ": " + e.getMessage(), e);
        }
    }

    private static BitSet listNodeDirs(Path nodeDir) {
        BitSet ids = new BitSet();
        try (Stream<Path> entries = Files.list(nodeDir)) {
            entries.forEach(p -> {
                Matcher m = NODE_DIR.matcher(p.getFileName().toString());
                if (m.matches() && Files.isDirectory(p)) {
                    ids.set(Integer.parseInt(m.group(1)));
                }
            });
        } catch (IOException e) {
            // an unreadable folder lists nothing; read() then falls back to one node
        }
        return ids;
    }

    /** {@code Node 1 MemTotal:  16777216 kB} in bytes; 0 when the file or line is missing. */
    private static long memTotal(Path meminfo, int id) throws IOException {
        String text;
        try {
            text = Files.readString(meminfo);
        } catch (NoSuchFileException e) {
            return 0;
        }
        Matcher m = MEM_TOTAL.matcher(text);
        while (m.find()) {
            if (Integer.parseInt(m.group(1)) == id) {
                return Long.parseLong(m.group(2)) * 1024;
            }
        }
        return 0;
    }

    /** The node with this id, if online. */
    public Optional<NumaNode> node(int id) {
        return nodes.stream().filter(n -> n.id() == id).findFirst();
    }

    /** The nodes that have CPUs (threads can be pinned only there). */
    public List<NumaNode> nodesWithCpus() {
        return nodes.stream().filter(NumaNode::hasCpus).toList();
    }

    /** The node a CPU belongs to, or -1. */
    public int nodeOfCpu(int cpu) {
        for (NumaNode n : nodes) {
            for (int c : n.cpus()) {
                if (c == cpu) {
                    return n.id();
                }
            }
        }
        return -1;
    }

    /** More than one node with CPUs: only then is there anything to place. */
    public boolean multiNode() {
        return nodesWithCpus().size() > 1;
    }

    /** One line for the log: {@code 2 NUMA nodes: node0: cpus 0-3, 16384 MiB; node1: ...}. */
    public String describe() {
        StringBuilder out = new StringBuilder();
        out.append(nodes.size()).append(nodes.size() == 1 ? " NUMA node: " : " NUMA nodes: ");
        for (int i = 0; i < nodes.size(); i++) {
            if (i > 0) {
                out.append("; ");
            }
            out.append(nodes.get(i));
        }
        return out.toString();
    }
}
