package io.jtgt.scsi.core.sbc;

import static io.jtgt.scsi.core.Cdb.u16;
import static io.jtgt.scsi.core.Cdb.u32;
import static io.jtgt.scsi.core.Cdb.u64;

import io.jtgt.scsi.api.ScsiResponse;
import io.jtgt.scsi.core.CommandContext;
import io.jtgt.scsi.core.Medium;
import io.jtgt.scsi.core.ScsiException;
import io.jtgt.scsi.core.SenseCode;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufUtil;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;

/**
 * UNMAP (SBC-3 5.28): deallocates the ranges of the parameter list (8-byte header, 16-byte block
 * descriptors). The whole list is validated (descriptor count, total blocks against the Block
 * Limits VPD page, every range against the capacity) before anything is unmapped. Offered only
 * where logical block provisioning is enabled (LBPU=1).
 */
final class Unmap {

    private Unmap() {}

    static boolean available(CommandContext ctx) {
        return Provisioning.enabled(ctx.table(), ctx.medium());
    }

    static CompletionStage<ScsiResponse> execute(CommandContext ctx) {
        byte[] cdb = ctx.cdb();
        Medium m = ctx.medium();
        if ((cdb[1] & 0x01) != 0) {
            throw ScsiException.invalidCdbField(1, 0); // ANCHOR without ANC_SUP
        }
        int length = u16(cdb, 7);
        if (length == 0) {
            return CommandContext.good();
        }
        if (length < 8) {
            throw new ScsiException(SenseCode.PARAMETER_LIST_LENGTH_ERROR);
        }
        ctx.command().scsiTransferLength(length);
        int available = Math.min(length, ctx.command().expectedDataTransferLength());
        if (available < 8) {
            throw new ScsiException(SenseCode.PARAMETER_LIST_LENGTH_ERROR);
        }
        return ctx.receiveData(available).thenCompose(buf -> {
            byte[] list;
            try {
                list = ByteBufUtil.getBytes(buf);
            } finally {
                buf.release();
            }
            return unmap(m, parse(list, m));
        }).thenApply(v -> ScsiResponse.good());
    }

    private record Range(long offset, long length) {}

    static List<long[]> descriptors(byte[] list) {
        int declared = u16(list, 2);
        int usable = Math.min(declared, list.length - 8) / 16;
        List<long[]> result = new ArrayList<>();
        for (int i = 0; i < usable; i++) {
            int p = 8 + 16 * i;
            result.add(new long[] {u64(list, p), u32(list, p + 8)});
        }
        return result;
    }

    private static List<Range> parse(byte[] list, Medium m) {
        List<long[]> descriptors = descriptors(list);
        if (descriptors.size() > BlockLimits.MAX_UNMAP_DESCRIPTORS) {
            throw ScsiException.invalidParameterField(2, -1);
        }
        long capacity = m.blocks();
        long total = 0;
        List<Range> ranges = new ArrayList<>();
        for (long[] d : descriptors) {
            long lba = d[0];
            long blocks = d[1];
            if (Long.compareUnsigned(lba, capacity) > 0 || blocks > capacity - lba) {
                throw new ScsiException(SenseCode.LBA_OUT_OF_RANGE);
            }
            total += blocks;
            if (total > BlockLimits.MAX_UNMAP_BLOCKS) {
                throw ScsiException.invalidParameterField(8 + 16 * ranges.size() + 8, -1);
            }
            if (blocks > 0) {
                ranges.add(new Range(lba * m.blockSize(), blocks * m.blockSize()));
            }
        }
        return ranges;
    }

    private static CompletableFuture<Void> unmap(Medium m, List<Range> ranges) {
        CompletableFuture<?>[] all = new CompletableFuture<?>[ranges.size()];
        for (int i = 0; i < all.length; i++) {
            Range r = ranges.get(i);
            try {
                all[i] = m.store().unmap(r.offset(), r.length());
            } catch (RuntimeException e) {
                all[i] = CompletableFuture.failedFuture(e);
            }
        }
        return CompletableFuture.allOf(all);
    }
}
