package io.jtgt.itests.sample;

import io.jtgt.scsi.spi.BackingStore;
import io.jtgt.scsi.spi.BackingStoreProvider;
import io.jtgt.scsi.spi.StorageConfig;
import java.nio.file.Path;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;

/**
 * {@code backendType = memory}: each storage is a byte array, kept (by its {@code path}) for as long
 * as this provider lives, so a storage taken offline and online again finds its data; it is gone
 * when the bundle goes. Options: {@code latencyMs} delays the completion of every read and write by
 * that many milliseconds (on a timer, never blocking the caller) — a slow disk; {@code holdFile}
 * (an absolute path) holds every read and write for as long as that file exists, so that a test
 * can keep a command in flight exactly as long as it needs.
 */
public final class MemoryBackend implements BackingStoreProvider {

    public static final String TYPE = "memory";
    /** Largest storage this backend holds (it lives on the Java heap). */
    static final long MAX_SIZE = 256L << 20;

    private final Map<String, byte[]> disks = new ConcurrentHashMap<>();
    private final ScheduledExecutorService timer = Executors.newSingleThreadScheduledExecutor(r -> {
        Thread t = new Thread(r, "jtgt-sample-memory-timer");
        t.setDaemon(true);
        return t;
    });

    @Override
    public String backendType() {
        return TYPE;
    }

    @Override
    public CompletableFuture<BackingStore> open(StorageConfig config) {
        try {
            long size = config.deviceSize();
            if (size <= 0 || size > MAX_SIZE) {
                throw new IllegalArgumentException("storage " + config.deviceId() + ": deviceSize=" + size
                        + " must be 1.." + MAX_SIZE + " bytes for backendType memory");
            }
            long latencyMs = config.option("latencyMs").map(MemoryBackend::latency).orElse(0L);
            Path holdFile = config.option("holdFile").map(MemoryBackend::holdFile).orElse(null);
            byte[] disk = disks.compute(config.location(), (k, old) -> old != null && old.length == size ? old
                    : new byte[(int) size]);
            return CompletableFuture.completedFuture(new MemoryStore(disk, latencyMs, holdFile, timer));
        } catch (IllegalArgumentException e) {
            return CompletableFuture.failedFuture(e);
        }
    }

    private static long latency(String value) {
        try {
            long ms = Long.parseLong(value.trim());
            if (ms >= 0 && ms <= 60_000) {
                return ms;
            }
        } catch (NumberFormatException e) {
            // named below
        }
        throw new IllegalArgumentException("latencyMs=" + value + " is not a number of milliseconds (0..60000)");
    }

    private static Path holdFile(String value) {
        Path path = Path.of(value.trim());
        if (!path.isAbsolute()) {
            throw new IllegalArgumentException("holdFile=" + value + " is not an absolute path");
        }
        return path;
    }

    /**
     * Stops the timer once what it has scheduled has run: I/O in flight still completes (the
     * SPI's promise; dropping it would leave its command unanswered), new I/O fails.
     */
    public void close() {
        timer.shutdown();
    }
}
