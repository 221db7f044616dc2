package io.jtgt.backend.file;

import io.jtgt.numa.NumaPlacement;
import io.jtgt.scsi.spi.BackingStore;
import io.jtgt.scsi.spi.BackingStoreException;
import io.jtgt.scsi.spi.BackingStoreException.Kind;
import io.jtgt.scsi.spi.BackingStoreProvider;
import io.jtgt.scsi.spi.StorageConfig;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Opens flat image files ({@code backendType=file}). Owns the bounded pool of I/O threads
 * ({@code jtgt-file-io-N}) on which every blocking file call of its stores runs.
 *
 * <p>Plain Java: {@code new FileBackingStoreProvider()} for embedding and tests; the OSGi
 * component only registers and closes one.
 */
public final class FileBackingStoreProvider implements BackingStoreProvider, AutoCloseable {

    private static final Logger LOG = LoggerFactory.getLogger(FileBackingStoreProvider.class);

    public static final String BACKEND_TYPE_FILE = "file";

    /**
     * One I/O thread per core, between 2 and 16: enough to keep a page-cache copy running on every
     * core. More threads cost more than they give: a command queued while a thread is parked wakes
     * it (futex, context switch), so with idle threads to spare nearly every I/O pays a wake-up,
     * while a few busy ones take the next command from the queue without sleeping. bench/run.sh on
     * 2 cores, 4 KiB writes at depth 32: 2 threads 1.36x tgt's IOPS at 0.71x its CPU per I/O,
     * 4 threads 1.25x at 0.82x; at QD 1, 0.91x against 0.96x of tgt's CPU per read. (16 threads
     * had spent 1.0-1.8x the CPU per 4 KiB I/O of 4.)
     * Storage that needs many blocking waits in flight (slow disks) raises {@code fileIoThreads}
     * or uses the iouring backend. Idle threads time out, so an unused provider holds none.
     */
    public static final int DEFAULT_IO_THREADS = Math.min(16, Math.max(2, Runtime.getRuntime().availableProcessors()));
    /** Upper bound of {@code fileIoThreads}. */
    public static final int MAX_IO_THREADS = 1024;
    /** The {@code io.jtgt.performance} key that sizes the I/O threads. */
    public static final String IO_THREADS_KEY = "fileIoThreads";

    private static final long CLOSE_TIMEOUT_SECONDS = 30;
    private static final long IDLE_TIMEOUT_SECONDS = 60;

    private final FileIoPool pool;
    private final BackingFileOpener opener;
    private volatile int ioThreads;
    private final NumaPlacement numa;
    /** With NUMA active: one pool per node, its threads pinned to the node (storages with numaNode). */
    private final java.util.Map<Integer, FileIoPool> nodePools = new ConcurrentHashMap<>();
    private final Set<FileBackingStore> openStores = ConcurrentHashMap.newKeySet();
    private volatile boolean closed;

    public FileBackingStoreProvider() {
        this(DEFAULT_IO_THREADS);
    }

    public FileBackingStoreProvider(int ioThreads) {
        this(ioThreads, NumaPlacement.inactive());
    }

    /**
     * A provider whose storages with {@code enableNUMA}/{@code numaNode} run their I/O on threads
     * pinned to that node (when {@code numa} is active).
     */
    public FileBackingStoreProvider(int ioThreads, NumaPlacement numa) {
        this(ioThreads, LinuxFileCalls.load(), numa);
    }

    /** For tests: {@code linux} empty behaves as a platform without JNA/libc. */
    FileBackingStoreProvider(int ioThreads, Optional<LinuxFileCalls> linux) {
        this(ioThreads, linux, NumaPlacement.inactive());
    }

    FileBackingStoreProvider(int ioThreads, Optional<LinuxFileCalls> linux, NumaPlacement numa) {
        requireIoThreads(ioThreads);
        this.pool = newPool(ioThreads, new NamedThreadFactory("jtgt-file-io"));
        this.opener = new BackingFileOpener(linux, pool);
        this.ioThreads = ioThreads;
        this.numa = numa;
    }

    @Override
    public String backendType() {
        return BACKEND_TYPE_FILE;
    }

