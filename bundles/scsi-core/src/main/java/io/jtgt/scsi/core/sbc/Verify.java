package io.jtgt.scsi.core.sbc;

import io.jtgt.scsi.api.ScsiResponse;
import io.jtgt.scsi.core.CommandContext;
import io.jtgt.scsi.core.Medium;
import io.jtgt.scsi.core.ScsiException;
import io.jtgt.scsi.core.Sequential;
import io.netty.buffer.ByteBuf;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;

/**
 * VERIFY (10) (SBC-3 5.29), (12) (5.30), (16) (5.31). BYTCHK 00b verifies the medium: the blocks
 * are read (a read error fails the command) and discarded, chunk by chunk. BYTCHK 01b compares
 * them with as many blocks of Data-Out, 11b with one block of Data-Out repeated; a difference is
 * MISCOMPARE with the offset of the first differing byte. 10b is reserved.
 */
final class Verify {

    private Verify() {}

    static CompletionStage<ScsiResponse> execute(CommandContext ctx) {
        byte[] cdb = ctx.cdb();
        Medium m = ctx.medium();
        BlockIo io = BlockIo.parse(cdb).requireNoProtection();
        int bytchk = (cdb[1] & 0x06) >>> 1;
        if (bytchk == 2) {
            throw ScsiException.invalidCdbField(1, 2);
        }
        io.requireInRange(m);
        if (io.blocks() == 0) {
            return CommandContext.good();
        }
        if (bytchk == 0) {
            return readThrough(m, io.offset(m), io.blocks()).thenApply(v -> ScsiResponse.good());
        }
        io.requireWithinTransferLimit(m);
        int bytes = io.bytes(m);
        int dataOut = bytchk == 1 ? bytes : m.blockSize();
        ctx.command().scsiTransferLength(dataOut);
        if (ctx.command().expectedDataTransferLength() < dataOut) {
            throw ScsiException.invalidCdbField(io.lengthOffset(), -1);
        }
        int stride = bytchk == 3 ? m.blockSize() : 0;
        return ctx.receiveData(dataOut).thenCompose(expected -> compareWithMedium(m, io.offset(m), bytes, expected, stride))
                .thenApply(v -> ScsiResponse.good());
    }

    /** Reads {@code bytes} at {@code offset} and compares; releases both buffers. */
    static CompletableFuture<Void> compareWithMedium(Medium m, long offset, int bytes, ByteBuf expected, int stride) {
        CompletableFuture<ByteBuf> read;
        try {
            read = Read.read(m, offset, bytes);
        } catch (RuntimeException e) {
            read = CompletableFuture.failedFuture(e);
        }
        return read.whenComplete((b, t) -> {
            if (t != null) {
                expected.release();
            }
        }).thenAccept(actual -> {
            try {
                Compare.requireEqual(expected, 0, stride, actual, bytes, 0);
            } finally {
                actual.release();
                expected.release();
            }
        });
    }

    /** Reads the range in MAXIMUM TRANSFER LENGTH chunks, one at a time, discarding the data. */
    static CompletableFuture<Void> readThrough(Medium m, long offset, long blocks) {
        long perChunk = BlockLimits.maxTransferBlocks(m.blockSize());
        long chunks = (blocks + perChunk - 1) / perChunk;
        return Sequential.run(chunks, i -> {
            long first = i * perChunk;
            int bytes = (int) (Math.min(perChunk, blocks - first) * m.blockSize());
            return Read.read(m, offset + first * m.blockSize(), bytes).thenAccept(buf -> buf.release());
        });
    }
}
