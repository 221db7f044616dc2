package io.jtgt.backend.s3;

import static io.jtgt.backend.s3.S3StoreFixture.BUCKET;
import static io.jtgt.backend.s3.S3StoreFixture.CHUNK;
import static io.jtgt.backend.s3.S3StoreFixture.await;
import static io.jtgt.backend.s3.S3StoreFixture.pattern;
import static io.jtgt.backend.s3.S3StoreFixture.read;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.netty.buffer.Unpooled;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * Issue 6 item 5: whatever the initiator throws at a LUN, the S3 requests in flight stay within
 * {@code s3MaxConcurrency}, the buffers the store holds within {@code s3MaxConcurrency} chunks
 * (only a read-modify-write holds one; reads and whole-chunk writes stream from and into the
 * caller's buffers) and its cache within {@code s3ChunkCache} chunks.
 */
class S3BoundsTest {

    private static final int MAX_CONCURRENCY = 3;
    private static final int CACHE_CHUNKS = 2;
    private static final int CHUNKS = 64;

    @RegisterExtension
    static final S3StoreFixture s3 = new S3StoreFixture();

    @Test
    void manyConcurrentLargeWritesStayWithinTheRequestAndMemoryBounds() throws Exception {
        S3BackingStore store = s3.open(BUCKET + "/bounded", (long) CHUNKS * CHUNK,
                s3.options("s3MaxConcurrency", Integer.toString(MAX_CONCURRENCY),
                        "s3ChunkCache", Integer.toString(CACHE_CHUNKS)));
        byte[] model = new byte[CHUNKS * CHUNK];
        List<CompletableFuture<Void>> writes = new ArrayList<>();
        // 16 writes of 3.5 chunks at once, each starting mid-chunk (two read-modify-writes and two
        // whole-chunk PUTs apiece), over disjoint ranges so that the expected content is known
        int length = 3 * CHUNK + CHUNK / 2;
        for (int i = 0; i < 16; i++) {
            long offset = (long) i * 4 * CHUNK + CHUNK / 4;
            byte[] data = pattern(length, 100 + i);
            System.arraycopy(data, 0, model, (int) offset, length);
            writes.add(store.write(offset, Unpooled.wrappedBuffer(data), false));
        }
        await(CompletableFuture.allOf(writes.toArray(CompletableFuture[]::new)));

        assertTrue(store.requestsInFlight().peak() <= MAX_CONCURRENCY,
                "requests in flight peaked at " + store.requestsInFlight().peak());
        assertTrue(store.requestsInFlight().peak() > 1, "pieces went out in parallel");
        assertTrue(store.bufferBytes().peak() <= (long) MAX_CONCURRENCY * CHUNK,
                "buffers peaked at " + store.bufferBytes().peak() + " bytes");
        assertTrue(store.bufferBytes().peak() > 0, "the read-modify-writes took buffers");
        assertTrue(store.cacheBytes().peak() <= (long) CACHE_CHUNKS * CHUNK,
                "the cache peaked at " + store.cacheBytes().peak() + " bytes");
        assertEquals(0, store.bufferBytes().current());
        assertEquals(0, store.requestsInFlight().current());

        List<CompletableFuture<byte[]>> reads = new ArrayList<>();
        for (int i = 0; i < 8; i++) {
            int at = i * 8 * CHUNK;
            reads.add(CompletableFuture.supplyAsync(() -> {
                try {
                    return read(store, at, 8 * CHUNK);
                } catch (Exception e) {
                    throw new IllegalStateException(e);
                }
            }));
        }
        for (int i = 0; i < 8; i++) {
            assertArrayEquals(java.util.Arrays.copyOfRange(model, i * 8 * CHUNK, (i + 1) * 8 * CHUNK), await(reads.get(i)),
                    "range " + i);
        }
        assertTrue(store.requestsInFlight().peak() <= MAX_CONCURRENCY);
        assertTrue(store.bufferBytes().peak() <= (long) MAX_CONCURRENCY * CHUNK, "reads take no chunk buffers");
    }
}