    @Override
    public CompletableFuture<BackingStore> open(StorageConfig config) {
        CompletableFuture<BackingStore> result = new CompletableFuture<>();
        if (closed) {
            result.completeExceptionally(new BackingStoreException(Kind.UNAVAILABLE, "file backend is shut down"));
            return result;
        }
        java.util.concurrent.Executor io;
        boolean onNode;
        try {
            int node = numa.storageNode(config.deviceId(), config.options());
            onNode = node >= 0;
            io = onNode ? nodePool(node) : pool;
        } catch (IllegalArgumentException e) {
            result.completeExceptionally(e); // numaNode names no node here
            return result;
        }
        try {
            pool.execute(() -> {
                try {
                    FileBackingStore store = opener.open(config, openStores::remove, io);
                    if (onNode) {
                        store.readsOnPoolOnly(); // all of a placed storage's I/O stays on its node's threads
                    }
                    openStores.add(store);
                    if (closed) { // lost a race with close(): do not leak the store
                        store.close();
                        result.completeExceptionally(
                                new BackingStoreException(Kind.UNAVAILABLE, "file backend is shut down"));
                    } else {
                        result.complete(store);
                    }
                } catch (IllegalArgumentException e) {
                    result.completeExceptionally(e); // a configuration error, already naming the field
                } catch (Throwable t) {
                    result.completeExceptionally(IoErrors.classify(t, Kind.UNAVAILABLE,
                            java.nio.file.Path.of(String.valueOf(config.location())), "open"));
                }
            });
        } catch (RejectedExecutionException e) {
            result.completeExceptionally(new BackingStoreException(Kind.UNAVAILABLE, "file backend is shut down", e));
        }
        return result;
    }

    /**
     * {@code fileIoThreads} as Config Admin hands it over: a number or numeric string in range.
     * Absent or anything else keeps the default (the gotgt JSON importer refuses both).
     */
    public static int ioThreadsSetting(Object raw) {
        try {
            int n = raw instanceof Number number ? number.intValue()
                    : raw != null ? Integer.parseInt(raw.toString().trim()) : DEFAULT_IO_THREADS;
            if (n >= 1 && n <= MAX_IO_THREADS) {
                return n;
            }
        } catch (NumberFormatException ignored) {
            // the default, as for a value out of range
        }
        return DEFAULT_IO_THREADS;
    }

    private static void requireIoThreads(int ioThreads) {
        if (ioThreads < 1 || ioThreads > MAX_IO_THREADS) {
            throw new IllegalArgumentException("fileIoThreads must be 1.." + MAX_IO_THREADS + ", was " + ioThreads);
        }
    }

    int ioThreads() {
        return ioThreads;
    }

    /**
     * Sets the I/O threads of every pool, live: open stores keep serving, queued I/O stays queued;
     * threads beyond a smaller count leave once their current I/O is done.
     */
    public void ioThreads(int count) {
        requireIoThreads(count);
        synchronized (nodePools) {
            ioThreads = count;
            pool.resize(count);
            nodePools.values().forEach(p -> p.resize(count));
        }
    }

    private static FileIoPool newPool(int threads, java.util.concurrent.ThreadFactory factory) {
        return new FileIoPool(threads, IDLE_TIMEOUT_SECONDS, TimeUnit.SECONDS, factory);
    }

    private FileIoPool nodePool(int node) {
        synchronized (nodePools) { // a resize either sees this pool or this pool sees its count
            return nodePools.computeIfAbsent(node, n -> newPool(ioThreads, numa.threadFactory("jtgt-file-io", n)));
        }
    }

    /**
     * Closes every store still open (after its in-flight I/O) and stops the I/O threads. Blocks
     * for at most about a minute. Never interrupts I/O threads: an interrupt closes a FileChannel
     * for every user of it.
     */
    @Override
    public void close() {
        if (closed) {
            return;
        }
        closed = true;
        List<CompletableFuture<Void>> closing = openStores.stream().map(FileBackingStore::close).toList();
        try {
            CompletableFuture.allOf(closing.toArray(CompletableFuture[]::new))
                    .get(CLOSE_TIMEOUT_SECONDS, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        } catch (Exception e) {
            LOG.warn("Not every file store closed cleanly: {}", e.toString());
        }
        nodePools.values().forEach(FileIoPool::shutdown);
        pool.shutdown();
        try {
            if (!pool.awaitTermination(CLOSE_TIMEOUT_SECONDS, TimeUnit.SECONDS)) {
                LOG.warn("File I/O threads still busy after {} s; leaving them to finish", CLOSE_TIMEOUT_SECONDS);
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
