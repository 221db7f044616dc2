package io.jtgt.scsi.testing;

import io.jtgt.scsi.spi.BackingStore;
import io.jtgt.scsi.spi.BackingStoreException;
import io.jtgt.scsi.spi.BackingStoreProvider;
import io.jtgt.scsi.spi.Capabilities;
import io.jtgt.scsi.spi.StorageConfig;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Opens MemoryBackingStores of {@code deviceSize} bytes. A location starting with "missing"
 * fails like a bad path; {@link #hold} makes opens wait until {@link #release}.
 */
public final class MemoryProvider implements BackingStoreProvider {

    private final String type;
    private final Capabilities capabilities;
    public final Map<Long, MemoryBackingStore> stores = new ConcurrentHashMap<>();
    /** The configuration each store was opened with, by deviceID. */
    public final Map<Long, StorageConfig> configs = new ConcurrentHashMap<>();
    private volatile CompletableFuture<Void> gate = CompletableFuture.completedFuture(null);

    public MemoryProvider(String type, Capabilities capabilities) {
        this.type = type;
        this.capabilities = capabilities;
    }

    @Override
    public String backendType() {
        return type;
    }

    public void hold() {
        gate = new CompletableFuture<>();
    }

    public void release() {
        gate.complete(null);
    }

    @Override
    public CompletableFuture<BackingStore> open(StorageConfig config) {
        if (config.location().startsWith("missing")) {
            return CompletableFuture.failedFuture(new BackingStoreException(BackingStoreException.Kind.UNAVAILABLE,
                    "no such file: " + config.location()));
        }
        return gate.thenApply(v -> {
            MemoryBackingStore s = new MemoryBackingStore((int) config.deviceSize(), config.blockSize(), capabilities);
            stores.put(config.deviceId(), s);
            configs.put(config.deviceId(), config);
            return s;
        });
    }
}
