package io.jtgt.scsi.core.spc;

import static io.jtgt.scsi.core.Cdb.put16;
import static io.jtgt.scsi.core.Cdb.put32;
import static io.jtgt.scsi.core.Cdb.put64;
import static io.jtgt.scsi.core.Cdb.u16;
import static io.jtgt.scsi.core.Cdb.u8;

import io.jtgt.scsi.api.ScsiResponse;
import io.jtgt.scsi.core.CommandContext;
import io.jtgt.scsi.core.Medium;
import io.jtgt.scsi.core.ScsiException;
import io.jtgt.scsi.core.SenseCode;
import io.jtgt.scsi.core.SenseData;
import java.io.ByteArrayOutputStream;
import java.util.concurrent.CompletionStage;

/**
 * MODE SENSE (6) (SPC-4 6.11) and MODE SENSE (10) (SPC-4 6.12): mode parameter header (SPC-4
 * 7.5.4 / SBC-3 6.4.2: DPOFUA set), optional short or long LBA block descriptor (SBC-3 6.4.2,
 * LLBAA only in the 10-byte form), then the pages. PC 11b (saved values) is answered when the
 * unit can save its mode parameters, else refused with SAVING PARAMETERS NOT SUPPORTED.
 */
final class ModeSense {

    private ModeSense() {}

    static CompletionStage<ScsiResponse> sense6(CommandContext ctx) {
        return execute(ctx, false);
    }

    static CompletionStage<ScsiResponse> sense10(CommandContext ctx) {
        return execute(ctx, true);
    }

    private static CompletionStage<ScsiResponse> execute(CommandContext ctx, boolean ten) {
        byte[] cdb = ctx.cdb();
        boolean dbd = (cdb[1] & 0x08) != 0;
        boolean llbaa = ten && (cdb[1] & 0x10) != 0;
        int pc = (cdb[2] & 0xC0) >>> 6;
        int pageCode = cdb[2] & 0x3F;
        int subpage = u8(cdb, 3);
        int allocation = ten ? u16(cdb, 7) : u8(cdb, 4);
        if (pc == ModePages.PC_SAVED && !ModePages.savingSupported(ctx.device())) {
            // SPC-4 6.11: saved values exist only where the service keeps state
            throw new ScsiException(SenseData.of(SenseCode.SAVING_PARAMETERS_NOT_SUPPORTED).fieldPointer(true, 2, 7));
        }
        ByteArrayOutputStream pages = new ByteArrayOutputStream();
        Medium m = ctx.medium();
        if (pageCode == ModePages.ALL) {
            if (subpage != 0x00 && subpage != 0xFF) {
                throw ScsiException.invalidCdbField(3, -1);
            }
            for (int code : ModePages.CODES) {
                pages.writeBytes(ModePages.page(code, pc, ctx.device(), m));
            }
        } else {
            if (!ModePages.exists(pageCode)) {
                throw ScsiException.invalidCdbField(2, 5);
            }
            if (subpage != 0x00 && subpage != 0xFF) { // no page has subpages; FFh asks for page 0 + none
                throw ScsiException.invalidCdbField(3, -1);
            }
            pages.writeBytes(ModePages.page(pageCode, pc, ctx.device(), m));
        }
        byte[] descriptor = dbd ? new byte[0] : blockDescriptor(m, llbaa, pc);
        int headerLength = ten ? 8 : 4;
        byte[] data = new byte[headerLength + descriptor.length + pages.size()];
        int deviceSpecific = 0x10; // DPOFUA: DPO and FUA are supported (SBC-3 6.4.2)
        if (ctx.device().writeProtected()) {
            deviceSpecific |= 0x80; // WP (SBC-3 6.4.2): a read-only storage or SWP
        }
        if (ten) {
            put16(data, 0, data.length - 2);
            data[3] = (byte) deviceSpecific;
            data[4] = (byte) (llbaa && !dbd ? 0x01 : 0); // LONGLBA
            put16(data, 6, descriptor.length);
        } else {
            data[0] = (byte) (data.length - 1);
            data[2] = (byte) deviceSpecific;
            data[3] = (byte) descriptor.length;
        }
        System.arraycopy(descriptor, 0, data, headerLength, descriptor.length);
        byte[] p = pages.toByteArray();
        System.arraycopy(p, 0, data, headerLength + descriptor.length, p.length);
        return CommandContext.done(CommandContext.dataIn(data, allocation));
    }

    /** SBC-3 6.4.2.2 short / 6.4.2.3 long LBA mode parameter block descriptor; nothing changeable. */
    private static byte[] blockDescriptor(Medium m, boolean longLba, int pc) {
        byte[] d = new byte[longLba ? 16 : 8];
        if (pc == ModePages.PC_CHANGEABLE) {
            return d;
        }
        long blocks = m.blocks();
        if (longLba) {
            put64(d, 0, blocks);
            put32(d, 12, m.blockSize());
        } else {
            put32(d, 0, Math.min(blocks, 0xFFFF_FFFFL)); // FFFFFFFFh: too many, ask with LLBAA
            d[5] = (byte) (m.blockSize() >>> 16);
            d[6] = (byte) (m.blockSize() >>> 8);
            d[7] = (byte) m.blockSize();
        }
        return d;
    }
}
