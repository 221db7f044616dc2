package io.jtgt.scsi.core.sbc;

import io.jtgt.scsi.api.ScsiResponse;
import io.jtgt.scsi.core.CommandContext;
import io.jtgt.scsi.core.Medium;
import io.jtgt.scsi.core.ScsiException;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.PooledByteBufAllocator;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;

/**
 * WRITE SAME (10) (SBC-3 5.41) and WRITE SAME (16) (SBC-3 5.42): one block of Data-Out written
 * to every block of the range, in chunks of at most MAXIMUM TRANSFER LENGTH, one after another.
 * With UNMAP=1 on a thin-provisioned unit whose unmapped blocks read as zeros, an all-zero block
 * deallocates the range instead (SBC-3 4.7.3.4: reading it back gives the same zeros). ANCHOR is
 * refused (ANC_SUP=0), as is NUMBER OF LOGICAL BLOCKS 0 (WSNZ=1) and more than MAXIMUM WRITE SAME
 * LENGTH. LBDATA/PBDATA (obsolete) and NDOB are outside the usage mask, so they are refused too.
 */
final class WriteSame {

    private WriteSame() {}

    static CompletionStage<ScsiResponse> execute(CommandContext ctx) {
        byte[] cdb = ctx.cdb();
        Medium m = ctx.medium();
        BlockIo io = BlockIo.parse(cdb).requireNoProtection();
        if ((cdb[1] & 0x10) != 0) {
            throw ScsiException.invalidCdbField(1, 4); // ANCHOR without ANC_SUP
        }
        boolean unmap = (cdb[1] & 0x08) != 0;
        if (io.blocks() == 0 || io.blocks() > BlockLimits.MAX_WRITE_SAME_BLOCKS) {
            throw ScsiException.invalidCdbField(io.lengthOffset(), -1);
        }
        io.requireInRange(m);
        int bs = m.blockSize();
        ctx.command().scsiTransferLength(bs);
        if (ctx.command().expectedDataTransferLength() < bs) {
            throw ScsiException.invalidCdbField(io.lengthOffset(), -1); // no block to write
        }
        boolean fua = !ctx.device().modeParameters().writeCacheEnabled();
        return ctx.receiveData(bs).thenCompose(block -> {
            try {
                if (unmap && Provisioning.enabled(ctx.table(), m) && m.unmappedReadsZeros() && allZero(block)) {
                    return m.store().unmap(io.offset(m), io.blocks() * bs);
                }
                return writeRepeated(m, io.offset(m), io.blocks(), block, fua);
            } finally {
                block.release();
            }
        }).thenApply(v -> ScsiResponse.good());
    }

    private static boolean allZero(ByteBuf b) {
        for (int i = b.readerIndex(); i < b.writerIndex(); i++) {
            if (b.getByte(i) != 0) {
                return false;
            }
        }
        return true;
    }

    /** Writes the block over {@code blocks} blocks from {@code offset}, chunk after chunk. */
    private static CompletableFuture<Void> writeRepeated(Medium m, long offset, long blocks, ByteBuf block, boolean fua) {
        int bs = m.blockSize();
        int chunkBlocks = (int) Math.min(blocks, BlockLimits.maxTransferBlocks(bs) / 8);
        chunkBlocks = Math.max(1, chunkBlocks);
        ByteBuf chunk = PooledByteBufAllocator.DEFAULT.directBuffer(chunkBlocks * bs);
        for (int i = 0; i < chunkBlocks; i++) {
            chunk.writeBytes(block, block.readerIndex(), bs);
        }
        CompletableFuture<Void> done = step(m, offset, blocks, chunk, chunkBlocks, fua);
        return done.whenComplete((v, t) -> chunk.release());
    }

    private static CompletableFuture<Void> step(Medium m, long offset, long remaining, ByteBuf chunk, int chunkBlocks,
            boolean fua) {
        if (remaining == 0) {
            return CompletableFuture.completedFuture(null);
        }
        int n = (int) Math.min(remaining, chunkBlocks);
        int bytes = n * m.blockSize();
        CompletableFuture<Void> w;
        try {
            w = m.store().write(offset, chunk.slice(0, bytes), fua);
        } catch (RuntimeException e) {
            w = CompletableFuture.failedFuture(e);
        }
        return w.thenCompose(v -> step(m, offset + bytes, remaining - n, chunk, chunkBlocks, fua));
    }
}
