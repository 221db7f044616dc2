package io.jtgt.backend.s3;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufInputStream;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.util.Arrays;
import java.util.List;
import java.util.function.Supplier;
import software.amazon.awssdk.core.sync.RequestBody;
import software.amazon.awssdk.core.sync.ResponseTransformer;
import software.amazon.awssdk.services.s3.S3Client;
import software.amazon.awssdk.services.s3.model.GetObjectResponse;
import software.amazon.awssdk.services.s3.model.ListObjectsV2Response;
import software.amazon.awssdk.services.s3.model.S3Exception;
import software.amazon.awssdk.services.s3.model.S3Object;

/**
 * The blocking S3 calls on chunk objects, one method per request. Callers run them on the
 * store's pool, never on a caller's thread. A missing chunk (404) is not an error: it is a chunk
 * that was never written (or was unmapped) and reads as zeros.
 *
 * <p>Data is streamed: a GET copies the response body straight into the caller's buffer through a
 * small per-thread array, and a PUT reads its body from the caller's buffer (or the one
 * read-modify-write buffer), so no request holds a second copy of its chunk. Both run inside the
 * SDK's call, so its retries and timeouts cover the transfer of the body too.
 *
 * <p>Keys are {@code <prefix>/chunk-<index as 16 hex digits>}: fixed width keeps S3's
 * lexicographic listing in chunk order, which {@link #writtenChunksFrom} relies on.
 */
final class ChunkObjects {

    private static final String CHUNK_PREFIX = "chunk-";
    private static final String OCTETS = "application/octet-stream";
    private static final int COPY_BUFFER_BYTES = 64 * 1024;
    private static final ThreadLocal<byte[]> COPY_BUFFER = ThreadLocal.withInitial(() -> new byte[COPY_BUFFER_BYTES]);

    private final S3Client client;
    private final S3StorageOptions options;
    private final Gauge requestsInFlight = new Gauge();

    ChunkObjects(S3Client client, S3StorageOptions options) {
        this.client = client;
        this.options = options;
    }

    String key(long index) {
        return options.key(CHUNK_PREFIX + String.format("%016x", index));
    }

    /** S3 requests of this store running right now, and the most there ever were at once. */
    Gauge requestsInFlight() {
        return requestsInFlight;
    }

    /** Where a GET's body goes: {@code n} bytes of {@code bytes} at {@code position} of the range. */
    @FunctionalInterface
    private interface Sink {
        void accept(int position, byte[] bytes, int n);
    }

    /**
     * Reads {@code length} bytes at {@code offsetInChunk} of chunk {@code index} into {@code dst}
     * at {@code dstIndex} (zeros where the object is missing or shorter); returns whether the
     * object exists.
     */
    boolean readInto(long index, int offsetInChunk, ByteBuf dst, int dstIndex, int length) {
        String key = key(index);
        int received = get(key, offsetInChunk, length, (response, in) -> checked(key, response, length,
                copy(in, length, (at, bytes, n) -> dst.setBytes(dstIndex + at, bytes, 0, n))));
        if (received < length) { // no object (-1), or one shorter than the chunk (the device grew since)
            int from = Math.max(received, 0);
            dst.setZero(dstIndex + from, length - from);
        }
        return received >= 0;
    }

    /** {@link #readInto} for the whole-chunk buffer of a read-modify-write. */
    boolean readRange(long index, int offsetInChunk, byte[] dst, int length) {
        String key = key(index);
        int received = get(key, offsetInChunk, length,
                (response, in) -> checked(key, response, length, in.readNBytes(dst, 0, length)));
        Arrays.fill(dst, Math.max(received, 0), length, (byte) 0);
        return received >= 0;
    }

    /** The bytes a ranged GET delivered, 0 for a range past the object's end, -1 for no object. */
    private int get(String key, int offsetInChunk, int length, ResponseTransformer<GetObjectResponse, Integer> body) {
        try {
            return call(() -> client.getObject(b -> b.bucket(options.bucket()).key(key)
                    .range("bytes=" + offsetInChunk + "-" + (offsetInChunk + (long) length - 1)), body));
        } catch (S3Exception e) {
            if (e.statusCode() == 416) { // the range starts past the object's end (a device grown since)
                return 0;
            }
            if (S3Failures.isNotFound(e)) {
                return -1;
            }
            throw e;
        }
    }

