package io.jtgt.backend.s3;

import java.util.List;
import software.amazon.awssdk.core.ResponseBytes;
import software.amazon.awssdk.core.sync.RequestBody;
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
 * <p>Keys are {@code <prefix>/chunk-<index as 16 hex digits>}: fixed width keeps S3's
 * lexicographic listing in chunk order, which {@link #firstChunkAtOrAfter} relies on.
 */
final class ChunkObjects {

    private static final String CHUNK_PREFIX = "chunk-";

    private final S3Client client;
    private final S3StorageOptions options;

    ChunkObjects(S3Client client, S3StorageOptions options) {
        this.client = client;
        this.options = options;
    }

    String key(long index) {
        return options.key(CHUNK_PREFIX + String.format("%016x", index));
    }

    /**
     * Reads {@code length} bytes at {@code offsetInChunk} of chunk {@code index} into {@code dst}
     * (zeros where the object is missing or shorter); returns whether the object exists.
     */
    boolean readRange(long index, int offsetInChunk, byte[] dst, int length) {
        ResponseBytes<GetObjectResponse> bytes;
        try {
            bytes = client.getObjectAsBytes(b -> b.bucket(options.bucket()).key(key(index))
                    .range("bytes=" + offsetInChunk + "-" + (offsetInChunk + (long) length - 1)));
        } catch (S3Exception e) {
            if (e.statusCode() == 416) { // object shorter than the range (a device grown since): zeros
                java.util.Arrays.fill(dst, 0, length, (byte) 0);
                return true;
            }
            if (S3Failures.isNotFound(e)) {
                java.util.Arrays.fill(dst, 0, length, (byte) 0);
                return false;
            }
            throw e;
        }
        byte[] data = bytes.asByteArrayUnsafe();
        int n = Math.min(data.length, length);
        System.arraycopy(data, 0, dst, 0, n);
        java.util.Arrays.fill(dst, n, length, (byte) 0);
        return true;
    }

    void put(long index, byte[] chunk) {
        client.putObject(b -> b.bucket(options.bucket()).key(key(index)).contentLength((long) chunk.length),
                RequestBody.fromBytes(chunk));
    }

    void delete(long index) {
        client.deleteObject(b -> b.bucket(options.bucket()).key(key(index))); // missing keys: still 204
    }

    /**
     * The written chunk indexes from {@code from} on, in order, at most {@code max} of them (one
     * LIST request; chunk keys sort in index order).
     */
    long[] writtenChunksFrom(long from, int max) {
        String startAfter = from == 0 ? null : key(from - 1);
        ListObjectsV2Response page = client.listObjectsV2(b -> b.bucket(options.bucket())
                .prefix(options.key(CHUNK_PREFIX)).startAfter(startAfter).maxKeys(max));
        List<S3Object> contents = page.contents();
        return contents.stream().mapToLong(o -> indexOf(o.key())).filter(i -> i >= from).toArray();
    }

    /** Whether chunk {@code index} exists (HEAD). */
    boolean exists(long index) {
        try {
            client.headObject(b -> b.bucket(options.bucket()).key(key(index)));
            return true;
        } catch (S3Exception e) {
            if (S3Failures.isNotFound(e)) {
                return false;
            }
            throw e;
        }
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
            return Geometry.decode(client.getObjectAsBytes(b -> b.bucket(options.bucket()).key(key)).asByteArray(),
                    "s3://" + options.bucket() + "/" + key);
        } catch (S3Exception e) {
            if (S3Failures.isNotFound(e)) {
                return null;
            }
            throw e;
        }
    }

    void writeGeometry(Geometry geometry) {
        byte[] bytes = geometry.encode();
        client.putObject(b -> b.bucket(options.bucket()).key(options.key(Geometry.OBJECT_NAME))
                .contentType("text/plain").contentLength((long) bytes.length), RequestBody.fromBytes(bytes));
    }
}
