package io.jtgt.backend.iouring;

import io.netty.channel.IoEvent;
import io.netty.channel.IoEventLoop;
import io.netty.channel.IoRegistration;
import io.netty.channel.uring.IoUringIoEvent;
import io.netty.channel.uring.IoUringIoHandle;
import io.netty.channel.uring.IoUringIoOps;
import java.util.ArrayDeque;
import java.util.concurrent.CompletableFuture;

/**
 * One store's presence on one ring (a Netty io_uring event loop): submits {@link RingOp}s and
 * routes their completions back. At most {@code depth} ops are in the ring at once (the storage's
 * {@code ioUringQueueDepth}); more wait in a FIFO. Every field is touched on the loop thread only.
 *
 * <p>An op's slot index travels as the SQE's 16-bit user data, which keeps Netty on its fast path
 * (no pending-op map).
 */
final class RingFile implements IoUringIoHandle {

    private static final int INVALID_ID = 0; // what IoRegistration.submit returns once cancelled

    private final IoEventLoop loop;
    private final RingOp[] slots;
    private final int[] freeSlots;
    private int freeCount;
    private final ArrayDeque<RingOp> waiting = new ArrayDeque<>();
    /** Ended ops the store may reuse (at most {@code depth}); see {@link #spare()}. */
    private final ArrayDeque<RingOp> spares = new ArrayDeque<>();
    private IoRegistration registration;
    /** Ops in the ring now, and the most there ever were (tests check the queue depth holds). */
    private int inRing;
    private int peakInRing;

    private RingFile(IoEventLoop loop, int depth) {
        this.loop = loop;
        this.slots = new RingOp[depth];
        this.freeSlots = new int[depth];
        for (int i = 0; i < depth; i++) {
            freeSlots[i] = depth - 1 - i;
        }
        this.freeCount = depth;
    }

    /** Registers a new handle on {@code loop}. */
    static CompletableFuture<RingFile> register(IoEventLoop loop, int depth) {
        RingFile file = unregistered(loop, depth);
        CompletableFuture<RingFile> registered = new CompletableFuture<>();
        loop.register(file).addListener(f -> {
            if (f.isSuccess()) {
                file.registration = (IoRegistration) f.getNow();
                registered.complete(file);
            } else {
                registered.completeExceptionally(f.cause());
            }
        });
        return registered;
    }

    /**
     * Registers a new handle on {@code loop}, which must be the current thread's loop; null when
     * the registration did not complete at once (then it is undone as soon as it does).
     */
    static RingFile registerHere(IoEventLoop loop, int depth) {
        RingFile file = unregistered(loop, depth);
        io.netty.util.concurrent.Future<IoRegistration> registering = loop.register(file);
        if (registering.isDone()) {
            if (!registering.isSuccess()) {
                return null;
            }
            file.registration = registering.getNow();
            return file;
        }
        registering.addListener(f -> {
            if (f.isSuccess()) {
                ((IoRegistration) f.getNow()).cancel();
            }
        });
        return null;
    }

    /** Depth capped to what a 16-bit slot id can name. */
    private static RingFile unregistered(IoEventLoop loop, int depth) {
        return new RingFile(loop, Math.max(1, Math.min(depth, Short.MAX_VALUE)));
    }

    IoEventLoop loop() {
        return loop;
    }

    /** The most ops this store ever had in the ring at once (read on the loop, or after it is quiet). */
    int peakInRing() {
        return peakInRing;
    }

    /**
     * An ended op of this store's to reuse, or null: on the loop only (ops end there), so a store
     * whose I/O runs on its caller's loop makes no op object per I/O in steady state.
     */
    RingOp spare() {
        return spares.poll();
    }

    /** Keeps an ended op for {@link #spare()} (on the loop, once nothing refers to it any more). */
    void spare(RingOp op) {
        if (spares.size() < slots.length) {
            spares.push(op);
        }
    }

    /** Queues {@code op}; from a foreign thread this is one task hop onto the ring's loop. */
    void submit(RingOp op) {
        if (loop.inEventLoop()) {
            start(op);
        } else {
            op.queuedOn = this;
            try {
                loop.execute(op); // the op is its own task: no object per hop
            } catch (RuntimeException rejected) { // loop shut down
                op.ended(0, rejected);
            }
        }
    }

    /** On the loop: {@code op} enters the ring, or waits for a slot. */
    void start(RingOp op) {
        if (freeCount == 0) {
            waiting.add(op); // queue depth reached: the op enters the ring when a slot frees up
            return;
        }
        int slot = freeSlots[--freeCount];
        slots[slot] = op;
        peakInRing = Math.max(peakInRing, ++inRing);
        issue(op, slot);
    }

    private void issue(RingOp op, int slot) {
        IoUringIoOps sqe = new IoUringIoOps(op.opcode, op.sqeFlags, (short) 0, op.fd,
                op.nextOffset(), op.nextAddress(), op.nextLength(), op.rwFlags,
                (short) slot, (short) 0, (short) 0, 0, 0L);
        long id = registration == null ? INVALID_ID : registration.submit(sqe);
        if (id == INVALID_ID) {
            release(slot);
            op.ended(0, new ErrnoException(op.opName() + " (ring closed)", ErrnoException.EIO));
        }
    }

    @Override
    public void handle(IoRegistration reg, IoEvent event) {
        IoUringIoEvent cqe = (IoUringIoEvent) event;
        int slot = cqe.data() & 0xFFFF;
        RingOp op = slot < slots.length ? slots[slot] : null;
        if (op == null) {
            return; // not ours (cannot happen: every SQE we submit carries an occupied slot)
        }
        if (!op.onCompletion(cqe.res())) {
            issue(op, slot); // short or interrupted: the remainder, same slot
            return;
        }
        release(slot);
    }

    private void release(int slot) {
        inRing--;
        slots[slot] = null;
        freeSlots[freeCount++] = slot;
        RingOp next = waiting.poll();
        if (next != null) {
            start(next);
        }
    }

    /** Unregisters from the ring once its completions are in (Netty defers the removal). */
    @Override
    public void close() {
        if (registration != null) {
            registration.cancel();
        }
        RingOp op;
        while ((op = waiting.poll()) != null) {
            op.ended(0, new ErrnoException(op.opName() + " (ring closed)", ErrnoException.EIO));
        }
    }

    void closeOnLoop() {
        if (loop.inEventLoop()) {
            close();
            return;
        }
        try {
            loop.execute(this::close);
        } catch (java.util.concurrent.RejectedExecutionException ended) {
            // the loop ended before its termination listener dropped this handle: Netty closed
            // its ring, and our registration with it, already
        }
    }
}
