package io.jtgt.scsi.core.sbc;

import static io.jtgt.scsi.core.Cdb.u64;
import static io.jtgt.scsi.core.Cdb.u8;

import io.jtgt.scsi.api.ScsiResponse;
import io.jtgt.scsi.core.CommandContext;
import io.jtgt.scsi.core.Medium;
import io.jtgt.scsi.core.RangeLocks;
import io.jtgt.scsi.core.ScsiException;
import io.netty.buffer.ByteBuf;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;

/**
 * COMPARE AND WRITE (SBC-3 5.3): Data-Out holds NUMBER OF LOGICAL BLOCKS of verify data then as
 * many of write data. Under a lock on just those blocks (other ranges proceed) the blocks are
 * read and compared; equal means the write data is written, a difference is MISCOMPARE DURING
 * VERIFY OPERATION with the offset of the first differing byte and nothing written. At most
 * MAXIMUM COMPARE AND WRITE LENGTH blocks.
 */
final class CompareAndWrite {

    private CompareAndWrite() {}

    static CompletionStage<ScsiResponse> execute(CommandContext ctx) {
        byte[] cdb = ctx.cdb();
        Medium m = ctx.medium();
        if ((cdb[1] & 0xE0) != 0) {
            throw ScsiException.invalidCdbField(1, 7); // WRPROTECT without protection information
        }
        long lba = u64(cdb, 2);
        int blocks = u8(cdb, 13);
        boolean fua = (cdb[1] & 0x08) != 0 || !ctx.device().modeParameters().writeCacheEnabled();
        if (blocks > BlockLimits.MAX_COMPARE_AND_WRITE_BLOCKS) {
            throw ScsiException.invalidCdbField(13, -1);
        }
        new BlockIo(lba, blocks, false, 0, 2, 13).requireInRange(m);
        if (blocks == 0) {
            // SBC-3 5.3: zero blocks transfers nothing and is not an error - unless the initiator
            // announces Data-Out anyway, which the one-byte field cannot describe (256 blocks wrap
            // to 0): the CDB and the data disagree, so the field is invalid.
            if (ctx.command().expectedDataTransferLength() != 0) {
                throw ScsiException.invalidCdbField(13, -1);
            }
            return CommandContext.good();
        }
        int half = blocks * m.blockSize();
        ctx.command().scsiTransferLength(2 * half);
        if (ctx.command().expectedDataTransferLength() != 2 * half) {
            // SBC-3 5.3: the Data-Out is exactly verify + write data; another length contradicts the CDB
            throw ScsiException.invalidCdbField(13, -1);
        }
        long offset = lba * m.blockSize();
        RangeLocks locks = ctx.device().rangeLocks();
        return ctx.receiveData(2 * half).thenCompose(data -> locks.lock(lba, blocks).thenCompose(held -> {
            CompletableFuture<Void> done;
            try {
                done = compareThenWrite(m, offset, half, data, fua);
            } catch (RuntimeException e) {
                done = CompletableFuture.failedFuture(e);
            }
            return done.whenComplete((v, t) -> {
                held.release();
                data.release();
            });
        })).thenApply(v -> ScsiResponse.good());
    }

    private static CompletableFuture<Void> compareThenWrite(Medium m, long offset, int half, ByteBuf data, boolean fua) {
        return Read.read(m, offset, half).thenCompose(current -> {
            try {
                Compare.requireEqual(data, 0, 0, current, half, 0); // MISCOMPARE fails the stage
            } finally {
                current.release();
            }
            return m.store().write(offset, data.slice(data.readerIndex() + half, half), fua);
        });
    }
}
