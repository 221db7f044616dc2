package io.jtgt.backend.s3;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.jtgt.scsi.spi.AllocationRun;
import io.jtgt.scsi.spi.BackingStore;
import io.jtgt.scsi.spi.BackingStoreException;
import io.jtgt.scsi.spi.StorageConfig;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.PooledByteBufAllocator;
import io.netty.buffer.Unpooled;
import java.nio.file.Path;
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
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import software.amazon.awssdk.services.s3.S3Client;
import software.amazon.awssdk.services.s3.model.S3Object;

/** The S3 backend against a real S3 server (s3proxy) started on 127.0.0.1 by the test. */
class S3BackingStoreTest {

    private static final int CHUNK = 64 * 1024;
    private static final long SIZE = 16L * CHUNK; // 1 MiB
    private static final String BUCKET = "jtgt-test";

    @TempDir
    Path dir;

    private S3ProxyServer server;
    private S3Client admin;
    private S3BackingStoreProvider provider;
    private final List<BackingStore> stores = new ArrayList<>();

    @BeforeEach
    void start() throws Exception {
        server = new S3ProxyServer(dir).start(0);
        admin = server.client();
        admin.createBucket(b -> b.bucket(BUCKET));
        provider = new S3BackingStoreProvider();
    }

    @AfterEach
    void stop() throws Exception {
        for (BackingStore s : stores) {
            s.close().get(30, TimeUnit.SECONDS);
        }
        provider.close();
        admin.close();
        server.close();
    }

    private Map<String, String> options(String... extra) {
        Map<String, String> o = new HashMap<>();
        o.put("s3Endpoint", server.endpoint());
        o.put("s3Region", "us-east-1");
        o.put("s3ForcePathStyle", "true");
        o.put("s3AccessKeyId", S3ProxyServer.ACCESS_KEY);
        o.put("s3SecretAccessKey", S3ProxyServer.SECRET_KEY);
        o.put("s3ChunkSize", Integer.toString(CHUNK));
        // tight bounds so that the fault tests end quickly
        o.put("s3ApiCallTimeoutMs", "3000");
        o.put("s3ApiCallAttemptTimeoutMs", "1000");
        o.put("s3MaxAttempts", "3");
        o.put("s3RetryBaseDelayMs", "50");
        o.put("s3RetryMaxDelayMs", "200");
        for (int i = 0; i < extra.length; i += 2) {
            if (extra[i + 1] == null) {
                o.remove(extra[i]);
            } else {
                o.put(extra[i], extra[i + 1]);
            }
        }
        return o;
    }

    private static StorageConfig config(String location, long size, Map<String, String> options) {
        return new StorageConfig(2000, "s3", location, size, 512, true, false, options);
    }

    private BackingStore open(String location, long size, Map<String, String> options) throws Exception {
        BackingStore store = await(provider.open(config(location, size, options)));
        stores.add(store);
        return store;
    }

    private BackingStore open() throws Exception {
        return open(BUCKET + "/disk0", SIZE, options());
    }

    private static <T> T await(Future<T> future) throws Exception {
        return future.get(60, TimeUnit.SECONDS);
    }

    private static Throwable failureOf(CompletableFuture<?> future) {
        return assertThrows(ExecutionException.class, () -> future.get(60, TimeUnit.SECONDS)).getCause();
    }

    private static byte[] pattern(int length, long seed) {
        byte[] bytes = new byte[length];
        new Random(seed).nextBytes(bytes);
        return bytes;
    }

