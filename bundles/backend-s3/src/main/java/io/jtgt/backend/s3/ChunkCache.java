package io.jtgt.backend.s3;

import java.util.LinkedHashMap;
import java.util.Map;

/**
 * The exact content of the chunks this store read-modify-wrote last, so that the next change of
 * such a chunk skips its GET and reads of it are served from memory. Write-through only: an entry
 * is set after S3 acknowledged its PUT, so it is what S3 holds and nothing is ever lost with the
 * cache; any failed or bypassing write of the chunk removes the entry first. It relies on this
 * store being the only writer of its prefix, as every block device needs of its medium. At most
 * {@code capacity} chunks (least recently used go first); {@code capacity} 0 turns it off.
 *
 * <p>Cached arrays are never changed after they are put (readers copy from them without locks).
 */
final class ChunkCache {

    private final int capacity;
    private final Gauge bytes = new Gauge();
    private final LinkedHashMap<Long, byte[]> entries; // guarded by this

    ChunkCache(int capacity) {
        this.capacity = capacity;
        this.entries = new LinkedHashMap<>(16, 0.75f, true) {
            private static final long serialVersionUID = 1L;

            @Override
            protected boolean removeEldestEntry(Map.Entry<Long, byte[]> eldest) {
                if (size() > ChunkCache.this.capacity) {
                    bytes.subtract(eldest.getValue().length);
                    return true;
                }
                return false;
            }
        };
    }

    /** The chunk's content, or null when not known. */
    synchronized byte[] get(long index) {
        return entries.get(index);
    }

    /** Records what S3 now holds for the chunk ({@code content} is not changed afterwards). */
    synchronized void put(long index, byte[] content) {
        if (capacity == 0) {
            return;
        }
        byte[] old = entries.put(index, content); // evicts the eldest first when full
        if (old != null) {
            bytes.subtract(old.length);
        }
        bytes.add(content.length);
    }

    /** Forgets the chunk: S3's copy is not known (a write failed or went around the cache). */
    synchronized void forget(long index) {
        byte[] old = entries.remove(index);
        if (old != null) {
            bytes.subtract(old.length);
        }
    }

    /** Bytes of chunk content held now, and at most (bounded by capacity × chunk size). */
    Gauge bytes() {
        return bytes;
    }
}
