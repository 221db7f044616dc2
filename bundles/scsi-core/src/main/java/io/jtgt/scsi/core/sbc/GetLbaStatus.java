package io.jtgt.scsi.core.sbc;

import static io.jtgt.scsi.core.Cdb.put32;
import static io.jtgt.scsi.core.Cdb.put64;
import static io.jtgt.scsi.core.Cdb.u32;
import static io.jtgt.scsi.core.Cdb.u64;

import io.jtgt.scsi.api.ScsiResponse;
import io.jtgt.scsi.core.CommandContext;
import io.jtgt.scsi.core.Medium;
import io.jtgt.scsi.core.ScsiException;
import io.jtgt.scsi.core.SenseCode;
import io.jtgt.scsi.spi.AllocationRun;
import java.io.ByteArrayOutputStream;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;

/**
 * GET LBA STATUS (SBC-3 5.7): mapped / deallocated runs from the starting LBA, as the store's
 * allocation map describes them (a store that cannot tell reports everything mapped). At most
 * as many descriptors as the allocation length holds, and no more than {@value #MAX_DESCRIPTORS}.
 * Offered where logical block provisioning is enabled.
 */
final class GetLbaStatus {

    static final int MAX_DESCRIPTORS = 64;

    private GetLbaStatus() {}

    static CompletionStage<ScsiResponse> execute(CommandContext ctx) {
        byte[] cdb = ctx.cdb();
        Medium m = ctx.medium();
        long lba = u64(cdb, 2);
        int allocation = (int) Math.min(u32(cdb, 10), Integer.MAX_VALUE);
        long capacity = m.blocks();
        if (Long.compareUnsigned(lba, capacity) >= 0) {
            throw new ScsiException(SenseCode.LBA_OUT_OF_RANGE);
        }
        int wanted = Math.max(1, Math.min(MAX_DESCRIPTORS, (allocation - 8) / 16));
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        return collect(m, lba, capacity, wanted, out).thenApply(v -> {
            byte[] descriptors = out.toByteArray();
            byte[] data = new byte[8 + descriptors.length];
            put32(data, 0, data.length - 4); // PARAMETER DATA LENGTH
            System.arraycopy(descriptors, 0, data, 8, descriptors.length);
            return CommandContext.dataIn(data, allocation);
        });
    }

    private static CompletableFuture<Void> collect(Medium m, long lba, long capacity, int left, ByteArrayOutputStream out) {
        if (left == 0 || lba >= capacity) {
            return CompletableFuture.completedFuture(null);
        }
        int bs = m.blockSize();
        long span = Math.min(capacity - lba, 0xFFFF_FFFFL);
        CompletableFuture<AllocationRun> run;
        if (m.capabilities().canReportAllocation()) {
            try {
                run = m.store().allocation(lba * bs, span * bs);
            } catch (RuntimeException e) {
                run = CompletableFuture.failedFuture(e);
            }
        } else {
            run = CompletableFuture.completedFuture(new AllocationRun(lba * bs, span * bs, true));
        }
        return run.thenCompose(r -> {
            long blocks = Math.max(1, Math.min(span, r.length() / bs));
            byte[] d = new byte[16];
            put64(d, 0, lba);
            put32(d, 8, blocks);
            d[12] = (byte) (r.mapped() ? 0 : 1); // PROVISIONING STATUS: mapped / deallocated
            out.writeBytes(d);
            return collect(m, lba + blocks, capacity, left - 1, out);
        });
    }
}
