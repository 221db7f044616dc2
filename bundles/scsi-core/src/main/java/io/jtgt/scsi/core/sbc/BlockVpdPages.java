package io.jtgt.scsi.core.sbc;

import static io.jtgt.scsi.core.Cdb.put16;
import static io.jtgt.scsi.core.Cdb.put32;
import static io.jtgt.scsi.core.Cdb.put64;

import io.jtgt.scsi.core.CommandContext;
import io.jtgt.scsi.core.CommandTable;
import io.jtgt.scsi.core.Medium;
import io.jtgt.scsi.core.spc.VpdPage;
import java.util.List;

/**
 * The SBC-3 VPD pages: Block Limits (6.6.4), Block Device Characteristics (6.6.2) and Logical
 * Block Provisioning (6.6.5). Every limit for an optional command is derived from whether the
 * dispatch table has that command and what the store can do, so the pages, READ CAPACITY (16)
 * and the commands agree.
 */
final class BlockVpdPages {

    private BlockVpdPages() {}

    static List<VpdPage> pages() {
        return List.of(new VpdPage(0xB0, BlockVpdPages::blockLimits),
                new VpdPage(0xB1, BlockVpdPages::characteristics),
                new VpdPage(0xB2, BlockVpdPages::provisioning));
    }

    private static boolean has(CommandContext ctx, int opcode, int sa) {
        return ctx.table().find(opcode, sa) != null;
    }

    static boolean unmapSupported(CommandTable table, Medium m) {
        return Provisioning.enabled(table, m);
    }

    private static byte[] blockLimits(CommandContext ctx) {
        Medium m = ctx.device().medium();
        int blockSize = ctx.device().definition().blockSize();
        byte[] b = new byte[0x3C];
        // b[n] is page byte n + 4
        // WSNZ stays 0: WRITE SAME with NUMBER OF LOGICAL BLOCKS 0 covers the rest of the medium
        if (has(ctx, 0x89, -1)) {
            b[1] = (byte) BlockLimits.MAX_COMPARE_AND_WRITE_BLOCKS;
        }
        put16(b, 2, BlockLimits.transferGranularityBlocks(m));
        put32(b, 4, BlockLimits.maxTransferBlocks(blockSize));
        put32(b, 8, BlockLimits.optimalTransferBlocks(m));
        // MAXIMUM PREFETCH LENGTH stays 0: there is no cache to pre-fetch into
        if (unmapSupported(ctx.table(), m)) {
            put32(b, 16, BlockLimits.MAX_UNMAP_BLOCKS);
            put32(b, 20, BlockLimits.MAX_UNMAP_DESCRIPTORS);
            put32(b, 24, Math.max(1, BlockLimits.transferGranularityBlocks(m))); // OPTIMAL UNMAP GRANULARITY
        }
        if (has(ctx, 0x93, -1)) {
            put64(b, 32, BlockLimits.MAX_WRITE_SAME_BLOCKS);
        }
        if (has(ctx, 0x9C, -1)) {
            // SBC-4 6.6.4: MAXIMUM ATOMIC TRANSFER LENGTH; ATOMIC ALIGNMENT and ATOMIC TRANSFER
            // LENGTH GRANULARITY 0 = any; no atomic boundaries (the last two fields stay 0)
            put32(b, 40, BlockLimits.maxAtomicTransferBlocks(blockSize));
            put32(b, 44, 0);
            put32(b, 48, 0);
        }
        return VpdPage.withHeader(0xB0, b);
    }

    /**
     * SBC-3 6.6.2: MEDIUM ROTATION RATE 1 (non-rotating medium); form factor not reported. WABEREQ
     * 01b where SANITIZE BLOCK ERASE is offered: reading an erased block succeeds (it reads zeros).
     */
    private static byte[] characteristics(CommandContext ctx) {
        byte[] b = new byte[0x3C];
        put16(b, 0, 0x0001);
        if (Provisioning.enabled(ctx.table(), ctx.device().medium())) {
            b[3] = 0x40; // WABEREQ 01b (page byte 7)
        }
        return VpdPage.withHeader(0xB1, b);
    }

    /**
     * SBC-3 6.6.5: LBPU (UNMAP) and LBPWS / LBPWS10 (WRITE SAME with UNMAP) when provisioning is
     * enabled and the commands exist; LBPRZ as in READ CAPACITY (16); PROVISIONING TYPE thin.
     */
    private static byte[] provisioning(CommandContext ctx) {
        Medium m = ctx.device().medium();
        byte[] b = new byte[4];
        if (Provisioning.enabled(ctx.table(), m)) {
            int flags = 0;
            if (has(ctx, 0x42, -1)) {
                flags |= 0x80; // LBPU
            }
            if (has(ctx, 0x93, -1)) {
                flags |= 0x40; // LBPWS
            }
            if (has(ctx, 0x41, -1)) {
                flags |= 0x20; // LBPWS10
            }
            if (m.unmappedReadsZeros()) {
                flags |= 0x04; // LBPRZ
            }
            b[1] = (byte) flags;
            b[2] = 0x02; // PROVISIONING TYPE: thin provisioned
        }
        return VpdPage.withHeader(0xB2, b);
    }
}
