package io.jtgt.scsi.spi;

import java.util.concurrent.CompletableFuture;

/**
 * Opens {@link BackingStore}s of one backend type. A backend bundle registers one of these as an
 * OSGi service with the service property {@value #BACKEND_TYPE} set to {@link #backendType()};
 * scsi-core binds LUNs to providers dynamically as they come and go.
 */
public interface BackingStoreProvider {

    /** Service property naming the backend type, e.g. {@code file}, {@code iouring}, {@code s3}. */
    String BACKEND_TYPE = "backendType";

    /** The backend type this provider serves, as written in a storage's {@code backendType}. */
    String backendType();

    /**
     * Opens (creating if allowed and missing) the storage described by {@code config}. Fails with a
     * {@link BackingStoreException} (or {@link IllegalArgumentException} for a configuration error
     * naming the field) rather than throwing.
     */
    CompletableFuture<BackingStore> open(StorageConfig config);
}
