package io.jtgt.scsi.core.spc;

import static io.jtgt.scsi.core.Cdb.u16;
import static io.jtgt.scsi.core.Cdb.u24;
import static io.jtgt.scsi.core.Cdb.u32;
import static io.jtgt.scsi.core.Cdb.u8;

import io.jtgt.scsi.api.ScsiResponse;
import io.jtgt.scsi.core.CommandContext;
import io.jtgt.scsi.core.Medium;
import io.jtgt.scsi.core.ScsiException;
import io.jtgt.scsi.core.SenseCode;
import io.netty.buffer.ByteBufUtil;
import java.util.concurrent.CompletionStage;

/**
 * MODE SELECT (6) (SPC-4 6.9) and MODE SELECT (10) (SPC-4 6.10). The whole parameter list is
 * checked before anything changes: a block descriptor must describe the current capacity and
 * block size (no reformatting), every page must be one jtgt has, with its exact length, and
 * differ from the current values only in changeable bits (WCE of the caching page when the store
 * has a volatile cache, SWP of the control page). A change raises MODE PARAMETERS CHANGED on the other nexuses
 * (SPC-4 7.5.1). PF=0 (vendor-specific pages) is refused. SP=1 (SPC-4 6.9) then saves every
 * saveable parameter's current value durably before GOOD; a unit that cannot save (the service
 * has no state directory) refuses SP=1 with INVALID FIELD IN CDB. The PS bit of a page in the
 * parameter list is reserved (SPC-4 7.5.7) and ignored: initiators echo MODE SENSE data back.
 */
final class ModeSelect {

    private ModeSelect() {}

    static CompletionStage<ScsiResponse> select6(CommandContext ctx) {
        return execute(ctx, false, u8(ctx.cdb(), 4));
    }

    static CompletionStage<ScsiResponse> select10(CommandContext ctx) {
        return execute(ctx, true, u16(ctx.cdb(), 7));
    }

    private static CompletionStage<ScsiResponse> execute(CommandContext ctx, boolean ten, int length) {
        byte[] cdb = ctx.cdb();
        if ((cdb[1] & 0x10) == 0) {
            throw ScsiException.invalidCdbField(1, 4); // PF=0: no vendor-specific pages
        }
        boolean save = (cdb[1] & 0x01) != 0;
        if (save && !ModePages.savingSupported(ctx.device())) {
            throw ScsiException.invalidCdbField(1, 0); // SP=1: this unit has nowhere to save pages
        }
        if (length == 0) {
            return save ? saved(ctx) : CommandContext.good(); // SP=1 alone saves the current values
        }
        int header = ten ? 8 : 4;
        if (length < header) {
            throw new ScsiException(SenseCode.PARAMETER_LIST_LENGTH_ERROR);
        }
        ctx.command().scsiTransferLength(length);
        int available = Math.min(length, ctx.command().expectedDataTransferLength());
        if (available < header) {
            throw new ScsiException(SenseCode.PARAMETER_LIST_LENGTH_ERROR);
        }
        return ctx.receiveData(available).thenCompose(buf -> {
            byte[] list;
            try {
                list = ByteBufUtil.getBytes(buf);
            } finally {
                buf.release();
            }
            apply(ctx, list, ten);
            return save ? saved(ctx) : CommandContext.good();
        });
    }

    /** SPC-4 6.9: GOOD only once the saved pages are durable. */
    private static CompletionStage<ScsiResponse> saved(CommandContext ctx) {
        return ctx.device().saveModeParameters().thenApply(v -> ScsiResponse.good());
    }

    private static void apply(CommandContext ctx, byte[] p, boolean ten) {
        Medium m = ctx.medium();
        int header = ten ? 8 : 4;
        boolean longLba = ten && (p[4] & 0x01) != 0;
        int descriptorLength = ten ? u16(p, 6) : u8(p, 3);
        int expectedDescriptor = longLba ? 16 : 8;
        if (descriptorLength != 0 && descriptorLength != expectedDescriptor) {
            throw ScsiException.invalidParameterField(ten ? 6 : 3, -1);
        }
        if (header + descriptorLength > p.length) {
            throw new ScsiException(SenseCode.PARAMETER_LIST_LENGTH_ERROR);
        }
        if (descriptorLength > 0) {
            checkBlockDescriptor(p, header, longLba, m);
        }
        Boolean newWce = null;
        Boolean newSwp = null;
        int pos = header + descriptorLength;
        while (pos < p.length) {
            if (pos + 2 > p.length) {
                throw new ScsiException(SenseCode.PARAMETER_LIST_LENGTH_ERROR);
            }
            if ((p[pos] & 0x40) != 0) {
                throw ScsiException.invalidParameterField(pos, 6); // SPF: no subpages
            }
            int code = p[pos] & 0x3F;
            if (!ModePages.exists(code)) {
                throw ScsiException.invalidParameterField(pos, 5);
            }
            byte[] current = ModePages.page(code, ModePages.PC_CURRENT, ctx.device(), m);
            byte[] changeable = ModePages.page(code, ModePages.PC_CHANGEABLE, ctx.device(), m);
            if (u8(p, pos + 1) != current[1] || pos + current.length > p.length) {
                throw ScsiException.invalidParameterField(pos + 1, -1);
            }
            for (int i = 2; i < current.length; i++) {
                int differs = (p[pos + i] ^ current[i]) & ~changeable[i] & 0xFF;
                if (differs != 0) {
                    throw ScsiException.invalidParameterField(pos + i, 31 - Integer.numberOfLeadingZeros(differs));
                }
            }
            if (code == ModePages.CACHING) {
                newWce = (p[pos + 2] & 0x04) != 0;
            }
            if (code == ModePages.CONTROL) {
                newSwp = (p[pos + 4] & 0x08) != 0;
            }
            pos += current.length;
        }
        var params = ctx.device().modeParameters();
        boolean changed = false;
        if (newWce != null && newWce != params.writeCacheEnabled() && ModePages.writeCacheChangeable(m)) {
            params.writeCacheEnabled(newWce);
            changed = true;
        }
        if (newSwp != null && newSwp != params.softwareWriteProtect()) {
            params.softwareWriteProtect(newSwp);
            changed = true;
        }
        if (changed) {
            ctx.unitAttentionForOthers(SenseCode.MODE_PARAMETERS_CHANGED);
        }
    }

    /** SBC-3 6.4.2: the descriptor may repeat the current format (or leave NUMBER OF BLOCKS 0), not change it. */
    private static void checkBlockDescriptor(byte[] p, int at, boolean longLba, Medium m) {
        long blocks = longLba ? (u32(p, at) << 32) | u32(p, at + 4) : u32(p, at);
        long blockLength = longLba ? u32(p, at + 12) : u24(p, at + 5);
        long expectedBlocks = longLba ? m.blocks() : Math.min(m.blocks(), 0xFFFF_FFFFL);
        if (blocks != 0 && blocks != expectedBlocks) {
            throw ScsiException.invalidParameterField(at, -1);
        }
        if (blockLength != m.blockSize()) {
            throw ScsiException.invalidParameterField(at + (longLba ? 12 : 5), -1);
        }
    }
}
