package io.jtgt.scsi.core.sbc;

import io.jtgt.scsi.core.Medium;

/**
 * The limits jtgt advertises in the Block Limits VPD page (SBC-3 6.6.4) and enforces in the
 * commands, kept in one place so the page and the checks cannot disagree.
 */
public final class BlockLimits {

    /** Largest READ/WRITE/VERIFY data transfer, in bytes (MAXIMUM TRANSFER LENGTH x block size). */
    public static final int MAX_TRANSFER_BYTES = 32 * 1024 * 1024;

    /** MAXIMUM UNMAP LBA COUNT. */
    public static final long MAX_UNMAP_BLOCKS = 1024 * 1024;
    /** MAXIMUM UNMAP BLOCK DESCRIPTOR COUNT. */
    public static final long MAX_UNMAP_DESCRIPTORS = 256;
    /**
     * MAXIMUM WRITE SAME LENGTH in blocks; 0 = no limit (WRITE SAME writes in chunks, so any
     * length works, and NUMBER OF LOGICAL BLOCKS 0 means "to the last block", WSNZ=0).
     */
    public static final long MAX_WRITE_SAME_BLOCKS = 0;
    /** MAXIMUM COMPARE AND WRITE LENGTH in blocks (one byte in the page). */
    public static final int MAX_COMPARE_AND_WRITE_BLOCKS = 1;

    /** MAXIMUM ATOMIC TRANSFER LENGTH in bytes (SBC-4 6.6.4): one store write of at most 1 MiB. */
    public static final int MAX_ATOMIC_TRANSFER_BYTES = 1024 * 1024;

    private BlockLimits() {}

    /** MAXIMUM ATOMIC TRANSFER LENGTH in blocks (never above MAXIMUM TRANSFER LENGTH). */
    public static long maxAtomicTransferBlocks(int blockSize) {
        return Math.min(MAX_ATOMIC_TRANSFER_BYTES / blockSize, maxTransferBlocks(blockSize));
    }

    /** MAXIMUM TRANSFER LENGTH in blocks. */
    public static long maxTransferBlocks(int blockSize) {
        return MAX_TRANSFER_BYTES / blockSize;
    }

    /** OPTIMAL TRANSFER LENGTH in blocks, 0 when the backend has no preference. */
    public static long optimalTransferBlocks(Medium m) {
        return m == null ? 0 : Math.min(m.capabilities().optimalIoBytes() / m.blockSize(), maxTransferBlocks(m.blockSize()));
    }

    /**
     * OPTIMAL TRANSFER LENGTH GRANULARITY in blocks (SBC-3 6.6.4): one physical block, 0 when
     * physical and logical blocks are the same (any transfer is fine).
     */
    public static int transferGranularityBlocks(Medium m) {
        if (m == null || m.blocksPerPhysicalBlock() <= 1) {
            return 0;
        }
        return Math.min(0xFFFF, m.blocksPerPhysicalBlock());
    }
}
