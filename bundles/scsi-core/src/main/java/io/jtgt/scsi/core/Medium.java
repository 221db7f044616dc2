package io.jtgt.scsi.core;

import io.jtgt.scsi.spi.BackingStore;
import io.jtgt.scsi.spi.Capabilities;

/**
 * An opened store as one command sees it: taken once when the command starts, so a provider
 * leaving mid-command cannot swap the store under it (the backend finishes in-flight I/O before
 * it closes).
 *
 * @param thinProvisioned the storage is configured thin and the store can unmap (SBC-3 LBPME)
 * @param physicalBlockSize bytes per physical block, a power-of-two multiple of {@code blockSize}
 *     (SBC-3 5.16.2 LOGICAL BLOCKS PER PHYSICAL BLOCK EXPONENT)
 */
public record Medium(BackingStore store, int blockSize, Capabilities capabilities, boolean thinProvisioned,
        int physicalBlockSize) {

    /**
     * The physical block size of a storage: {@code physicalBlockShift} when configured, else the
     * backend's alignment when it is a power-of-two multiple of the logical block, else the logical
     * block (at most 2^15 logical blocks, the largest exponent READ CAPACITY (16) can express).
     */
    public static int physicalBlockSize(int configuredShift, int blockSize, Capabilities caps) {
        if (configuredShift != 0) {
            return 1 << configuredShift;
        }
        int ratio = caps.alignmentBytes() / blockSize;
        if (ratio <= 1 || Integer.bitCount(ratio) != 1) {
            return blockSize;
        }
        return blockSize << Math.min(15, Integer.numberOfTrailingZeros(ratio));
    }

    /** Logical blocks per physical block (a power of two, 1 when they are the same). */
    public int blocksPerPhysicalBlock() {
        return physicalBlockSize / blockSize;
    }

    /** Number of logical blocks; follows the store's size if the backend learns of a resize. */
    public long blocks() {
        return store.size() / blockSize;
    }

    /** SBC-3 LBPRZ: unmapped blocks read as zeros. */
    public boolean unmappedReadsZeros() {
        return thinProvisioned && capabilities.unmapReadsZeros();
    }

    /** Converts a block count to bytes. */
    public long bytes(long blocks) {
        return blocks * blockSize;
    }
}
