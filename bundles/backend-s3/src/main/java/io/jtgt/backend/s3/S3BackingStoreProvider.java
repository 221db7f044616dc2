package io.jtgt.backend.s3;

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
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import software.amazon.awssdk.auth.credentials.AwsCredentialsProvider;
import software.amazon.awssdk.services.s3.S3Client;

/**
 * Opens S3-backed devices ({@code backendType=s3}, {@code path s3:bucket/prefix}).
 *
 * <p>Each store gets its own S3 client (endpoint, region and credentials are per storage) and its
 * own pool of {@code s3MaxConcurrency} threads, which is the bound on its requests in flight.
 * Opening reads (or, for a new device, writes) the geometry object, which also proves that the
 * bucket exists and the credentials work: a failure there fails the open with one message naming
 * the storage and the cause, and the LUN stays offline.
 *
 * <p>Plain Java: {@code new S3BackingStoreProvider()}; the OSGi component only registers it.
 */
public final class S3BackingStoreProvider implements BackingStoreProvider, AutoCloseable {

    private static final Logger LOG = LoggerFactory.getLogger(S3BackingStoreProvider.class);

    public static final String BACKEND_TYPE_S3 = "s3";

    private static final long CLOSE_TIMEOUT_SECONDS = 30;

    private final Set<S3BackingStore> openStores = ConcurrentHashMap.newKeySet();
    private volatile boolean closed;

    @Override
    public String backendType() {
        return BACKEND_TYPE_S3;
    }

    @Override
    public CompletableFuture<BackingStore> open(StorageConfig config) {
        if (closed) {
            return CompletableFuture.failedFuture(new BackingStoreException(Kind.UNAVAILABLE, "s3 backend is shut down"));
        }
        S3StorageOptions options;
        try {
            options = S3StorageOptions.from(config);
        } catch (IllegalArgumentException e) {
            return CompletableFuture.failedFuture(e);
        }
        ThreadPoolExecutor pool = new ThreadPoolExecutor(options.maxConcurrency(), options.maxConcurrency(),
                30, TimeUnit.SECONDS, new LinkedBlockingQueue<>(),
                new NamedThreadFactory("jtgt-s3-" + config.deviceId()));
        pool.allowCoreThreadTimeOut(true); // an idle LUN holds no threads
        CompletableFuture<BackingStore> result = new CompletableFuture<>();
        try {
            // on the store's pool: building the client may consult the region chain (instance
            // metadata lookups with their own timeouts), which must not hold the caller
            pool.execute(() -> openOnPool(config, options, pool, result));
        } catch (RejectedExecutionException e) {
            result.completeExceptionally(new BackingStoreException(Kind.UNAVAILABLE, "s3 backend is shut down", e));
        }
        return result;
    }

    private void openOnPool(StorageConfig config, S3StorageOptions options, ThreadPoolExecutor pool,
            CompletableFuture<BackingStore> result) {
        S3Client client;
        try {
            AwsCredentialsProvider credentials = S3ClientFactory.credentials(options);
            try {
                credentials.resolveCredentials(); // a missing profile or empty chain fails here, named as such
            } catch (RuntimeException e) {
                throw S3Failures.noCredentials(e, options);
            }
            client = S3ClientFactory.create(options, credentials);
        } catch (Throwable t) {
            pool.shutdown();
            result.completeExceptionally(S3Failures.openFailure(t, options));
            return;
        }
        try {
            ChunkObjects objects = new ChunkObjects(client, options);
            Geometry geometry = settleGeometry(objects, options, config);
            ChunkMap map = ChunkMap.list(objects, geometry.chunkCount()); // one LIST per 1000 chunks written
            S3BackingStore store = new S3BackingStore(options, geometry, map, config.readOnly(), client, pool,
                    openStores::remove);
            openStores.add(store);
            if (closed) { // lost a race with close(): do not leak the store
                store.close();
                result.completeExceptionally(new BackingStoreException(Kind.UNAVAILABLE, "s3 backend is shut down"));
            } else {
                LOG.debug("Opened {}", store);
                result.complete(store);
            }
        } catch (Throwable t) {
            client.close();
            pool.shutdown();
            result.completeExceptionally(t instanceof IllegalArgumentException ? t : S3Failures.openFailure(t, options));
        }
    }

    /**
     * The geometry to serve: the recorded one (checked against the configuration), or a new one
     * written for a device that does not exist yet.
     */
    static Geometry settleGeometry(ChunkObjects objects, S3StorageOptions options, StorageConfig config) {
        String where = "storage " + config.deviceId() + " (" + options.describe() + ")";
        Geometry recorded = objects.readGeometry();
        if (recorded == null) {
            if (config.readOnly()) {
                throw new IllegalArgumentException("path: " + where + " does not exist and the storage is read-only");
            }
            if (config.deviceSize() <= 0) {
                throw new IllegalArgumentException("deviceSize: required to create " + where
                        + " (no device geometry found under the prefix)");
            }
            if (config.deviceSize() % config.blockSize() != 0) {
                throw new IllegalArgumentException("deviceSize: " + config.deviceSize()
                        + " is not a multiple of the block size " + config.blockSize());
            }
            Geometry created = new Geometry(config.deviceSize(), options.chunkSize(), config.blockSize());
            objects.writeGeometry(created);
            LOG.info("Created {}: {} bytes in chunks of {} bytes", where, created.size(), created.chunkSize());
            return created;
        }
        if (options.chunkSizeExplicit() && recorded.chunkSize() != options.chunkSize()) {
            throw new IllegalArgumentException("s3ChunkSize: " + where + " was created with chunks of "
                    + recorded.chunkSize() + " bytes, configured " + options.chunkSize()
                    + "; refusing to open (every chunk would be read at the wrong offset)");
        }
        if (recorded.blockSize() != config.blockSize()) {
            throw new IllegalArgumentException("blockShift: " + where + " was created with blocks of "
                    + recorded.blockSize() + " bytes, configured " + config.blockSize() + "; refusing to open");
        }
        if (config.deviceSize() > 0 && config.deviceSize() < recorded.size()) {
            throw new IllegalArgumentException("deviceSize: " + where + " holds " + recorded.size()
                    + " bytes, configured " + config.deviceSize() + "; shrinking is refused (data would be cut)");
        }
        if (config.deviceSize() > recorded.size() && !config.readOnly()) {
            if (config.deviceSize() % recorded.blockSize() != 0) {
                throw new IllegalArgumentException("deviceSize: " + config.deviceSize()
                        + " is not a multiple of the block size " + recorded.blockSize());
            }
            Geometry grown = new Geometry(config.deviceSize(), recorded.chunkSize(), recorded.blockSize());
            objects.writeGeometry(grown);
            LOG.info("Grew {} from {} to {} bytes", where, recorded.size(), grown.size());
            return grown;
        }
        return recorded; // an unset s3ChunkSize adopts the recorded one
    }

    /** Closes every store still open (after its in-flight requests), waiting a bounded time. */
    @Override
    public void close() {
        if (closed) {
            return;
        }
        closed = true;
        List<CompletableFuture<Void>> closing = openStores.stream().map(S3BackingStore::close).toList();
        try {
            CompletableFuture.allOf(closing.toArray(CompletableFuture[]::new)).get(CLOSE_TIMEOUT_SECONDS, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        } catch (Exception e) {
            LOG.warn("Not every S3 store closed cleanly: {}", e.toString());
        }
    }
}
