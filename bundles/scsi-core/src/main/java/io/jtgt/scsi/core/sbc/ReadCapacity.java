package io.jtgt.scsi.core.sbc;

import static io.jtgt.scsi.core.Cdb.bit;
import static io.jtgt.scsi.core.Cdb.put32;
import static io.jtgt.scsi.core.Cdb.put64;
import static io.jtgt.scsi.core.Cdb.u32;
import static io.jtgt.scsi.core.Cdb.u64;

import io.jtgt.scsi.api.ScsiResponse;
import io.jtgt.scsi.core.CommandContext;
import io.jtgt.scsi.core.Medium;
import io.jtgt.scsi.core.ScsiException;
import java.util.concurrent.CompletionStage;

/** READ CAPACITY (10) (SBC-3 5.15) and READ CAPACITY (16) (SBC-3 5.16). */
final class ReadCapacity {

    private ReadCapacity() {}

    /** SBC-3 5.15: 8 bytes, the last LBA capped at FFFFFFFFh (the initiator then asks with (16)). */
    static CompletionStage<ScsiResponse> readCapacity10(CommandContext ctx) {
        byte[] cdb = ctx.cdb();
        checkPmi(bit(cdb, 8, 0), u32(cdb, 2) != 0, 2);
        Medium m = ctx.medium();
        long last = m.blocks() - 1;
        byte[] data = new byte[8];
        put32(data, 0, Math.min(last, 0xFFFF_FFFFL));
        put32(data, 4, m.blockSize());
        return CommandContext.done(CommandContext.dataIn(data, data.length));
    }

    /**
     * SBC-3 5.16: 32 bytes. LBPME is set when the storage is thin-provisioned and the store can
     * unmap, LBPRZ when unmapped blocks then read as zeros; the Logical Block Provisioning VPD
     * page (B2h) reports the same facts. No protection information (PROT_EN 0).
     */
    static CompletionStage<ScsiResponse> readCapacity16(CommandContext ctx) {
        byte[] cdb = ctx.cdb();
        checkPmi(bit(cdb, 14, 0), u64(cdb, 2) != 0, 2);
        int allocation = (int) Math.min(u32(cdb, 10), Integer.MAX_VALUE);
        Medium m = ctx.medium();
        byte[] data = new byte[32];
        put64(data, 0, m.blocks() - 1);
        put32(data, 8, m.blockSize());
        int physicalExponent = physicalBlockExponent(m);
        data[13] = (byte) physicalExponent; // LOGICAL BLOCKS PER PHYSICAL BLOCK EXPONENT
        if (Provisioning.enabled(ctx.table(), m)) {
            data[14] |= (byte) 0x80; // LBPME
            if (m.unmappedReadsZeros()) {
                data[14] |= 0x40; // LBPRZ
            }
        }
        return CommandContext.done(CommandContext.dataIn(data, allocation));
    }

    /** SBC-3 5.16.2: log2 of the logical blocks per physical block. */
    static int physicalBlockExponent(Medium m) {
        return Integer.numberOfTrailingZeros(m.blocksPerPhysicalBlock());
    }

    /** SBC-3 5.15.1: with PMI zero the LOGICAL BLOCK ADDRESS field must be zero. */
    private static void checkPmi(boolean pmi, boolean lbaSet, int lbaOffset) {
        if (!pmi && lbaSet) {
            throw ScsiException.invalidCdbField(lbaOffset, -1);
        }
    }
}
