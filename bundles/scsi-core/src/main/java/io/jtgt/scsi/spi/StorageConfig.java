package io.jtgt.scsi.spi;

import java.util.Map;
import java.util.Optional;

/**
 * The configuration of one storage object as a backend sees it: the gotgt {@code storages} entry,
 * with the {@code path} already split into its type prefix and location.
 *
 * @param deviceId the gotgt {@code deviceID}
 * @param backendType the {@code backendType} (e.g. {@code file})
 * @param location the {@code path} without its {@code <type>:} prefix (a file path, {@code bucket/prefix}, {@code pool/image})
 * @param deviceSize the requested size in bytes for a new device, 0 when not given
 * @param blockSize the LUN's logical block size in bytes (from {@code blockShift})
 * @param thinProvisioning whether the LUN is thin-provisioned (create sparse, allow unmap)
 * @param readOnly the store will never be written
 * @param options every other configuration property, as strings (backend-specific options)
 */
public record StorageConfig(
        long deviceId,
        String backendType,
        String location,
        long deviceSize,
        int blockSize,
        boolean thinProvisioning,
        boolean readOnly,
        Map<String, String> options) {

    public StorageConfig {
        options = Map.copyOf(options);
    }

    /** A backend-specific option, e.g. {@code s3ChunkSize}. */
    public Optional<String> option(String name) {
        return Optional.ofNullable(options.get(name));
    }
}
