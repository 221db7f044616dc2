package io.jtgt.backend.rbd;

import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;

/**
 * One initiator (an interactive qemu-io, one iSCSI session) writing distinct 64 KiB patterns to
 * fresh offsets of its own region, one write at a time, and recording what each got. With
 * {@code fua} every write has FUA (GOOD = on stable storage); without, every write is followed by
 * a flush (SYNCHRONIZE CACHE) and counts as durable only if that flush was GOOD.
 */
final class PatternWriter implements AutoCloseable {

    static final int WRITE_BYTES = 64 * 1024;

    /**
     * One write: {@code durable} when it (and its flush) got GOOD; {@code detail} what qemu
     * printed for it; {@code startNanos}/{@code endNanos} on {@link System#nanoTime()}.
     */
    record Write(long offset, int pattern, boolean durable, String detail, long startNanos, long endNanos) {
        double seconds() {
            return (endNanos - startNanos) / 1e9;
        }
    }

    private final QemuIoSession session;
    private final long base;
    private final int slots;
    private final int id;
    private final boolean fua;
    private final Duration limit;
    private final List<Write> writes = new CopyOnWriteArrayList<>();
    private final Thread thread;
    private volatile boolean stop;
    private volatile Throwable failure;

    PatternWriter(int id, String url, long base, long regionBytes, boolean fua, Duration limit) throws Exception {
        this.session = new QemuIoSession(url, limit);
        this.id = id;
        this.base = base;
        this.slots = (int) (regionBytes / WRITE_BYTES);
        this.fua = fua;
        this.limit = limit;
        this.thread = new Thread(this::run, "pattern-writer-" + id);
    }

    PatternWriter start() {
        thread.start();
        return this;
    }

    /** A non-zero byte that differs between neighbouring slots and writers. */
    static int pattern(int writer, int slot) {
        return 1 + (writer * 61 + slot) % 255;
    }

    private void run() {
        try {
            for (int slot = 0; slot < slots && !stop; slot++) {
                long offset = base + (long) slot * WRITE_BYTES;
                int p = pattern(id, slot);
                long t0 = System.nanoTime();
                String written = "wrote " + WRITE_BYTES + "/" + WRITE_BYTES + " bytes at offset " + offset;
                String out = session.command("write " + (fua ? "-f " : "") + "-P " + p + " " + offset + " " + WRITE_BYTES,
                        limit);
                if (!fua && out.contains(written)) {
                    out += session.command("flush", limit); // prints only when it fails
                }
                boolean durable = out.contains(written) && !out.contains("failed");
                writes.add(new Write(offset, p, durable, out.trim(), t0, System.nanoTime()));
            }
        } catch (Throwable t) {
            failure = t;
        }
    }

    /** Rethrows what stopped the writer, if anything did. */
    void check() {
        if (failure != null) {
            throw new AssertionError("writer " + id + " failed", failure);
        }
    }

    List<Write> writes() {
        return List.copyOf(writes);
    }

    int id() {
        return id;
    }

    long durableSince(long nanos) {
        return writes.stream().filter(w -> w.durable() && w.startNanos() >= nanos).count();
    }

    long failed() {
        return writes.stream().filter(w -> !w.durable()).count();
    }

    /** Stops after the write in progress; rethrows what went wrong in the writer. */
    @Override
    public void close() throws Exception {
        stop = true;
        thread.join(limit.toMillis() + 10_000);
        session.close();
        check();
    }
}
