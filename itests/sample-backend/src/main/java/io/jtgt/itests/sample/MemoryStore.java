package io.jtgt.itests.sample;

import io.jtgt.scsi.spi.BackingStore;
import io.jtgt.scsi.spi.BackingStoreException;
import io.jtgt.scsi.spi.Capabilities;
import io.netty.buffer.ByteBuf;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;

/** One storage of {@link MemoryBackend}: a byte array, optionally slow. */
final class MemoryStore implements BackingStore {

    /** Nothing beyond read and write, and no volatile cache: a write is "stable" once copied. */
    private static final Capabilities CAPABILITIES = new Capabilities(false, false, false, false, 0, 1);

    private final byte[] disk;
    private final long latencyMs;
    private final ScheduledExecutorService timer;
    private volatile boolean closed;

    MemoryStore(byte[] disk, long latencyMs, ScheduledExecutorService timer) {
        this.disk = disk;
        this.latencyMs = latencyMs;
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
        return CompletableFuture.completedFuture(null);
    }

    /** Runs the copy at once, or after the latency on the timer. */
    private CompletableFuture<Void> later(Runnable copy) {
        if (closed) {
            return CompletableFuture.failedFuture(new BackingStoreException(BackingStoreException.Kind.UNAVAILABLE,
                    "the memory store is closed"));
        }
        if (latencyMs == 0) {
            copy.run();
            return CompletableFuture.completedFuture(null);
        }
        CompletableFuture<Void> done = new CompletableFuture<>();
        try {
            timer.schedule(() -> {
                try {
                    copy.run();
                    done.complete(null);
                } catch (RuntimeException e) {
                    done.completeExceptionally(e);
                }
            }, latencyMs, TimeUnit.MILLISECONDS);
        } catch (RejectedExecutionException e) {
            done.completeExceptionally(new BackingStoreException(BackingStoreException.Kind.UNAVAILABLE,
                    "the memory backend is stopping"));
        }
        return done;
    }
}
