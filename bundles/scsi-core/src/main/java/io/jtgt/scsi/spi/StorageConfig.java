package io.jtgt.scsi.spi;

import java.util.Collections;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;

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

    /** What every listing, export and log line shows instead of a secret option's value. */
    public static final String MASKED = "****";

    /**
     * Backend options that hold credentials, never shown: {@code s3SecretAccessKey}, a session
     * token, Ceph's {@code key}, and anything named like a secret, password or token. Names of
     * where credentials live ({@code s3CredentialsFile}, {@code keyring}, {@code s3Profile}) and
     * access key ids are not secrets.
     */
    public static boolean isSecretOption(String name) {
        String k = name.toLowerCase(Locale.ROOT);
        return k.equals("key") || k.contains("secret") || k.contains("password") || k.endsWith("token");
    }

    /** {@code options} with every {@linkplain #isSecretOption secret} value replaced by {@value #MASKED}. */
    public static Map<String, String> masked(Map<String, String> options) {
        Map<String, String> shown = new TreeMap<>();
        options.forEach((k, v) -> shown.put(k, isSecretOption(k) ? MASKED : v));
        return Collections.unmodifiableMap(shown);
    }

    /** Secrets masked: a configuration may end up in a log line or an exception message. */
    @Override
    public String toString() {
        return "StorageConfig[deviceId=" + deviceId + ", backendType=" + backendType + ", location=" + location
                + ", deviceSize=" + deviceSize + ", blockSize=" + blockSize + ", thinProvisioning=" + thinProvisioning
                + ", readOnly=" + readOnly + ", options=" + masked(options) + "]";
    }

    /** A backend-specific option, e.g. {@code s3ChunkSize}. */
    public Optional<String> option(String name) {
        return Optional.ofNullable(options.get(name));
    }
}