    private static byte[] read(BackingStore store, long offset, int length) throws Exception {
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

    private static void write(BackingStore store, long offset, byte[] data) throws Exception {
        await(store.write(offset, Unpooled.wrappedBuffer(data), false));
    }

    private Set<String> objectKeys(String prefix) {
        return admin.listObjectsV2Paginator(b -> b.bucket(BUCKET).prefix(prefix)).contents().stream()
                .map(S3Object::key).collect(Collectors.toSet());
    }

    private static String chunkKey(String prefix, long index) {
        return prefix + "/chunk-" + String.format("%016x", index);
    }

    @Test
    void writesAndReadsAcrossChunkBoundaries() throws Exception {
        BackingStore store = open();
        byte[] model = new byte[(int) SIZE];
        // partial first chunk, two whole chunks, partial last chunk
        byte[] data = pattern(CHUNK * 3 + 1024, 1);
        long offset = CHUNK - 512;
        write(store, offset, data);
        System.arraycopy(data, 0, model, (int) offset, data.length);
        // a second write overlapping the tail of the first, inside one chunk
        byte[] patch = pattern(2048, 2);
        write(store, 3L * CHUNK + 100 * 512, patch);
        System.arraycopy(patch, 0, model, 3 * CHUNK + 100 * 512, patch.length);

        assertArrayEquals(model, read(store, 0, (int) SIZE));
        assertArrayEquals(java.util.Arrays.copyOfRange(model, CHUNK - 1024, 2 * CHUNK + 4096),
                read(store, CHUNK - 1024, CHUNK + 5120));
        assertEquals(Set.of("disk0/jtgt-geometry.properties", chunkKey("disk0", 0), chunkKey("disk0", 1),
                chunkKey("disk0", 2), chunkKey("disk0", 3), chunkKey("disk0", 4)), objectKeys("disk0/"));
    }

    @Test
    void unwrittenChunksReadAsZerosAndHaveNoObject() throws Exception {
        BackingStore store = open();
        assertArrayEquals(new byte[(int) SIZE], read(store, 0, (int) SIZE));
        write(store, 5L * CHUNK + 512, pattern(512, 3));
        assertArrayEquals(new byte[CHUNK], read(store, 4L * CHUNK, CHUNK));
        assertEquals(Set.of("disk0/jtgt-geometry.properties", chunkKey("disk0", 5)), objectKeys("disk0/"));
        assertFalse(store.capabilities().volatileCache());
        await(store.flush()); // nothing cached: completes at once
    }

    @Test
    void concurrentPartialWritesToOneChunkAllSurvive() throws Exception {
        BackingStore store = open();
        int writers = 32;
        List<CompletableFuture<Void>> writes = new ArrayList<>();
        byte[][] blocks = new byte[writers][];
        for (int i = 0; i < writers; i++) {
            blocks[i] = pattern(512, 100 + i);
            writes.add(store.write(2L * CHUNK + i * 1024L, Unpooled.wrappedBuffer(blocks[i]), false));
        }
        await(CompletableFuture.allOf(writes.toArray(CompletableFuture[]::new)));
        byte[] chunk = read(store, 2L * CHUNK, CHUNK);
        for (int i = 0; i < writers; i++) {
            // without the chunk lock, one read-modify-write would overwrite another's block with stale zeros
            assertArrayEquals(blocks[i], java.util.Arrays.copyOfRange(chunk, i * 1024, i * 1024 + 512), "writer " + i);
            assertArrayEquals(new byte[512], java.util.Arrays.copyOfRange(chunk, i * 1024 + 512, i * 1024 + 1024));
        }
    }

    @Test
    void unmapDeletesWholeChunksAndZeroesPartialOnes() throws Exception {
        BackingStore store = open();
        assertTrue(store.capabilities().canUnmap());
        assertTrue(store.capabilities().unmapReadsZeros());
        byte[] data = pattern(3 * CHUNK, 4);
        write(store, 0, data);
        await(store.unmap(CHUNK, CHUNK)); // whole chunk 1
        await(store.unmap(2L * CHUNK, 4096)); // head of chunk 2
        assertEquals(Set.of("disk0/jtgt-geometry.properties", chunkKey("disk0", 0), chunkKey("disk0", 2)),
                objectKeys("disk0/"));
        byte[] expected = data.clone();
        java.util.Arrays.fill(expected, CHUNK, 2 * CHUNK + 4096, (byte) 0);
        assertArrayEquals(expected, read(store, 0, 3 * CHUNK));
        await(store.unmap(2L * CHUNK + 4096, CHUNK - 4096)); // the rest of chunk 2: all zero now, object goes
        assertEquals(Set.of("disk0/jtgt-geometry.properties", chunkKey("disk0", 0)), objectKeys("disk0/"));
    }

    @Test
    void allocationReportsUnwrittenChunksAsDeallocated() throws Exception {
        BackingStore store = open();
        assertEquals(new AllocationRun(0, SIZE, false), await(store.allocation(0, SIZE)));
        write(store, 2L * CHUNK + 512, pattern(512, 5));
        write(store, 3L * CHUNK, pattern(CHUNK, 6));
        assertEquals(new AllocationRun(0, 2L * CHUNK, false), await(store.allocation(0, SIZE)));
        assertEquals(new AllocationRun(2L * CHUNK, 2L * CHUNK, true), await(store.allocation(2L * CHUNK, SIZE - 2L * CHUNK)));
        assertEquals(new AllocationRun(4L * CHUNK, SIZE - 4L * CHUNK, false),
                await(store.allocation(4L * CHUNK, SIZE - 4L * CHUNK)));
        assertEquals(new AllocationRun(2L * CHUNK + 1024, 1024, true), await(store.allocation(2L * CHUNK + 1024, 1024)));
    }

    @Test
    void geometryIsRecordedAndAMismatchedChunkSizeRefused() throws Exception {
        BackingStore first = open();
        write(first, 0, pattern(4096, 7));
        await(first.close());
        stores.remove(first);

        Throwable refused = failureOf(provider.open(config(BUCKET + "/disk0", SIZE,
                options("s3ChunkSize", Integer.toString(2 * CHUNK)))));
        assertInstanceOf(IllegalArgumentException.class, refused);
        assertTrue(refused.getMessage().startsWith("s3ChunkSize:"), refused.getMessage());
        assertTrue(refused.getMessage().contains(Integer.toString(CHUNK)), refused.getMessage());

        // no chunk size and no device size configured: the recorded geometry is served
        BackingStore reopened = open(BUCKET + "/disk0", 0, options("s3ChunkSize", null));
        assertEquals(SIZE, reopened.size());
        assertEquals(CHUNK, reopened.capabilities().optimalIoBytes());
        assertArrayEquals(pattern(4096, 7), read(reopened, 0, 4096));
    }

    @Test
    void aNewDeviceNeedsItsSize() {
        Throwable refused = failureOf(provider.open(config(BUCKET + "/fresh", 0, options())));
        assertInstanceOf(IllegalArgumentException.class, refused);
        assertTrue(refused.getMessage().startsWith("deviceSize:"), refused.getMessage());
    }

    @Test
    void wrongCredentialsFailTheOpenWithOneClearMessage() {
        Throwable refused = failureOf(provider.open(config(BUCKET + "/disk0", SIZE,
                options("s3SecretAccessKey", "not-the-secret"))));
        BackingStoreException e = assertInstanceOf(BackingStoreException.class, refused);
        assertEquals(BackingStoreException.Kind.UNAVAILABLE, e.kind());
        assertTrue(e.getMessage().startsWith("storage 2000 (s3:" + BUCKET + "/disk0"), e.getMessage());
        assertTrue(e.getMessage().contains("secret key") || e.getMessage().contains("credentials"), e.getMessage());
        assertFalse(e.getMessage().contains("not-the-secret"), e.getMessage());
    }

    @Test
    void aMissingBucketFailsTheOpenNamingIt() {
        Throwable refused = failureOf(provider.open(config("no-such-bucket/disk0", SIZE, options())));
        BackingStoreException e = assertInstanceOf(BackingStoreException.class, refused);
        assertTrue(e.getMessage().contains("bucket 'no-such-bucket' does not exist"), e.getMessage());
    }

    @Test
    void aStoppedServerMeansUnavailableWithinTheBoundThenServiceResumes() throws Exception {
        BackingStore store = open();
        byte[] acknowledged = pattern(CHUNK + 4096, 8);
        write(store, 0, acknowledged);
        server.stop();

        long start = System.nanoTime();
        Throwable writeFailure = failureOf(store.write(4L * CHUNK, Unpooled.wrappedBuffer(pattern(512, 9)), true));
        Throwable readFailure = failureOf(store.read(0, Unpooled.buffer(4096), 4096));
        long elapsedMs = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - start);
        assertEquals(BackingStoreException.Kind.UNAVAILABLE, assertInstanceOf(BackingStoreException.class, writeFailure).kind());
        assertEquals(BackingStoreException.Kind.UNAVAILABLE, assertInstanceOf(BackingStoreException.class, readFailure).kind());
        assertTrue(elapsedMs < 2 * 3000 + 2000, "both failures took " + elapsedMs + " ms");

        server.restart();
        assertArrayEquals(acknowledged, read(store, 0, acknowledged.length)); // nothing acknowledged was lost
        byte[] after = pattern(512, 10);
        write(store, 4L * CHUNK, after);
        assertArrayEquals(after, read(store, 4L * CHUNK, 512));
    }

