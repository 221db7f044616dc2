package io.jtgt.backend.iouring;

import io.jtgt.backend.file.FileBackingStoreProvider;
import io.jtgt.numa.NumaPlacement;
import io.jtgt.scsi.spi.BackingStore;
import io.jtgt.scsi.spi.BackingStoreException;
import io.jtgt.scsi.spi.BackingStoreException.Kind;
import io.jtgt.scsi.spi.BackingStoreProvider;
import io.jtgt.scsi.spi.StorageConfig;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufAllocator;
import io.netty.buffer.PooledByteBufAllocator;
import io.netty.channel.IoEventLoop;
import io.netty.channel.MultiThreadIoEventLoopGroup;
import io.netty.channel.uring.IoUringIoHandler;
import io.netty.channel.uring.IoUringIoHandlerConfig;
import io.netty.util.concurrent.DefaultThreadFactory;
import io.netty.util.concurrent.EventExecutor;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Opens image files with {@code backendType=iouring}: I/O through io_uring rings (Netty's
 * io_uring event loops, {@code jtgt-iouring-N}), or, where io_uring is unusable (kernel too old,
 * {@code kernel.io_uring_disabled}, seccomp, native library missing), the file backend's I/O: a
 * {@link FileBackingStoreProvider} of its own opens the same images, with the same thin provisioning,
 * FUA and flush semantics — decided once, announced in one log line.
 *
 * <p>Plain Java: {@code new IoUringBackingStoreProvider()} for embedding and tests; the OSGi
 * component only registers and closes one.
 */
public final class IoUringBackingStoreProvider implements BackingStoreProvider, AutoCloseable {

    private static final Logger LOG = LoggerFactory.getLogger(IoUringBackingStoreProvider.class);

    public static final String BACKEND_TYPE_IOURING = "iouring";
    /** The seed's default {@code ioUringQueueDepth}. */
    public static final int DEFAULT_QUEUE_DEPTH = 4096;

    private static final int AT_FDCWD = -100;
    private static final int O_RDONLY = 0;
    private static final int O_RDWR = 2;
    private static final int O_DIRECT = 0x4000;
    private static final int O_CLOEXEC = 0x80000;
    private static final int FILE_MODE = 0644;
    private static final int FALLOCATE_ALLOCATE = 0; // mode 0: allocate blocks, extend if needed
    private static final long CLOSE_TIMEOUT_SECONDS = 30;

    private final int defaultQueueDepth;
    private final MultiThreadIoEventLoopGroup group; // null: io_uring unusable, see fallback
    private final FileBackingStoreProvider fallback; // null: io_uring in use
    private final List<IoEventLoop> loops = new ArrayList<>();
    private final ThreadPoolExecutor blocking;
    private final ByteBufAllocator allocator = PooledByteBufAllocator.DEFAULT;
    private final NumaPlacement numa;
    private final int ringsPerGroup;
    private final IoUringIoHandlerConfig ringConfig;
    /** With NUMA active: rings whose threads are pinned to a node, for storages with numaNode. */
    private final java.util.Map<Integer, NodeRings> nodeRings = new ConcurrentHashMap<>();

    private record NodeRings(MultiThreadIoEventLoopGroup group, List<IoEventLoop> loops) {
    }
    private final Set<BackingStore> openStores = ConcurrentHashMap.newKeySet();
    private volatile boolean closed;

    /** Queue depth 4096, one ring per core up to two. */
    public IoUringBackingStoreProvider() {
        this(DEFAULT_QUEUE_DEPTH, defaultRings());
    }

    /**
     * @param defaultQueueDepth {@code ioUringQueueDepth} for storages that do not set their own
     *     (the {@code performance} value); also sizes the rings
     * @param rings number of rings (event-loop threads); more than one spreads large buffered copies
     */
    public IoUringBackingStoreProvider(int defaultQueueDepth, int rings) {
        this(defaultQueueDepth, rings, NumaPlacement.inactive());
    }

    /**
     * A provider whose storages with {@code enableNUMA}/{@code numaNode} get rings of their own,
     * their threads pinned to that node, and bounce buffers from the node's pool (when {@code numa}
     * is active).
     */
    public IoUringBackingStoreProvider(int defaultQueueDepth, int rings, NumaPlacement numa) {
        this(defaultQueueDepth, rings, numa, FileBackingStoreProvider.DEFAULT_IO_THREADS);
    }

