package io.jtgt.numa;

import io.netty.buffer.ByteBufAllocator;
import io.netty.buffer.PooledByteBufAllocator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ThreadFactory;
import java.util.concurrent.atomic.AtomicInteger;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Where buffers and threads go. Active only when {@code enableNUMA} is on AND the machine has
 * more than one node with CPUs; otherwise every method answers with what the code used before
 * (the shared {@link PooledByteBufAllocator#DEFAULT}, unpinned threads, node -1), so a
 * single-node machine pays nothing.
 *
 * <p>When active, each node with CPUs gets its own {@link PooledByteBufAllocator} (one direct
 * arena per CPU of the node, no heap arenas) that only threads pinned to that node use: Netty
 * creates a pool chunk in the thread that needs it, and the kernel places a page on the node of
 * the CPU that first writes it, so the node's buffers live in the node's memory.
 */
public final class NumaPlacement {

    private static final Logger LOG = LoggerFactory.getLogger(NumaPlacement.class);

    /** Storage keys (gotgt {@code storages} entry): {@code enableNUMA}, {@code numaNode}. */
    public static final String STORAGE_ENABLE = "enableNUMA";
    public static final String STORAGE_NODE = "numaNode";

    private static final NumaPlacement INACTIVE = new NumaPlacement(
            new NumaTopology(List.of(new NumaNode(0, new int[0], 0))), NumaSettings.defaults(), Affinity.NONE);

    private final NumaTopology topology;
    private final NumaSettings settings;
    private final Affinity affinity;
    private final boolean active;
    private final Map<Integer, ByteBufAllocator> allocators = new HashMap<>();
    private final AtomicInteger nextNode = new AtomicInteger();

    public NumaPlacement(NumaTopology topology, NumaSettings settings, Affinity affinity) {
        this.topology = topology;
        this.settings = settings;
        this.affinity = affinity;
        this.active = settings.enabled() && topology.multiNode() && affinity.available();
        if (active) {
            for (NumaNode node : topology.nodesWithCpus()) {
                allocators.put(node.id(), new PooledByteBufAllocator(true, 0, node.cpus().length, 8192,
                        settings.maxOrder(), 256, settings.bufferPoolSize(), true));
            }
        }
    }

    /** The machine's topology with these settings and sched_setaffinity. */
    public static NumaPlacement system(NumaSettings settings) {
        return new NumaPlacement(NumaTopology.system(), settings, settings.enabled() ? Affinity.system() : Affinity.NONE);
    }

    /** Places nothing: the behaviour without NUMA support. */
    public static NumaPlacement inactive() {
        return INACTIVE;
    }

    public boolean active() {
        return active;
    }

    public NumaTopology topology() {
        return topology;
    }

    public NumaSettings settings() {
        return settings;
    }

    /** The node ids threads can be pinned to, ascending; empty when inactive. */
    public List<Integer> nodes() {
        return active ? topology.nodesWithCpus().stream().map(NumaNode::id).toList() : List.of();
    }

    /** The pooled allocator of {@code node}; the shared default for -1 or when inactive. */
    public ByteBufAllocator allocator(int node) {
        ByteBufAllocator a = allocators.get(node);
        return a == null ? PooledByteBufAllocator.DEFAULT : a;
    }

    /** The allocator of the calling thread's node (see {@link NodeThread#currentNode()}). */
    public ByteBufAllocator allocatorOfCurrentThread() {
        return allocator(NodeThread.currentNode());
    }

    /**
     * The node a storage's threads and buffers belong to, from its {@code enableNUMA} and
     * {@code numaNode} options (node 0 when only {@code enableNUMA} is set); -1 when the storage
     * does not ask for NUMA or the placement is inactive.
     *
     * @throws IllegalArgumentException naming the field when {@code numaNode} is no node with CPUs here
     */
    public int storageNode(long deviceId, Map<String, String> options) {
        boolean wanted;
        int node;
        try {
            wanted = NumaSettings.bool(options, STORAGE_ENABLE, false);
            node = NumaSettings.integer(options, STORAGE_NODE, 0);
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException("storage " + deviceId + ": " + e.getMessage(), e);
        }
        if (!wanted || !active) {
            return -1;
        }
        if (!allocators.containsKey(node)) {
            throw new IllegalArgumentException("storage " + deviceId + ": " + STORAGE_NODE + "=" + node
                    + " is not a NUMA node with CPUs here (" + nodes() + ")");
        }
        return node;
    }

    /** The next node in turn (spreads event loops over the nodes); -1 when inactive. */
    public int nextNode() {
        List<Integer> ids = nodes();
        return ids.isEmpty() ? -1 : ids.get(Math.floorMod(nextNode.getAndIncrement(), ids.size()));
    }

    /**
     * Threads named {@code prefix-N} pinned to {@code node} (daemon threads, Netty
     * {@link io.netty.util.concurrent.FastThreadLocalThread}s). A pinning failure is logged once
     * per thread and the thread runs unpinned.
     */
    public ThreadFactory threadFactory(String prefix, int node) {
        return threadFactory(prefix, () -> node);
    }

    /** Threads pinned to the nodes in turn (one event loop per thread spreads over all nodes). */
    public ThreadFactory roundRobinThreadFactory(String prefix) {
        return threadFactory(prefix, this::nextNode);
    }

    private ThreadFactory threadFactory(String prefix, java.util.function.IntSupplier nodes) {
        AtomicInteger count = new AtomicInteger();
        return task -> newThread(prefix + "-" + count.incrementAndGet(), nodes.getAsInt(), task);
    }

    /**
     * A daemon {@link NodeThread} named {@code name-nodeN} that pins itself to {@code node} as it
     * starts (unpinned, and named {@code name}, for node -1). A pinning failure is logged once and
     * the thread runs unpinned.
     */
    public Thread newThread(String name, int node, Runnable task) {
        int[] cpus = topology.node(node).map(NumaNode::cpus).orElse(new int[0]);
        Runnable pinThenRun = () -> {
            if (node >= 0) {
                try {
                    affinity.pinCurrentThread(cpus);
                } catch (RuntimeException e) {
                    LOG.warn("{} runs unpinned: {}", Thread.currentThread().getName(), e.getMessage());
                }
            }
            task.run();
        };
        NodeThread t = new NodeThread(null, pinThenRun, name + (node >= 0 ? "-node" + node : ""), node);
        t.setDaemon(true);
        return t;
    }

    /** One line for the log: the topology and what is done with it. */
    public String describe() {
        String what;
        if (active) {
            what = "enableNUMA on: per-node buffer pools and pinned threads on nodes " + nodes();
        } else if (!settings.enabled()) {
            what = "enableNUMA off: nothing placed";
        } else if (!topology.multiNode()) {
            what = "enableNUMA on, but a single node: nothing to place";
        } else {
            what = "enableNUMA on, but thread pinning is unavailable (no JNA/libc): nothing placed";
        }
        return topology.describe() + " — " + what;
    }
}
