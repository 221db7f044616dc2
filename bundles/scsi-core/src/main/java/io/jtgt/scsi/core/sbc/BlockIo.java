package io.jtgt.scsi.core.sbc;

import static io.jtgt.scsi.core.Cdb.u16;
import static io.jtgt.scsi.core.Cdb.u32;
import static io.jtgt.scsi.core.Cdb.u64;
import static io.jtgt.scsi.core.Cdb.u8;

import io.jtgt.scsi.core.Medium;
import io.jtgt.scsi.core.ScsiException;
import io.jtgt.scsi.core.SenseCode;

/**
 * The LBA, transfer length and flags of a block command CDB, in the 6, 10, 12 and 16 byte
 * layouts SBC-3 uses for READ, WRITE, VERIFY, WRITE AND VERIFY, PRE-FETCH, SYNCHRONIZE CACHE and
 * friends, with the range checks every one of them shares.
 *
 * @param lba the LOGICAL BLOCK ADDRESS (unsigned; the 16-byte form may exceed Long.MAX_VALUE)
 * @param blocks the TRANSFER LENGTH in blocks (READ/WRITE(6): 0 means 256, SBC-3 5.8 / 5.32)
 * @param fua the FUA bit (10/12/16 byte forms)
 * @param protect the RDPROTECT / WRPROTECT / VRPROTECT field
 * @param lbaOffset CDB byte where the LBA starts (for field pointers)
 * @param lengthOffset CDB byte where the transfer length starts
 */
public record BlockIo(long lba, long blocks, boolean fua, int protect, int lbaOffset, int lengthOffset) {

    /**
     * Parses by CDB length family: 6 (group 0), 10 (groups 1 and 2), 12 (group 5), 16 (group 4).
     * One allocation site on purpose: then C2's escape analysis can keep a READ's or WRITE's
     * BlockIo in registers (with one site per layout the merged value escapes, an object per I/O).
     */
    public static BlockIo parse(byte[] cdb) {
        int opcode = cdb[0] & 0xFF;
        boolean fua = (cdb[1] & 0x08) != 0;
        int protect = (cdb[1] & 0xE0) >>> 5;
        long lba;
        long blocks;
        int lengthOffset;
        switch (opcode >>> 5) {
            case 0 -> {
                int n = u8(cdb, 4);
                lba = ((cdb[1] & 0x1F) << 16) | u16(cdb, 2);
                blocks = n == 0 ? 256 : n;
                fua = false;
                protect = 0;
                lengthOffset = 4;
            }
            case 1, 2 -> {
                lba = u32(cdb, 2);
                blocks = u16(cdb, 7);
                lengthOffset = 7;
            }
            case 5 -> {
                lba = u32(cdb, 2);
                blocks = u32(cdb, 6);
                lengthOffset = 6;
            }
            case 4 -> {
                lba = u64(cdb, 2);
                blocks = u32(cdb, 10);
                lengthOffset = 10;
            }
            default -> throw new IllegalArgumentException("not a block command: " + opcode);
        }
        return new BlockIo(lba, blocks, fua, protect, lengthOffset == 4 ? 1 : 2, lengthOffset);
    }

    /**
     * SBC-3 4.22.2: without protection information any non-zero RDPROTECT/WRPROTECT/VRPROTECT is
     * INVALID FIELD IN CDB.
     */
    public BlockIo requireNoProtection() {
        if (protect != 0) {
            throw ScsiException.invalidCdbField(1, 7);
        }
        return this;
    }

    /**
     * LOGICAL BLOCK ADDRESS OUT OF RANGE when {@code lba + blocks} passes the capacity (SBC-3 4.5);
     * a zero-length transfer at LBA == capacity is fine, one past it is not.
     */
    public BlockIo requireInRange(Medium medium) {
        long capacity = medium.blocks();
        if (Long.compareUnsigned(lba, capacity) > 0 || blocks > capacity - lba) {
            throw new ScsiException(SenseCode.LBA_OUT_OF_RANGE);
        }
        return this;
    }

    /** INVALID FIELD IN CDB when the transfer exceeds the advertised MAXIMUM TRANSFER LENGTH (SBC-3 6.6.4). */
    public BlockIo requireWithinTransferLimit(Medium medium) {
        if (blocks > BlockLimits.maxTransferBlocks(medium.blockSize())) {
            throw ScsiException.invalidCdbField(lengthOffset, -1);
        }
        return this;
    }

    /** The byte offset of the first block. */
    public long offset(Medium medium) {
        return lba * medium.blockSize();
    }

    /** The transfer size in bytes; only valid after {@link #requireWithinTransferLimit}. */
    public int bytes(Medium medium) {
        return (int) (blocks * medium.blockSize());
    }
}