    /** @param fallbackIoThreads {@code fileIoThreads} of the file backend's I/O, used where io_uring is unusable */
    public IoUringBackingStoreProvider(int defaultQueueDepth, int rings, NumaPlacement numa, int fallbackIoThreads) {
        this(defaultQueueDepth, rings, IoUringAvailability.unusableReason(), numa, fallbackIoThreads);
    }

    /** For tests: {@code unusable} present forces the fallback to the file backend's I/O. */
    IoUringBackingStoreProvider(int defaultQueueDepth, int rings, Optional<String> unusable) {
        this(defaultQueueDepth, rings, unusable, NumaPlacement.inactive(), FileBackingStoreProvider.DEFAULT_IO_THREADS);
    }

    IoUringBackingStoreProvider(int defaultQueueDepth, int rings, Optional<String> unusable, NumaPlacement numa) {
        this(defaultQueueDepth, rings, unusable, numa, FileBackingStoreProvider.DEFAULT_IO_THREADS);
    }

    private IoUringBackingStoreProvider(int defaultQueueDepth, int rings, Optional<String> unusable, NumaPlacement numa,
            int fallbackIoThreads) {
        if (defaultQueueDepth < 1) {
            throw new IllegalArgumentException("ioUringQueueDepth must be at least 1, was " + defaultQueueDepth);
        }
        if (rings < 1) {
            throw new IllegalArgumentException("rings must be at least 1, was " + rings);
        }
        this.defaultQueueDepth = Math.min(defaultQueueDepth, StoreOptions.MAX_QUEUE_DEPTH);
        this.numa = numa;
        this.ringsPerGroup = rings;
        this.ringConfig = new IoUringIoHandlerConfig().setRingSize(powerOfTwoAtLeast(this.defaultQueueDepth));
        this.blocking = new ThreadPoolExecutor(16, 16, 60, TimeUnit.SECONDS, new LinkedBlockingQueue<>(),
                new DefaultThreadFactory("jtgt-iouring-blocking", true));
        this.blocking.allowCoreThreadTimeOut(true);
        MultiThreadIoEventLoopGroup created = null;
        String reason = unusable.orElse(null);
        if (reason == null) {
            try {
                created = new MultiThreadIoEventLoopGroup(rings, new DefaultThreadFactory("jtgt-iouring", true),
                        IoUringIoHandler.newFactory(ringConfig));
                for (EventExecutor executor : created) {
                    loops.add((IoEventLoop) executor);
                }
            } catch (Throwable t) { // ring setup refused (EPERM, ENOMEM for locked memory, ...)
                reason = "io_uring ring setup failed: " + t;
                if (created != null) {
                    created.shutdownGracefully(0, 1, TimeUnit.SECONDS);
                    created = null;
                }
                loops.clear();
            }
        }
        this.group = created;
        if (group == null) {
            this.fallback = new FileBackingStoreProvider(fallbackIoThreads, numa);
            LOG.warn("backendType=iouring falls back to the file backend's I/O: {}", reason);
        } else {
            this.fallback = null;
            LOG.info("backendType=iouring: {} io_uring rings, default queue depth {}", rings, this.defaultQueueDepth);
        }
    }

    /** One ring per core, at most two (a ring thread per core is the most a 2-core box can use). */
    public static int defaultRings() {
        return Math.max(1, Math.min(2, Runtime.getRuntime().availableProcessors()));
    }

    /** True when stores use io_uring, false when this provider fell back to the file backend's I/O. */
    public boolean usesIoUring() {
        return group != null;
    }

    @Override
    public String backendType() {
        return BACKEND_TYPE_IOURING;
    }

    @Override
    public CompletableFuture<BackingStore> open(StorageConfig config) {
        if (closed) {
            return CompletableFuture.failedFuture(new BackingStoreException(Kind.UNAVAILABLE, "iouring backend is shut down"));
        }
        StoreOptions options;
        int node;
        try {
            options = StoreOptions.of(config, defaultQueueDepth);
            node = numa.storageNode(config.deviceId(), config.options());
        } catch (IllegalArgumentException e) {
            return CompletableFuture.failedFuture(e);
        }
        if (fallback != null) {
            return fallback.open(asFileStorage(config, options));
        }
        CompletableFuture<BackingStore> result = new CompletableFuture<>();
        CompletableFuture.supplyAsync(() -> prepare(config, options.path()), blocking)
                .thenCompose(prepared -> openOnRing(config, options, prepared, node))
                .whenComplete((store, failure) -> {
                    if (failure == null) {
                        openStores.add(store);
                        if (closed) { // lost a race with close(): do not leak the store
                            store.close();
                            result.completeExceptionally(new BackingStoreException(Kind.UNAVAILABLE, "iouring backend is shut down"));
                        } else {
                            result.complete(store);
                        }
                        return;
                    }
                    Throwable cause = unwrap(failure);
                    if (cause instanceof IllegalArgumentException) {
                        result.completeExceptionally(cause); // configuration error naming the field
                    } else {
                        result.completeExceptionally(IoErrors.classify(cause, Kind.UNAVAILABLE, options.path(), "open"));
                    }
                });
        return result;
    }

