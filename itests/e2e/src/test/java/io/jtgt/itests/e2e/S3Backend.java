package io.jtgt.itests.e2e;

import io.jtgt.backend.s3.S3BackingStoreProvider;
import io.jtgt.backend.s3.S3ProxyServer;
import io.jtgt.scsi.spi.StorageConfig;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import software.amazon.awssdk.core.ResponseBytes;
import software.amazon.awssdk.services.s3.S3Client;
import software.amazon.awssdk.services.s3.model.GetObjectResponse;
import software.amazon.awssdk.services.s3.model.NoSuchKeyException;

/**
 * The s3 side of an {@link EmbeddedTarget} with LUNs on S3: a real S3 server (s3proxy on
 * 127.0.0.1, blobs on disk under the e2e work folder, so a restarted server keeps what it
 * acknowledged) with one bucket, and the s3 backend to register with {@link EmbeddedTarget.Builder#backend}.
 * {@link #close()} stops both and deletes the blobs.
 */
final class S3Backend implements AutoCloseable {

    static final String BUCKET = "jtgt-e2e";

    private final Path blobs;
    final S3ProxyServer server;
    final S3BackingStoreProvider provider = new S3BackingStoreProvider();
    private final S3Client admin;

    private S3Backend() throws Exception {
        blobs = Files.createTempDirectory(E2eDirs.workDir(), "s3-");
        server = new S3ProxyServer(blobs).start(0);
        admin = server.client();
        admin.createBucket(b -> b.bucket(BUCKET));
    }

    static S3Backend start() {
        try {
            return new S3Backend();
        } catch (Exception e) {
            throw new IllegalStateException("s3proxy did not start", e);
        }
    }

    /**
     * {@code base} (size, block size, profile properties) stored under {@code s3:BUCKET/prefix},
     * reached at {@code endpoint}, with the given further storage options ({@code name, value} pairs).
     */
    EmbeddedTarget.Lun lunAt(EmbeddedTarget.Lun base, String prefix, String endpoint, String... options) {
        EmbeddedTarget.Lun lun = base.with("path", "s3:" + BUCKET + "/" + prefix);
        for (Map.Entry<String, String> e : options(endpoint, options).entrySet()) {
            lun = lun.with(e.getKey(), e.getValue());
        }
        return lun;
    }

    EmbeddedTarget.Lun lun(EmbeddedTarget.Lun base, String prefix, String... options) {
        return lunAt(base, prefix, server.endpoint(), options);
    }

    private static Map<String, String> options(String endpoint, String... extra) {
        Map<String, String> o = new LinkedHashMap<>();
        o.put("s3Endpoint", endpoint);
        o.put("s3Region", "us-east-1");
        o.put("s3ForcePathStyle", "true");
        o.put("s3AccessKeyId", S3ProxyServer.ACCESS_KEY);
        o.put("s3SecretAccessKey", S3ProxyServer.SECRET_KEY);
        for (int i = 0; i < extra.length; i += 2) {
            o.put(extra[i], extra[i + 1]);
        }
        return o;
    }

    /** Creates the device under {@code prefix} (geometry object), as a read-only LUN needs it to exist. */
    void create(String prefix, long size, int blockSize, String... extra) throws Exception {
        StorageConfig config = new StorageConfig(9999, "s3", BUCKET + "/" + prefix, size, blockSize, true, false,
                options(server.endpoint(), extra));
        provider.open(config).get(60, TimeUnit.SECONDS).close().get(60, TimeUnit.SECONDS);
    }

    /**
     * The device read straight from its chunk objects with the SDK (no object = zeros), to check
     * what the target stored independently of the target.
     */
    byte[] readObjects(String prefix, int size, int chunkSize) {
        byte[] image = new byte[size];
        for (int index = 0; (long) index * chunkSize < size; index++) {
            String key = prefix + "/chunk-" + String.format("%016x", index);
            try {
                ResponseBytes<GetObjectResponse> chunk = admin.getObjectAsBytes(b -> b.bucket(BUCKET).key(key));
                byte[] bytes = chunk.asByteArrayUnsafe();
                System.arraycopy(bytes, 0, image, index * chunkSize, Math.min(bytes.length, size - index * chunkSize));
            } catch (NoSuchKeyException unwritten) {
                // sparse: reads as zeros
            }
        }
        return image;
    }

    /** How many chunk objects exist under {@code prefix}. */
    long chunkObjects(String prefix) {
        return admin.listObjectsV2Paginator(b -> b.bucket(BUCKET).prefix(prefix + "/chunk-")).contents().stream().count();
    }

    /**
     * Closes each resource in order (nulls skipped: what never started), all of them even when one
     * fails; the first failure is thrown, with the others suppressed.
     */
    static void closeInOrder(AutoCloseable... resources) throws Exception {
        Exception first = null;
        for (AutoCloseable resource : resources) {
            try {
                if (resource != null) {
                    resource.close();
                }
            } catch (Exception e) {
                if (first == null) {
                    first = e;
                } else {
                    first.addSuppressed(e);
                }
            }
        }
        if (first != null) {
            throw first;
        }
    }

    @Override
    public void close() throws Exception {
        try {
            provider.close();
            admin.close();
        } finally {
            server.close();
            try (Stream<Path> files = Files.walk(blobs)) {
                for (Path p : files.sorted(Comparator.reverseOrder()).toList()) {
                    Files.deleteIfExists(p);
                }
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        }
    }
}
