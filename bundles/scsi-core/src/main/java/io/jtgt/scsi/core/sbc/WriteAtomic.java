package io.jtgt.scsi.core.sbc;

import static io.jtgt.scsi.core.Cdb.u16;
import static io.jtgt.scsi.core.Cdb.u64;

import io.jtgt.scsi.api.ScsiResponse;
import io.jtgt.scsi.core.CommandContext;
import io.jtgt.scsi.core.Medium;
import io.jtgt.scsi.core.ScsiException;
import java.util.concurrent.CompletionStage;

/**
 * WRITE ATOMIC (16) (SBC-4 5.48, 4.29): the blocks are written as one unit. All Data-Out is
 * received first, then the store write runs under an exclusive range lock through the
 * {@link io.jtgt.scsi.core.AtomicWriteGate}: overlapping READs and WRITEs wait, so none sees or
 * produces a mix of old and new blocks; if the store write fails the command fails (the range may
 * then hold old or new data per block, as with any failed write, SBC-4 4.29.1). Limits come from
 * {@link BlockLimits} and are the ones VPD B0h advertises: at most MAXIMUM ATOMIC TRANSFER LENGTH
 * blocks, any alignment and granularity; ATOMIC BOUNDARY is not supported (bytes 10-11 reserved).
 */
final class WriteAtomic {

    private WriteAtomic() {}

    static CompletionStage<ScsiResponse> execute(CommandContext ctx) {
        byte[] cdb = ctx.cdb();
        Medium m = ctx.medium();
        BlockIo io = new BlockIo(u64(cdb, 2), u16(cdb, 12),
                (cdb[1] & 0x08) != 0, (cdb[1] & 0xE0) >>> 5, 2, 12)
                .requireNoProtection().requireInRange(m);
        if (io.blocks() > BlockLimits.maxAtomicTransferBlocks(m.blockSize())) {
            throw ScsiException.invalidCdbField(12, -1); // SBC-4 5.48: beyond MAXIMUM ATOMIC TRANSFER LENGTH
        }
        int bytes = io.bytes(m);
        ctx.command().scsiTransferLength(bytes);
        if (bytes == 0) {
            return CommandContext.good(); // zero blocks write nothing and are not an error
        }
        if (ctx.command().expectedDataTransferLength() < bytes) {
            throw ScsiException.invalidCdbField(12, -1); // an atomic write cannot be shortened
        }
        boolean fua = io.fua() || !ctx.device().modeParameters().writeCacheEnabled();
        long offset = io.offset(m);
        return ctx.receiveData(bytes)
                .thenCompose(buf -> ctx.device().atomicWriteGate().atomic(io.lba(), io.blocks(),
                        () -> Write.write(m, offset, buf, bytes, fua)))
                .thenApply(v -> ScsiResponse.good());
    }
}
