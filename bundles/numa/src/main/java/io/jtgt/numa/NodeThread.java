package io.jtgt.numa;

import io.netty.util.concurrent.FastThreadLocalThread;

/**
 * A thread that belongs to one NUMA node: it pins itself to the node's CPUs before running its
 * task, so every page it touches first (its stack, the chunks its node allocator creates for it)
 * is placed on that node by the kernel's first-touch policy.
 */
public final class NodeThread extends FastThreadLocalThread {

    private final int node;

    NodeThread(ThreadGroup group, Runnable pinThenRun, String name, int node) {
        super(group, pinThenRun, name);
        this.node = node;
    }

    /** The node this thread is pinned to. */
    public int node() {
        return node;
    }

    /** The node of the calling thread, or -1 when it is not a {@link NodeThread}. */
    public static int currentNode() {
        return Thread.currentThread() instanceof NodeThread t ? t.node : -1;
    }
}
