package io.jtgt.backend.s3;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import io.jtgt.scsi.spi.BackingStore;
import io.jtgt.scsi.spi.StorageConfig;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.PooledByteBufAllocator;
import io.netty.buffer.Unpooled;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Comparator;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import org.junit.jupiter.api.extension.AfterAllCallback;
import org.junit.jupiter.api.extension.AfterEachCallback;
import org.junit.jupiter.api.extension.BeforeAllCallback;
import org.junit.jupiter.api.extension.BeforeEachCallback;
import org.junit.jupiter.api.extension.ExtensionContext;
import software.amazon.awssdk.services.s3.S3Client;
import software.amazon.awssdk.services.s3.model.S3Object;

/**
 * What the store-level tests share, as a JUnit extension on a static field
 * ({@code @RegisterExtension static}): one s3proxy per test class (its blobs in a fresh folder),
 * and per test an empty bucket, a fresh provider and a folder of the test's own; the storage
 * options the tests start from (64 KiB chunks, tight timeouts so fault tests end quickly); helpers
 * that read and write through a store. After each test it closes every store opened and the
 * provider, and empties the bucket; a test that stopped the server gets it restarted for the next.
 */
final class S3StoreFixture implements BeforeAllCallback, AfterAllCallback, BeforeEachCallback, AfterEachCallback {

    static final int CHUNK = 64 * 1024;
    static final long SIZE = 16L * CHUNK; // 1 MiB
    static final String BUCKET = "jtgt-test";
    static final long CALL_TIMEOUT_MS = 3000;

    S3ProxyServer server;
    S3Client admin;
    S3BackingStoreProvider provider;
    /** A fresh folder for the running test, beside the server's blobs. */
    Path dir;
    private Path root;
    private final List<BackingStore> stores = new ArrayList<>();

    @Override
    public void beforeAll(ExtensionContext context) throws Exception {
        root = Files.createTempDirectory("jtgt-s3-test");
        server = new S3ProxyServer(Files.createDirectory(root.resolve("blobs"))).start(0);
        admin = server.client();
    }

    @Override
    public void beforeEach(ExtensionContext context) throws Exception {
        if (!server.running()) {
            server.restart();
        }
        admin.createBucket(b -> b.bucket(BUCKET));
        dir = Files.createTempDirectory(root, "test");
        provider = new S3BackingStoreProvider();
    }

    /** The base options, changed by {@code name, value} pairs (a null value removes the option). */
    Map<String, String> options(String... changes) {
        Map<String, String> o = new HashMap<>();
        o.put("s3Endpoint", server.endpoint());
        o.put("s3Region", "us-east-1");
        o.put("s3ForcePathStyle", "true");
        o.put("s3AccessKeyId", S3ProxyServer.ACCESS_KEY);
        o.put("s3SecretAccessKey", S3ProxyServer.SECRET_KEY);
        o.put("s3ChunkSize", Integer.toString(CHUNK));
        o.put("s3ApiCallTimeoutMs", Long.toString(CALL_TIMEOUT_MS));
        o.put("s3ApiCallAttemptTimeoutMs", "1000");
        o.put("s3MaxAttempts", "3");
        o.put("s3RetryBaseDelayMs", "50");
        o.put("s3RetryMaxDelayMs", "200");
        for (int i = 0; i < changes.length; i += 2) {
            if (changes[i + 1] == null) {
                o.remove(changes[i]);
            } else {
                o.put(changes[i], changes[i + 1]);
            }
        }
        return o;
    }

    static StorageConfig config(String location, long size, Map<String, String> options) {
        return new StorageConfig(2000, "s3", location, size, 512, true, false, options);
    }

    S3BackingStore open(String location, long size, Map<String, String> options) throws Exception {
        S3BackingStore store = (S3BackingStore) await(provider.open(config(location, size, options)));
        stores.add(store);
        return store;
    }

    S3BackingStore open() throws Exception {
        return open(BUCKET + "/disk0", SIZE, options());
    }

    void closeStore(BackingStore store) throws Exception {
        await(store.close());
        stores.remove(store);
    }

    static <T> T await(Future<T> future) throws Exception {
        return future.get(60, TimeUnit.SECONDS);
    }

    static Throwable failureOf(CompletableFuture<?> future) {
        return assertThrows(ExecutionException.class, () -> future.get(60, TimeUnit.SECONDS)).getCause();
    }

    static byte[] pattern(int length, long seed) {
        byte[] bytes = new byte[length];
        new Random(seed).nextBytes(bytes);
        return bytes;
    }

    static byte[] read(BackingStore store, long offset, int length) throws Exception {
        ByteBuf dst = PooledByteBufAllocator.DEFAULT.directBuffer(length);
        try {
            await(store.read(offset, dst, length));
            assertEquals(length, dst.readableBytes());
            byte[] bytes = new byte[length];
            dst.readBytes(bytes);
            return bytes;
        } finally {
            dst.release();
        }
    }

    static void write(BackingStore store, long offset, byte[] data) throws Exception {
        await(store.write(offset, Unpooled.wrappedBuffer(data), false));
    }

    Set<String> objectKeys(String prefix) {
        return admin.listObjectsV2Paginator(b -> b.bucket(BUCKET).prefix(prefix)).contents().stream()
                .map(S3Object::key).collect(Collectors.toSet());
    }

    static String chunkKey(String prefix, long index) {
        return prefix + "/chunk-" + String.format("%016x", index);
    }

    @Override
    public void afterEach(ExtensionContext context) throws Exception {
        for (BackingStore s : List.copyOf(stores)) {
            s.close().get(30, TimeUnit.SECONDS);
        }
        stores.clear();
        provider.close();
        if (!server.running()) {
            server.restart();
        }
        for (String key : objectKeys("")) {
            admin.deleteObject(b -> b.bucket(BUCKET).key(key));
        }
        admin.deleteBucket(b -> b.bucket(BUCKET));
    }

    @Override
    public void afterAll(ExtensionContext context) throws Exception {
        try {
            admin.close();
        } finally {
            server.close();
            deleteTree(root);
        }
    }

    private static void deleteTree(Path top) throws IOException {
        if (top == null || !Files.exists(top)) {
            return;
        }
        try (Stream<Path> paths = Files.walk(top)) {
            for (Path p : paths.sorted(Comparator.reverseOrder()).toList()) {
                Files.deleteIfExists(p);
            }
        }
    }
}