    @Test
    void aFrozenServerFailsTheOpenWithinTheCallTimeout() throws Exception {
        // a listening socket that never answers: the TCP handshake succeeds, the request hangs
        try (java.net.ServerSocket silent = new java.net.ServerSocket(0, 50, java.net.InetAddress.getLoopbackAddress())) {
            long start = System.nanoTime();
            Throwable refused = failureOf(provider.open(config(BUCKET + "/disk0", SIZE,
                    options("s3Endpoint", "http://127.0.0.1:" + silent.getLocalPort()))));
            long elapsedMs = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - start);
            BackingStoreException e = assertInstanceOf(BackingStoreException.class, refused);
            assertEquals(BackingStoreException.Kind.UNAVAILABLE, e.kind());
            assertTrue(e.getMessage().contains("did not answer in time"), e.getMessage());
            assertTrue(elapsedMs < 3000 + 2000, "gave up after " + elapsedMs + " ms");
        }
    }

    @Test
    void aServerThatHangsMidIoMeansUnavailableWithinTheCallTimeoutThenServiceResumes() throws Exception {
        try (FreezableRelay relay = new FreezableRelay(Integer.parseInt(server.endpoint().replaceAll(".*:", "")))) {
            BackingStore store = open(BUCKET + "/disk0", SIZE, options("s3Endpoint", relay.endpoint()));
            byte[] before = pattern(4096, 11);
            write(store, 0, before);
            relay.freeze(true);
            long start = System.nanoTime();
            Throwable failure = failureOf(store.write(CHUNK, Unpooled.wrappedBuffer(pattern(CHUNK, 12)), true));
            long elapsedMs = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - start);
            BackingStoreException e = assertInstanceOf(BackingStoreException.class, failure);
            assertEquals(BackingStoreException.Kind.UNAVAILABLE, e.kind(), e::toString);
            assertTrue(elapsedMs < 3000 + 2000, "gave up after " + elapsedMs + " ms");
            relay.freeze(false);
            assertArrayEquals(before, read(store, 0, 4096));
            byte[] after = pattern(CHUNK, 13);
            write(store, CHUNK, after);
            assertArrayEquals(after, read(store, CHUNK, CHUNK));
        }
    }

    @Test
    void theSecretNeverShowsInToString() {
        S3StorageOptions options = S3StorageOptions.from(config(BUCKET + "/disk0", SIZE, options()));
        assertFalse(options.toString().contains(S3ProxyServer.SECRET_KEY), options.toString());
        assertTrue(options.toString().contains("****"));
    }

    @Test
    void badOptionsAreRefusedNamingTheField() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> S3StorageOptions.from(config(BUCKET + "/d", SIZE, options("s3ChunkSize", "1000"))));
        assertTrue(e.getMessage().startsWith("s3ChunkSize:"), e.getMessage());
        e = assertThrows(IllegalArgumentException.class,
                () -> S3StorageOptions.from(config("/", SIZE, options())));
        assertTrue(e.getMessage().startsWith("path:"), e.getMessage());
        e = assertThrows(IllegalArgumentException.class,
                () -> S3StorageOptions.from(config(BUCKET, SIZE, options("s3SecretAccessKey", null))));
        assertTrue(e.getMessage().startsWith("s3AccessKeyId/s3SecretAccessKey:"), e.getMessage());
    }
}
