package io.jtgt.backend.s3;

import static io.jtgt.backend.s3.S3StoreFixture.BUCKET;
import static io.jtgt.backend.s3.S3StoreFixture.CHUNK;
import static io.jtgt.backend.s3.S3StoreFixture.SIZE;
import static io.jtgt.backend.s3.S3StoreFixture.await;
import static io.jtgt.backend.s3.S3StoreFixture.chunkKey;
import static io.jtgt.backend.s3.S3StoreFixture.config;
import static io.jtgt.backend.s3.S3StoreFixture.failureOf;
import static io.jtgt.backend.s3.S3StoreFixture.pattern;
import static io.jtgt.backend.s3.S3StoreFixture.read;
import static io.jtgt.backend.s3.S3StoreFixture.write;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.jtgt.scsi.spi.AllocationRun;
import io.jtgt.scsi.spi.BackingStore;
import io.jtgt.scsi.spi.BackingStoreException;
import io.netty.buffer.Unpooled;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.services.s3.S3Client;
import org.junit.jupiter.api.extension.RegisterExtension;

/** The S3 backend's data semantics against a real S3 server (s3proxy) started on 127.0.0.1 by the test. */
class S3BackingStoreTest {

    @RegisterExtension
    static final S3StoreFixture s3 = new S3StoreFixture();
    private S3BackingStoreProvider provider;

    @BeforeEach
    void start() {
        provider = s3.provider;
    }

    private BackingStore open() throws Exception {
        return s3.open();
    }

    private BackingStore open(String location, long size, java.util.Map<String, String> options) throws Exception {
        return s3.open(location, size, options);
    }

    private java.util.Map<String, String> options(String... changes) {
        return s3.options(changes);
    }

    private Set<String> objectKeys(String prefix) {
        return s3.objectKeys(prefix);
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

    /** Changes queued for a chunk while one is stored go out together: a few requests, not one each. */
    @Test
    void concurrentSmallWritesToOneChunkShareTheirRequestsAndTheCacheServesReads() throws Exception {
        try (FreezableRelay relay = new FreezableRelay(s3.server.port())) {
            BackingStore store = open(BUCKET + "/disk0", SIZE, options("s3Endpoint", relay.endpoint()));
            int before = relay.forwarded();
            List<CompletableFuture<Void>> writes = new ArrayList<>();
            byte[] model = new byte[CHUNK];
            for (int i = 0; i < 64; i++) {
                byte[] block = pattern(512, 200 + i);
                System.arraycopy(block, 0, model, i * 1024, 512);
                writes.add(store.write(5L * CHUNK + i * 1024L, Unpooled.wrappedBuffer(block), false));
            }
            await(CompletableFuture.allOf(writes.toArray(CompletableFuture[]::new)));
            int requests = relay.forwarded() - before;
            assertTrue(requests <= 10, "64 writes of one chunk took " + requests + " requests");
            int afterWrites = relay.forwarded();
            assertArrayEquals(model, read(store, 5L * CHUNK, CHUNK));
            assertEquals(afterWrites, relay.forwarded(), "the chunk was read from the cache");
            try (S3Client direct = s3.server.client()) { // and S3 really holds it
                assertArrayEquals(model, direct.getObjectAsBytes(b -> b.bucket(BUCKET).key(chunkKey("disk0", 5)))
                        .asByteArray());
            }
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
        s3.closeStore(first);

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
        assertTrue(e.getMessage().contains("(s3:" + BUCKET + "/disk0 at " + s3.server.endpoint() + ")"), e.getMessage());
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
