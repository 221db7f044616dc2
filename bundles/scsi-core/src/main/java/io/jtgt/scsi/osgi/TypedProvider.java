package io.jtgt.scsi.osgi;

import io.jtgt.scsi.spi.BackingStore;
import io.jtgt.scsi.spi.BackingStoreProvider;
import io.jtgt.scsi.spi.StorageConfig;
import java.util.concurrent.CompletableFuture;

/**
 * A provider under the backend type its {@code backendType} service property names, when that
 * differs from what {@link BackingStoreProvider#backendType()} says (the service property wins:
 * it is what the registration advertises, e.g. one provider registered twice under two types).
 */
record TypedProvider(String backendType, BackingStoreProvider delegate) implements BackingStoreProvider {

    static BackingStoreProvider of(BackingStoreProvider provider, Object property) {
        if (property instanceof String type && !type.isBlank() && !type.equals(provider.backendType())) {
            return new TypedProvider(type, provider);
        }
        return provider;
    }

    @Override
    public CompletableFuture<BackingStore> open(StorageConfig config) {
        return delegate.open(config);
    }
}
