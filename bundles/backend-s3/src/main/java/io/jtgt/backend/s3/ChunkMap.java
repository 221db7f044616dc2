package io.jtgt.backend.s3;

import java.util.BitSet;

/**
 * Which chunks may have an object, so that reading a chunk never written costs no request and GET
 * LBA STATUS is answered from memory. Read once from a LIST of the prefix when the store opens,
 * then kept by the store itself (the only writer of its prefix): a chunk is marked before its PUT
 * starts and cleared only after S3 acknowledged its DELETE, so a failed or unfinished request can
 * only leave a chunk marked that has no object (read as zeros by a GET answering 404, reported
 * mapped), never the other way round. One bit per chunk.
 */
final class ChunkMap {

    /** LIST page size: one request describes up to this many chunks. */
    private static final int LIST_KEYS = 1000;

    private final long chunkCount;
    private final BitSet mayExist; // guarded by this

    private ChunkMap(long chunkCount) {
        if (chunkCount > Integer.MAX_VALUE) {
            throw new IllegalArgumentException("s3ChunkSize: " + chunkCount + " chunks are too many to map");
        }
        this.chunkCount = chunkCount;
        this.mayExist = new BitSet((int) chunkCount);
    }

    /** The chunks of a new device: none written. */
    static ChunkMap empty(long chunkCount) {
        return new ChunkMap(chunkCount);
    }

    /** The chunks that have objects under the prefix now, page by page (blocking: call on the store's pool). */
    static ChunkMap list(ChunkObjects objects, long chunkCount) {
        ChunkMap map = new ChunkMap(chunkCount);
        long from = 0;
        while (from < chunkCount) {
            long[] written = objects.writtenChunksFrom(from, LIST_KEYS);
            if (written.length == 0) {
                break;
            }
            for (long index : written) {
                if (index < chunkCount) {
                    map.markWritten(index);
                }
            }
            from = written[written.length - 1] + 1;
        }
        return map;
    }

    synchronized boolean mayExist(long index) {
        return mayExist.get((int) index);
    }

    /** Before a PUT of the chunk starts. */
    synchronized void markWritten(long index) {
        mayExist.set((int) index);
    }

    /** After S3 acknowledged the DELETE of the chunk. */
    synchronized void markDeleted(long index) {
        mayExist.clear((int) index);
    }

    /** How many chunks from {@code index} on (at most up to {@code end}) share its state. */
    synchronized long runFrom(long index, long end) {
        long stop = Math.min(end, chunkCount);
        boolean state = mayExist.get((int) index);
        int next = state ? mayExist.nextClearBit((int) index) : mayExist.nextSetBit((int) index);
        long runEnd = next < 0 ? stop : Math.min(stop, next);
        return runEnd - index;
    }

    synchronized int written() {
        return mayExist.cardinality();
    }
}