    private static int copy(InputStream in, int length, Sink sink) throws IOException {
        byte[] buffer = COPY_BUFFER.get();
        int received = 0;
        int n;
        while (received < length && (n = in.read(buffer, 0, Math.min(buffer.length, length - received))) > 0) {
            sink.accept(received, buffer, n);
            received += n;
        }
        return received;
    }

    /** Refuses a body cut short of its Content-Length: a lost connection must not read as zeros. */
    private static int checked(String key, GetObjectResponse response, int length, int received) throws IOException {
        Long announced = response.contentLength();
        if (announced != null && received < Math.min(announced, length)) {
            throw new IOException("S3 sent " + received + " of the " + announced + " bytes of " + key);
        }
        return received;
    }

    /** PUTs {@code length} bytes of {@code src} at {@code from} as the whole of chunk {@code index}. */
    void put(long index, ByteBuf src, int from, int length) {
        // a fresh stream over the same bytes for every attempt; the caller holds src until we return
        put(index, () -> new ByteBufInputStream(src.slice(from, length)), length);
    }

    /** PUTs {@code chunk} as the whole of chunk {@code index}. */
    void put(long index, byte[] chunk) {
        put(index, () -> new ByteArrayInputStream(chunk), chunk.length);
    }

    private void put(long index, Supplier<InputStream> body, int length) {
        String key = key(index);
        call(() -> client.putObject(b -> b.bucket(options.bucket()).key(key).contentLength((long) length),
                RequestBody.fromContentProvider(body::get, length, OCTETS)));
    }

    void delete(long index) {
        call(() -> client.deleteObject(b -> b.bucket(options.bucket()).key(key(index)))); // missing keys: still 204
    }

    /**
     * The written chunk indexes from {@code from} on, in order, at most {@code max} of them (one
     * LIST request; chunk keys sort in index order).
     */
    long[] writtenChunksFrom(long from, int max) {
        String startAfter = from == 0 ? null : key(from - 1);
        ListObjectsV2Response page = call(() -> client.listObjectsV2(b -> b.bucket(options.bucket())
                .prefix(options.key(CHUNK_PREFIX)).startAfter(startAfter).maxKeys(max)));
        List<S3Object> contents = page.contents();
        return contents.stream().mapToLong(o -> indexOf(o.key())).filter(i -> i >= from).toArray();
    }

    private long indexOf(String key) {
        String hex = key.substring(key.lastIndexOf(CHUNK_PREFIX) + CHUNK_PREFIX.length());
        try {
            return Long.parseUnsignedLong(hex, 16);
        } catch (NumberFormatException e) {
            return Long.MAX_VALUE; // a stray object under the prefix: not one of ours
        }
    }

    /** The geometry object, or null when the device was never created. */
    Geometry readGeometry() {
        String key = options.key(Geometry.OBJECT_NAME);
        try {
            return Geometry.decode(call(() -> client.getObjectAsBytes(b -> b.bucket(options.bucket()).key(key)))
                    .asByteArray(), "s3://" + options.bucket() + "/" + key);
        } catch (S3Exception e) {
            if (S3Failures.isNotFound(e)) {
                return null;
            }
            throw e;
        }
    }

    void writeGeometry(Geometry geometry) {
        byte[] bytes = geometry.encode();
        call(() -> client.putObject(b -> b.bucket(options.bucket()).key(options.key(Geometry.OBJECT_NAME))
                .contentType("text/plain").contentLength((long) bytes.length), RequestBody.fromBytes(bytes)));
    }

    private <T> T call(Supplier<T> request) {
        requestsInFlight.add(1);
        try {
            return request.get();
        } finally {
            requestsInFlight.subtract(1);
        }
    }
}
