package io.jtgt.scsi.core.sbc;

import io.jtgt.scsi.api.ScsiResponse;
import io.jtgt.scsi.core.CommandContext;
import io.jtgt.scsi.core.Medium;
import io.jtgt.scsi.core.ScsiException;
import io.jtgt.scsi.core.Sequential;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.PooledByteBufAllocator;
import io.netty.buffer.Unpooled;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;

/**
 * WRITE SAME (10) (SBC-3 5.41) and WRITE SAME (16) (SBC-3 5.42): one block of Data-Out written
 * to every block of the range, in chunks of at most MAXIMUM TRANSFER LENGTH, one after another.
 * With UNMAP=1 on a unit with logical block provisioning enabled the range is deallocated instead
 * (SBC-3 5.42 / 4.7.3.4, as LIO does and libiscsi expects: the Data-Out block is not consulted;
 * LBPRZ tells the initiator what reading the range then returns). NUMBER OF
 * LOGICAL BLOCKS 0 means up to the last block (WSNZ=0). ANCHOR is refused (ANC_SUP=0).
 * LBDATA/PBDATA (obsolete) are outside the usage mask, so they are refused too; NDOB (WRITE SAME
 * (16) only) writes zeros or unmaps without Data-Out.
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
        io.requireInRange(m);
        long blocks = io.blocks() == 0 ? m.blocks() - io.lba() : io.blocks();
        if (BlockLimits.MAX_WRITE_SAME_BLOCKS > 0 && blocks > BlockLimits.MAX_WRITE_SAME_BLOCKS) {
            throw ScsiException.invalidCdbField(io.lengthOffset(), -1);
        }
        int bs = m.blockSize();
        ctx.command().scsiTransferLength(bs);
        if (blocks == 0) {
            return CommandContext.good(); // LBA == capacity with "to the end": nothing to write
        }
        boolean deallocate = unmap && Provisioning.enabled(ctx.table(), m);
        int announced = ctx.command().expectedDataTransferLength();
        boolean noDataOut = cdb[0] == (byte) 0x93 && (cdb[1] & 0x01) != 0; // NDOB, WRITE SAME (16) only
        if (noDataOut) {
            // SBC-3 5.42 NDOB: no Data-Out; the blocks become zeros, or are unmapped with UNMAP=1
            if (announced != 0) {
                throw ScsiException.invalidCdbField(1, 0);
            }
            ByteBuf zeros = Unpooled.wrappedBuffer(new byte[bs]);
            return (deallocate ? m.store().unmap(io.offset(m), blocks * bs)
                    : writeRepeated(m, io.offset(m), blocks, zeros, !ctx.device().modeParameters().writeCacheEnabled()))
                    .thenApply(v -> ScsiResponse.good());
        }
        if (announced != bs) {
            // SBC-3 5.42: the Data-Out is exactly one logical block; more or less is a CDB/data mismatch
            throw ScsiException.invalidCdbField(io.lengthOffset(), -1);
        }
        boolean fua = !ctx.device().modeParameters().writeCacheEnabled();
        return ctx.receiveData(bs).thenCompose(block -> {
            try {
                if (deallocate) {
                    return m.store().unmap(io.offset(m), blocks * bs);
                }
                return writeRepeated(m, io.offset(m), blocks, block, fua);
            } finally {
                block.release();
            }
        }).thenApply(v -> ScsiResponse.good());
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
        long chunks = (blocks + chunkBlocks - 1) / chunkBlocks;
        int perChunk = chunkBlocks;
        CompletableFuture<Void> done = Sequential.run(chunks, i -> {
            long first = i * perChunk;
            int n = (int) Math.min(perChunk, blocks - first);
            return m.store().write(offset + first * bs, chunk.slice(0, n * bs), fua);
        });
        return done.whenComplete((v, t) -> chunk.release());
    }
}
