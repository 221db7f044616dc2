package io.jtgt.backend.s3;

import io.jtgt.scsi.spi.StorageConfig;
import java.net.URI;
import java.net.URISyntaxException;
import java.nio.file.InvalidPathException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Optional;

/**
 * The S3 settings of one storage, parsed from its {@link StorageConfig}: the seed's keys
 * ({@code s3ChunkSize}, {@code s3Endpoint}, {@code s3Region}, {@code s3ForcePathStyle}) plus
 * jtgt's optional static credentials and the bounds that keep a slow or dead S3 from stalling
 * a LUN forever (call/attempt timeouts, attempts, backoff, requests in flight).
 *
 * <p>Credentials: {@code s3AccessKeyId}/{@code s3SecretAccessKey} (with {@code s3SessionToken}
 * for temporary credentials), or {@code s3Profile} (a
 * profile of the AWS shared files, optionally of the file {@code s3CredentialsFile}) so that no
 * secret needs to sit in Config Admin, or else the SDK's default chain. {@link #toString()} never
 * shows the secret key or the session token.
 */
public record S3StorageOptions(
        long deviceId,
        String bucket,
        String prefix,
        int chunkSize,
        boolean chunkSizeExplicit,
        Optional<URI> endpoint,
        Optional<String> region,
        boolean forcePathStyle,
        Optional<String> accessKeyId,
        Optional<String> secretAccessKey,
        Optional<String> sessionToken,
        Optional<String> profile,
        Optional<Path> credentialsFile,
        Duration apiCallTimeout,
        Duration apiCallAttemptTimeout,
        int maxAttempts,
        Duration retryBaseDelay,
        Duration retryMaxDelay,
        int maxConcurrency,
        int cacheChunks) {

    public static final int DEFAULT_CHUNK_SIZE = 4 << 20; // the seed's 4 MiB
    /** Large enough for 4 MiB on a slow link, below the 30 s a Linux initiator waits per command. */
    public static final long DEFAULT_API_CALL_TIMEOUT_MS = 25_000;
    public static final long DEFAULT_API_CALL_ATTEMPT_TIMEOUT_MS = 10_000;
    public static final int DEFAULT_MAX_ATTEMPTS = 4;
    public static final long DEFAULT_RETRY_BASE_DELAY_MS = 100;
    public static final long DEFAULT_RETRY_MAX_DELAY_MS = 2_000;
    public static final int DEFAULT_MAX_CONCURRENCY = 16;
    /** Chunks whose content the store keeps (write-through) to skip read-modify-write GETs. */
    public static final int DEFAULT_CACHE_CHUNKS = 8;
    /** Objects above 5 GiB need multipart uploads; chunks stay well below and fit a byte[]. */
    static final int MAX_CHUNK_SIZE = 1 << 30;

    /** Parses {@code config}; a bad value throws {@link IllegalArgumentException} naming the field. */
    public static S3StorageOptions from(StorageConfig config) {
        String location = config.location() == null ? "" : config.location().trim();
        while (location.startsWith("/")) {
            location = location.substring(1);
        }
        int slash = location.indexOf('/');
        String bucket = slash < 0 ? location : location.substring(0, slash);
        String prefix = slash < 0 ? "" : trimSlashes(location.substring(slash + 1));
        if (bucket.isEmpty()) {
            throw new IllegalArgumentException(
                    "path: '" + config.location() + "' names no bucket (expected s3:bucket/prefix)");
        }
        Optional<String> chunkOption = config.option("s3ChunkSize");
        int chunkSize = chunkOption.map(v -> (int) parseLong("s3ChunkSize", v, 1, MAX_CHUNK_SIZE))
                .orElse(DEFAULT_CHUNK_SIZE);
        if (chunkSize % config.blockSize() != 0) {
            throw new IllegalArgumentException("s3ChunkSize: " + chunkSize
                    + " is not a multiple of the block size " + config.blockSize());
        }
        Optional<URI> endpoint = config.option("s3Endpoint").map(String::trim).filter(s -> !s.isEmpty())
                .map(S3StorageOptions::parseEndpoint);
        Optional<String> accessKey = nonEmpty(config, "s3AccessKeyId");
        Optional<String> secretKey = nonEmpty(config, "s3SecretAccessKey");
        if (accessKey.isPresent() != secretKey.isPresent()) {
            throw new IllegalArgumentException(
                    "s3AccessKeyId/s3SecretAccessKey: give both or neither (neither = the AWS default credential chain)");
        }
        Optional<String> sessionToken = nonEmpty(config, "s3SessionToken");
        if (sessionToken.isPresent() && accessKey.isEmpty()) {
            throw new IllegalArgumentException(
                    "s3SessionToken: only with s3AccessKeyId/s3SecretAccessKey (the temporary credentials it belongs to)");
        }
        Optional<String> profile = nonEmpty(config, "s3Profile");
        Optional<Path> credentialsFile = nonEmpty(config, "s3CredentialsFile").map(S3StorageOptions::parsePath);
        if (accessKey.isPresent() && (profile.isPresent() || credentialsFile.isPresent())) {
            throw new IllegalArgumentException("s3Profile/s3CredentialsFile: not together with s3AccessKeyId/"
                    + "s3SecretAccessKey (one source of credentials per storage)");
        }
        return new S3StorageOptions(config.deviceId(), bucket, prefix, chunkSize, chunkOption.isPresent(), endpoint,
                nonEmpty(config, "s3Region"),
                parseBoolean("s3ForcePathStyle", config.option("s3ForcePathStyle").orElse("false")),
                accessKey, secretKey, sessionToken, profile, credentialsFile,
                millis(config, "s3ApiCallTimeoutMs", DEFAULT_API_CALL_TIMEOUT_MS),
                millis(config, "s3ApiCallAttemptTimeoutMs", DEFAULT_API_CALL_ATTEMPT_TIMEOUT_MS),
                config.option("s3MaxAttempts").map(v -> parseLong("s3MaxAttempts", v, 1, 20))
                        .orElse((long) DEFAULT_MAX_ATTEMPTS).intValue(),
                millis(config, "s3RetryBaseDelayMs", DEFAULT_RETRY_BASE_DELAY_MS),
                millis(config, "s3RetryMaxDelayMs", DEFAULT_RETRY_MAX_DELAY_MS),
                config.option("s3MaxConcurrency").map(v -> parseLong("s3MaxConcurrency", v, 1, 256))
                        .orElse((long) DEFAULT_MAX_CONCURRENCY).intValue(),
                config.option("s3ChunkCache").map(v -> parseLong("s3ChunkCache", v, 0, 4096))
                        .orElse((long) DEFAULT_CACHE_CHUNKS).intValue());
    }

    /** {@code s3:bucket/prefix} as configured, for messages. */
    public String describe() {
        return "s3:" + bucket + (prefix.isEmpty() ? "" : "/" + prefix);
    }

    /** The object key of {@code name} under the prefix. */
    String key(String name) {
        return prefix.isEmpty() ? name : prefix + "/" + name;
    }

    private static String trimSlashes(String s) {
        int start = 0;
        int end = s.length();
        while (start < end && s.charAt(start) == '/') {
            start++;
        }
        while (end > start && s.charAt(end - 1) == '/') {
            end--;
        }
        return s.substring(start, end);
    }

    private static Optional<String> nonEmpty(StorageConfig config, String name) {
        return config.option(name).map(String::trim).filter(s -> !s.isEmpty());
    }

    private static Duration millis(StorageConfig config, String name, long defaultMillis) {
        return Duration.ofMillis(config.option(name).map(v -> parseLong(name, v, 1, 3_600_000)).orElse(defaultMillis));
    }

    private static long parseLong(String name, String value, long min, long max) {
        long parsed;
        try {
            parsed = Long.parseLong(value.trim());
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException(name + ": '" + value + "' is not a number");
        }
        if (parsed < min || parsed > max) {
            throw new IllegalArgumentException(name + ": " + parsed + " is outside [" + min + ", " + max + "]");
        }
        return parsed;
    }

    private static boolean parseBoolean(String name, String value) {
        String v = value.trim();
        if (v.equalsIgnoreCase("true")) {
            return true;
        }
        if (v.equalsIgnoreCase("false")) {
            return false;
        }
        throw new IllegalArgumentException(name + ": '" + value + "' is neither true nor false");
    }

    private static Path parsePath(String value) {
        Path path;
        try {
            path = Path.of(value);
        } catch (InvalidPathException e) {
            throw new IllegalArgumentException("s3CredentialsFile: '" + value + "' is not a path: " + e.getMessage());
        }
        if (!path.isAbsolute()) {
            throw new IllegalArgumentException("s3CredentialsFile: '" + value + "' is not an absolute path");
        }
        return path;
    }

    /** Where the credentials come from, for messages (never the secret itself). */
    String credentialSource() {
        if (accessKeyId.isPresent()) {
            return "static " + accessKeyId.get() + "/****" + (sessionToken.isPresent() ? " with a session token" : "");
        }
        if (profile.isPresent() || credentialsFile.isPresent()) {
            return "profile " + profile.orElse("default")
                    + credentialsFile.map(f -> " in " + f).orElse(" in the AWS shared files");
        }
        return "default chain";
    }

    private static URI parseEndpoint(String value) {
        try {
            URI uri = new URI(value);
            if (uri.getScheme() == null || uri.getHost() == null
                    || !(uri.getScheme().equals("http") || uri.getScheme().equals("https"))) {
                throw new IllegalArgumentException("s3Endpoint: '" + value + "' is not an http(s)://host[:port] URL");
            }
            return uri;
        } catch (URISyntaxException e) {
            throw new IllegalArgumentException("s3Endpoint: '" + value + "' is not a URL: " + e.getMessage());
        }
    }

    @Override
    public String toString() {
        return "S3StorageOptions[" + describe() + ", chunkSize=" + chunkSize
                + ", endpoint=" + endpoint.map(URI::toString).orElse("(AWS default)")
                + ", region=" + region.orElse("(default chain)") + ", forcePathStyle=" + forcePathStyle
                + ", credentials=" + credentialSource()
                + ", apiCallTimeout=" + apiCallTimeout + ", apiCallAttemptTimeout=" + apiCallAttemptTimeout
                + ", maxAttempts=" + maxAttempts + ", backoff=" + retryBaseDelay + ".." + retryMaxDelay
                + ", maxConcurrency=" + maxConcurrency + ", chunkCache=" + cacheChunks + "]";
    }
}