    private record Prepared(long size, boolean created) {
    }

    private static Prepared prepare(StorageConfig config, Path path) {
        try {
            boolean existed = Files.exists(path);
            return new Prepared(ImageFiles.prepare(config, path), !existed);
        } catch (java.io.IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
    }

    /** The rings of {@code node} (created at first use, threads pinned there); the shared ones for -1. */
    private List<IoEventLoop> loopsOf(int node) {
        if (node < 0) {
            return loops;
        }
        return nodeRings.computeIfAbsent(node, n -> {
            int count = Math.max(1, Math.min(ringsPerGroup, numa.topology().node(n).orElseThrow().cpus().length));
            MultiThreadIoEventLoopGroup g = new MultiThreadIoEventLoopGroup(count, numa.threadFactory("jtgt-iouring", n),
                    IoUringIoHandler.newFactory(ringConfig));
            List<IoEventLoop> l = new ArrayList<>();
            for (EventExecutor executor : g) {
                l.add((IoEventLoop) executor);
            }
            LOG.info("backendType=iouring: {} io_uring rings pinned to NUMA node {}", count, n);
            return new NodeRings(g, List.copyOf(l));
        }).loops();
    }

    private CompletableFuture<BackingStore> openOnRing(StorageConfig config, StoreOptions options, Prepared prepared,
            int node) {
        List<CompletableFuture<RingFile>> registering = new ArrayList<>();
        for (IoEventLoop loop : loopsOf(node)) {
            registering.add(RingFile.register(loop, options.queueDepth()));
        }
        return CompletableFuture.allOf(registering.toArray(CompletableFuture[]::new)).thenCompose(v -> {
            RingFile[] rings = registering.stream().map(CompletableFuture::join).toArray(RingFile[]::new);
            return openat(rings[0], options.path(), config.readOnly(), options.direct())
                    .handle((fd, failure) -> {
                        if (failure != null && options.direct() && isEinval(failure)) {
                            // tmpfs and some FUSE filesystems refuse O_DIRECT: serve buffered instead.
                            LOG.warn("storage {}: {} refuses O_DIRECT; using buffered I/O", config.deviceId(), options.path());
                            return openat(rings[0], options.path(), config.readOnly(), false)
                                    .thenApply(plainFd -> new int[] {plainFd, 0});
                        }
                        if (failure != null) {
                            for (RingFile ring : rings) {
                                ring.closeOnLoop();
                            }
                            return CompletableFuture.<int[]>failedFuture(failure);
                        }
                        return CompletableFuture.completedFuture(new int[] {fd, options.direct() ? 1 : 0});
                    })
                    .thenCompose(f -> f)
                    .thenCompose(fdAndDirect -> finishOpen(config, options, prepared, rings, fdAndDirect[0], fdAndDirect[1] == 1,
                            numa.allocator(node), node < 0)
                            .whenComplete((store, failure) -> {
                                if (failure != null) { // e.g. preallocation refused: leave nothing open
                                    FutureOp closeOp = new FutureOp(RingOp.OP_CLOSE, fdAndDirect[0], 0, 0, 0, 0);
                                    rings[0].submit(closeOp);
                                    closeOp.result.whenComplete((r, e) -> {
                                        for (RingFile ring : rings) {
                                            ring.closeOnLoop();
                                        }
                                    });
                                }
                            }));
        });
    }

    private CompletableFuture<BackingStore> finishOpen(StorageConfig config, StoreOptions options, Prepared prepared,
            RingFile[] rings, int fd, boolean direct, ByteBufAllocator bounceAllocator, boolean onCallerLoops) {
        boolean writable = !config.readOnly();
        CompletableFuture<Integer> allocated = CompletableFuture.completedFuture(0);
        if (writable && prepared.created() && !config.thinProvisioning()) {
            FutureOp allocate = new FutureOp(RingOp.OP_FALLOCATE, fd, 0, prepared.size(), FALLOCATE_ALLOCATE, 0);
            rings[0].submit(allocate); // a thick LUN gets its blocks now, not at the first write
            allocated = allocate.result;
        }
        return allocated.thenCompose(v -> {
            if (!writable || !config.thinProvisioning()) {
                return CompletableFuture.completedFuture(false);
            }
            // Probe hole punching past the end (KEEP_SIZE: no data touched) — the filesystem decides.
            return IoUringBackingStore.punchHole(rings[0], fd, prepared.size(), config.blockSize())
                    .handle((r, failure) -> failure == null);
        }).thenApply(canUnmap -> {
            IoUringBackingStore store = new IoUringBackingStore(options.path(), fd, rings, options.queueDepth(), direct, config.readOnly(),
                    prepared.size(), canUnmap, bounceAllocator, onCallerLoops, openStores::remove);
            LOG.info("storage {}: opened {} through io_uring (queue depth {}{}, unmap {})", config.deviceId(),
                    options.path(), options.queueDepth(), direct ? ", O_DIRECT" : "", canUnmap ? "on" : "off");
            return store;
        });
    }

    /** IORING_OP_OPENAT (never FileDescriptor.from, which opens with O_TRUNC). */
    private CompletableFuture<Integer> openat(RingFile ring, Path path, boolean readOnly, boolean direct) {
        byte[] name = path.toAbsolutePath().toString().getBytes(StandardCharsets.UTF_8);
        ByteBuf cString = allocator.directBuffer(name.length + 1);
        cString.writeBytes(name).writeByte(0);
        int flags = (readOnly ? O_RDONLY : O_RDWR) | O_CLOEXEC | (direct ? O_DIRECT : 0);
        FutureOp op = new FutureOp(RingOp.OP_OPENAT, AT_FDCWD, 0, cString.memoryAddress() + cString.readerIndex(),
                FILE_MODE, flags);
        op.owned = cString;
        ring.submit(op);
        return op.result.whenComplete((fd, failure) -> cString.release());
    }

    /**
     * The storage as the file backend sees it: its own type, without the ring's options (which the
     * file backend would only report as having no effect).
     */
    private static StorageConfig asFileStorage(StorageConfig config, StoreOptions options) {
        if (options.direct()) {
            LOG.warn("storage {}: direct (O_DIRECT) needs io_uring here; {} is served buffered by the file backend",
                    config.deviceId(), options.path());
        }
        Map<String, String> fileOptions = new HashMap<>(config.options());
        fileOptions.remove(StoreOptions.QUEUE_DEPTH);
        fileOptions.remove(StoreOptions.DIRECT);
        return new StorageConfig(config.deviceId(), FileBackingStoreProvider.BACKEND_TYPE_FILE, config.location(),
                config.deviceSize(), config.blockSize(), config.thinProvisioning(), config.readOnly(), fileOptions);
    }

    private static boolean isEinval(Throwable failure) {
        Throwable t = unwrap(failure);
        return t instanceof ErrnoException && ((ErrnoException) t).errno() == ErrnoException.EINVAL;
    }

    private static Throwable unwrap(Throwable t) {
        while ((t instanceof java.util.concurrent.CompletionException || t instanceof java.io.UncheckedIOException)
                && t.getCause() != null) {
            t = t.getCause();
        }
        return t;
    }

    static int powerOfTwoAtLeast(int n) {
        int p = 1;
        while (p < n && p < (1 << 15)) {
            p <<= 1;
        }
        return p;
    }

    /** Closes every open store (after its in-flight I/O), then the rings and threads. Blocks for at most about a minute. */
    @Override
    public void close() {
        if (closed) {
            return;
        }
        closed = true;
        List<CompletableFuture<Void>> closing = openStores.stream().map(BackingStore::close).toList();
        try {
            CompletableFuture.allOf(closing.toArray(CompletableFuture[]::new)).get(CLOSE_TIMEOUT_SECONDS, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        } catch (Exception e) {
            LOG.warn("Not every iouring store closed cleanly: {}", e.toString());
        }
        for (NodeRings n : nodeRings.values()) {
            n.group().shutdownGracefully(0, 5, TimeUnit.SECONDS).awaitUninterruptibly(CLOSE_TIMEOUT_SECONDS, TimeUnit.SECONDS);
        }
        if (group != null) {
            group.shutdownGracefully(0, 5, TimeUnit.SECONDS).awaitUninterruptibly(CLOSE_TIMEOUT_SECONDS, TimeUnit.SECONDS);
        }
        if (fallback != null) {
            fallback.close(); // closes its stores after their in-flight I/O, like the rings above
        }
        blocking.shutdown();
    }
}
