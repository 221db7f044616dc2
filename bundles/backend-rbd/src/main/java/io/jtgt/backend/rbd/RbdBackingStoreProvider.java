package io.jtgt.backend.rbd;

import io.jtgt.scsi.spi.BackingStore;
import io.jtgt.scsi.spi.BackingStoreException;
import io.jtgt.scsi.spi.BackingStoreException.Kind;
import io.jtgt.scsi.spi.BackingStoreProvider;
import io.jtgt.scsi.spi.StorageConfig;
import java.util.List;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ThreadFactory;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Opens Ceph RBD images ({@code backendType=ceph-rbd}; {@code path} {@code ceph-rbd:pool/image} or
 * {@code rbd:pool/image}, options in {@link RbdSettings}).
 *
 * <p>librbd/librados are loaded on the first open, not when the provider is created: on a machine
 * without them (Debian packages librbd1, librados2) the provider still exists, every open fails
 * with UNAVAILABLE (the LUN stays offline) and one clear line is logged.
 *
 * <p>Connecting and opening block (bounded by the cluster timeouts), so they run on a few
 * {@code jtgt-rbd-N} threads, as do closes and size refreshes; I/O itself never occupies a thread.
 * An open the cluster did not answer is retried until it does (see {@link #retryLater}).
 */
public final class RbdBackingStoreProvider implements BackingStoreProvider, AutoCloseable {

    private static final Logger LOG = LoggerFactory.getLogger(RbdBackingStoreProvider.class);

    public static final String BACKEND_TYPE_RBD = "ceph-rbd";

    private static final int BLOCKING_THREADS = 4;
    private static final long CLOSE_TIMEOUT_SECONDS = 60;
    static final long MAX_RETRY_DELAY_MILLIS = 30_000;

    private final ThreadPoolExecutor blocking;
    private final Set<RbdBackingStore> openStores = ConcurrentHashMap.newKeySet();
    /** Opens waiting to be retried because the cluster did not answer. */
    private final Set<CompletableFuture<BackingStore>> pendingOpens = ConcurrentHashMap.newKeySet();
    private final java.util.function.Supplier<LibRbd> loader;
    private volatile LibRbd lib;
    private volatile boolean missingLibraryLogged;
    private volatile boolean closed;

    public RbdBackingStoreProvider() {
        this(LibRbd::load);
    }

    /** For tests: {@code loader} stands in for loading librbd (e.g. failing as on a machine without it). */
    RbdBackingStoreProvider(java.util.function.Supplier<LibRbd> loader) {
        this.loader = loader;
        AtomicInteger n = new AtomicInteger();
        ThreadFactory threads = r -> {
            Thread t = new Thread(r, "jtgt-rbd-" + n.incrementAndGet());
            t.setDaemon(true);
            return t;
        };
        blocking = new ThreadPoolExecutor(BLOCKING_THREADS, BLOCKING_THREADS, 60, TimeUnit.SECONDS,
                new LinkedBlockingQueue<>(), threads);
        blocking.allowCoreThreadTimeOut(true);
    }

    @Override
    public String backendType() {
        return BACKEND_TYPE_RBD;
    }

    @Override
    public CompletableFuture<BackingStore> open(StorageConfig config) {
        CompletableFuture<BackingStore> result = new CompletableFuture<>();
        RbdSettings settings;
        try {
            settings = RbdSettings.from(config);
        } catch (IllegalArgumentException e) {
            result.completeExceptionally(e);
            return result;
        }
        if (closed) {
            result.completeExceptionally(new BackingStoreException(Kind.UNAVAILABLE, "rbd backend is shut down"));
            return result;
        }
        try {
            blocking.execute(() -> openNow(settings, result, 1));
        } catch (RejectedExecutionException e) {
            result.completeExceptionally(new BackingStoreException(Kind.UNAVAILABLE, "rbd backend is shut down", e));
        }
        return result;
    }

    private void openNow(RbdSettings settings, CompletableFuture<BackingStore> result, int attempt) {
        LibRbd library;
        RbdConnection connection;
        try {
            library = library();
            connection = RbdConnection.open(settings);
        } catch (ClusterUnreachableException e) {
            retryLater(settings, result, attempt, e);
            return;
        } catch (IllegalArgumentException | BackingStoreException e) {
            result.completeExceptionally(e);
            return;
        } catch (LinkageError e) { // librados/librbd absent or unusable
            result.completeExceptionally(missingLibrary(e));
            return;
        } catch (Throwable t) {
            result.completeExceptionally(new BackingStoreException(Kind.UNAVAILABLE,
                    "RBD " + settings.displayName() + ": open failed: " + t, t));
            return;
        }
        try {
            RbdBackingStore store = new RbdBackingStore(library, connection, settings.displayName(), blocking,
                    openStores::remove);
            openStores.add(store);
            if (closed) {
                store.close();
                result.completeExceptionally(new BackingStoreException(Kind.UNAVAILABLE, "rbd backend is shut down"));
            } else {
                if (attempt > 1) {
                    LOG.info("RBD {}: the cluster answers again, opened at attempt {}", settings.displayName(), attempt);
                }
                LOG.info("Opened RBD image {} ({} bytes)", settings.displayName(), store.size());
                if ("true".equalsIgnoreCase(settings.cephOptions().get("rbd_cache"))) {
                    LOG.warn("RBD {}: rbd_cache=true: librbd's write-back cache can report a flush as done although"
                            + " the write-back it waited for timed out on a failed OSD, losing acknowledged writes;"
                            + " keep rbd_cache=false (the default) unless the data is expendable",
                            settings.displayName());
                }
                result.complete(store);
            }
        } catch (Throwable t) {
            connection.close();
            result.completeExceptionally(t instanceof BackingStoreException b ? b
                    : new BackingStoreException(Kind.UNAVAILABLE, "RBD " + settings.displayName() + ": " + t, t));
        }
    }

    /**
     * The cluster did not answer (monitor or OSD down, frozen or restarting): the open stays
     * pending, so the LUN answers NOT READY, IN PROCESS OF BECOMING READY (04h/01h) instead of
     * failing for good, and is tried again after {@link #retryDelayMillis} until the cluster
     * answers or the provider closes. Each attempt itself is bounded by the librados timeouts.
     */
    private void retryLater(RbdSettings settings, CompletableFuture<BackingStore> result, int attempt,
            ClusterUnreachableException e) {
        long delay = retryDelayMillis(attempt);
        if (attempt == 1) {
            LOG.warn("{}; the LUN stays NOT READY (becoming ready), opening is retried every {} s at most"
                    + " until the cluster answers", e.getMessage(), MAX_RETRY_DELAY_MILLIS / 1000);
        } else {
            LOG.debug("RBD {}: attempt {} failed, next in {} ms: {}", settings.displayName(), attempt, delay,
                    e.getMessage());
        }
        pendingOpens.add(result);
        if (closed) { // close() may have run before the add: it must not stay pending
            failPendingOpens();
            return;
        }
        CompletableFuture.delayedExecutor(delay, TimeUnit.MILLISECONDS).execute(() -> {
            if (!pendingOpens.remove(result)) {
                return; // failed by close()
            }
            try {
                blocking.execute(() -> openNow(settings, result, attempt + 1));
            } catch (RejectedExecutionException rejected) {
                result.completeExceptionally(new BackingStoreException(Kind.UNAVAILABLE, "rbd backend is shut down",
                        rejected));
            }
        });
    }

    /** 1, 2, 4, 8, 16 s, then every 30 s. */
    static long retryDelayMillis(int attempt) {
        return Math.min(MAX_RETRY_DELAY_MILLIS, 1000L << Math.min(attempt - 1, 5));
    }

    private void failPendingOpens() {
        for (CompletableFuture<BackingStore> pending : List.copyOf(pendingOpens)) {
            if (pendingOpens.remove(pending)) {
                pending.completeExceptionally(new BackingStoreException(Kind.UNAVAILABLE, "rbd backend is shut down"));
            }
        }
    }

    /** The stores open now (for diagnostics and tests). */
    List<RbdBackingStore> openStores() {
        return List.copyOf(openStores);
    }

    private LibRbd library() {
        LibRbd loaded = lib;
        if (loaded == null) {
            loaded = loader.get();
            lib = loaded;
        }
        return loaded;
    }

    private BackingStoreException missingLibrary(Throwable cause) {
        String message = "Ceph client libraries librbd/librados are not usable on this machine "
                + "(install Debian packages librbd1 librados2); ceph-rbd LUNs stay offline: " + cause;
        if (!missingLibraryLogged) {
            missingLibraryLogged = true;
            LOG.error(message);
        }
        return new BackingStoreException(Kind.UNAVAILABLE, message, cause);
    }

    /** Closes every open store (after its in-flight I/O) and stops the threads; blocks up to a minute. */
    @Override
    public void close() {
        if (closed) {
            return;
        }
        closed = true;
        failPendingOpens();
        List<CompletableFuture<Void>> closing = openStores.stream().map(RbdBackingStore::close).toList();
        try {
            CompletableFuture.allOf(closing.toArray(CompletableFuture[]::new)).get(CLOSE_TIMEOUT_SECONDS,
                    TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        } catch (Exception e) {
            LOG.warn("Not every RBD image closed cleanly: {}", e.toString());
        }
        blocking.shutdown();
    }
}
