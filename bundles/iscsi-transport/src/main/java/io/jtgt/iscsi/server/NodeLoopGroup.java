package io.jtgt.iscsi.server;

import io.jtgt.numa.NumaPlacement;
import io.netty.channel.IoEventLoop;
import io.netty.channel.IoEventLoopGroup;
import io.netty.channel.IoHandlerFactory;
import io.netty.channel.MultiThreadIoEventLoopGroup;
import io.netty.channel.SingleThreadIoEventLoop;
import io.netty.util.concurrent.EventExecutor;
import io.netty.util.concurrent.EventExecutorChooserFactory;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Executor;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * Connection event loops spread over the NUMA nodes: loop i runs on a thread pinned to node
 * {@code i mod nodes}. A channel registered while {@link #onNode} is in effect on the calling
 * thread goes to a loop of that node (in turn); every other channel goes to the next loop in turn.
 * That is how a connection to a portal whose storages all sit on one node is served by network
 * threads of that node, next to the storage's I/O threads and buffers.
 */
final class NodeLoopGroup extends MultiThreadIoEventLoopGroup {

    /** The node the channel being registered on this thread should run on; unset: any. */
    private static final ThreadLocal<Integer> WANTED = new ThreadLocal<>();

    NodeLoopGroup(int loops, NumaPlacement numa, String prefix, IoHandlerFactory handlers) {
        // newChild runs inside super(): what it needs travels in the args, not in fields
        super(Math.max(loops, numa.nodes().size()), (Executor) null, handlers, NodeChooser.FACTORY,
                numa, prefix, new AtomicInteger());
    }

    /** Runs {@code registration} (a channel's register) so that it picks a loop of {@code node}; -1: any loop. */
    static void onNode(int node, Runnable registration) {
        if (node < 0) {
            registration.run();
            return;
        }
        Integer previous = WANTED.get();
        WANTED.set(node);
        try {
            registration.run();
        } finally {
            if (previous == null) {
                WANTED.remove();
            } else {
                WANTED.set(previous);
            }
        }
    }

    @Override
    protected IoEventLoop newChild(Executor unused, IoHandlerFactory handlers, Object... args) {
        NumaPlacement numa = (NumaPlacement) args[0];
        String prefix = (String) args[1];
        int index = ((AtomicInteger) args[2]).getAndIncrement();
        List<Integer> nodes = numa.nodes();
        int node = nodes.isEmpty() ? -1 : nodes.get(index % nodes.size());
        String name = prefix + "-" + (index + 1);
        return new NodeLoop(this, task -> numa.newThread(name, node, task).start(), handlers, node);
    }

    /** A loop that knows the node its thread is pinned to. */
    static final class NodeLoop extends SingleThreadIoEventLoop {
        final int node;

        NodeLoop(IoEventLoopGroup parent, Executor executor, IoHandlerFactory handlers, int node) {
            super(parent, executor, handlers);
            this.node = node;
        }
    }

    /** Round-robin over all loops, or over the wanted node's loops while {@link #onNode} is in effect. */
    private static final class NodeChooser implements EventExecutorChooserFactory.EventExecutorChooser {
        static final EventExecutorChooserFactory FACTORY = NodeChooser::new;

        private final EventExecutor[] all;
        private final AtomicInteger next = new AtomicInteger();
        private final Map<Integer, EventExecutor[]> byNode = new HashMap<>();
        private final Map<Integer, AtomicInteger> nextOnNode = new HashMap<>();

        NodeChooser(EventExecutor[] loops) {
            this.all = loops.clone();
            Map<Integer, List<EventExecutor>> grouped = new HashMap<>();
            for (EventExecutor loop : loops) {
                grouped.computeIfAbsent(((NodeLoop) loop).node, n -> new ArrayList<>()).add(loop);
            }
            grouped.forEach((node, list) -> {
                byNode.put(node, list.toArray(EventExecutor[]::new));
                nextOnNode.put(node, new AtomicInteger());
            });
        }

        @Override
        public EventExecutor next() {
            Integer wanted = WANTED.get();
            EventExecutor[] loops = wanted == null ? null : byNode.get(wanted);
            if (loops == null) {
                return all[Math.floorMod(next.getAndIncrement(), all.length)];
            }
            return loops[Math.floorMod(nextOnNode.get(wanted).getAndIncrement(), loops.length)];
        }
    }
}
