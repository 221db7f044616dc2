package io.jtgt.itests.sample;

import io.jtgt.scsi.spi.BackingStore;
import io.jtgt.scsi.spi.BackingStoreException;
import io.jtgt.scsi.spi.Capabilities;
import io.netty.buffer.ByteBuf;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * One storage of {@link MemoryBackend}: a byte array, optionally slow ({@code latencyMs}) or held
 * ({@code holdFile}: reads and writes wait while that file exists, so a test decides when a
 * command in flight ends, whatever the machine's speed). As the SPI asks, {@link #close()}
 * completes once the I/O in flight has finished: every read and write it accepted completes, none
 * is dropped; closing lets held I/O go on.
 */
final class MemoryStore implements BackingStore {

    /** Nothing beyond read and write, and no volatile cache: a write is "stable" once copied. */
    private static final Capabilities CAPABILITIES = new Capabilities(false, false, false, false, 0, 1);
    /** How often held I/O looks at the hold file again. */
    private static final long HOLD_POLL_MS = 20;

    private final byte[] disk;
    private final long latencyMs;
    private final Path holdFile;
    private final ScheduledExecutorService timer;
    private final AtomicInteger inFlight = new AtomicInteger();
    private final CompletableFuture<Void> closedFuture = new CompletableFuture<>();
    private volatile boolean closed;

    /** @param holdFile null: nothing is held */
    MemoryStore(byte[] disk, long latencyMs, Path holdFile, ScheduledExecutorService timer) {
        this.disk = disk;
        this.latencyMs = latencyMs;
        this.holdFile = holdFile;
        this.timer = timer;
    }

    @Override
    public long size() {
        return disk.length;
    }

    @Override
    public Capabilities capabilities() {
        return CAPABILITIES;
    }

    @Override
    public CompletableFuture<Void> read(long offset, ByteBuf dst, int length) {
        return later(() -> {
            synchronized (disk) {
                dst.writeBytes(disk, (int) offset, length);
            }
        });
    }

    @Override
    public CompletableFuture<Void> write(long offset, ByteBuf src, boolean forceUnitAccess) {
        return later(() -> {
            synchronized (disk) {
                src.getBytes(src.readerIndex(), disk, (int) offset, src.readableBytes());
            }
        });
    }

    @Override
    public CompletableFuture<Void> flush() {
        return CompletableFuture.completedFuture(null);
    }

    @Override
    public CompletableFuture<Void> close() {
        closed = true;
        if (inFlight.get() == 0) {
            closedFuture.complete(null);
        }
        return closedFuture;
    }

    /** Runs the copy at once, or on the timer after the latency and while held. */
    private CompletableFuture<Void> later(Runnable copy) {
        inFlight.incrementAndGet();
        CompletableFuture<Void> done = new CompletableFuture<>();
        done.whenComplete((v, t) -> {
            if (inFlight.decrementAndGet() == 0 && closed) {
                closedFuture.complete(null);
            }
        });
        if (closed) {
            done.completeExceptionally(new BackingStoreException(BackingStoreException.Kind.UNAVAILABLE,
                    "the memory store is closed"));
        } else if (latencyMs == 0 && !held()) {
            run(copy, done);
        } else {
            schedule(copy, done, latencyMs);
        }
        return done;
    }

    private boolean held() {
        return holdFile != null && !closed && Files.exists(holdFile);
    }

    private void schedule(Runnable copy, CompletableFuture<Void> done, long delayMs) {
        try {
            timer.schedule(() -> {
                if (held()) {
                    schedule(copy, done, HOLD_POLL_MS);
                } else {
                    run(copy, done);
                }
            }, delayMs, TimeUnit.MILLISECONDS);
        } catch (RejectedExecutionException e) {
            // The bundle stops (its timer takes no new tasks): the I/O fails, it is not lost.
            done.completeExceptionally(new BackingStoreException(BackingStoreException.Kind.UNAVAILABLE,
                    "the memory backend is stopping"));
        }
    }

    private static void run(Runnable copy, CompletableFuture<Void> done) {
        try {
            copy.run();
            done.complete(null);
        } catch (RuntimeException e) {
            done.completeExceptionally(e);
        }
    }
}
