package io.jtgt.scsi.core.spc;

import static io.jtgt.scsi.core.Cdb.put16;
import static io.jtgt.scsi.core.Cdb.put32;
import static io.jtgt.scsi.core.Cdb.u32;

import io.jtgt.scsi.api.ScsiResponse;
import io.jtgt.scsi.core.CommandContext;
import io.jtgt.scsi.core.CopyResults;
import io.jtgt.scsi.core.ScsiException;
import java.util.concurrent.CompletionStage;

/**
 * RECEIVE COPY RESULTS (SPC-4 6.18) for EXTENDED COPY (LID1): COPY STATUS (00h) of a copy this
 * nexus ran with LIST ID USAGE 00b, and OPERATING PARAMETERS (03h) - the copy manager's limits, the
 * same constants {@link ExtendedCopy} enforces. RECEIVE DATA and FAILED SEGMENT DETAILS are not
 * offered (no held data; a failed copy reports in its own sense data).
 */
final class ReceiveCopyResults {

    static final int COPY_STATUS = 0x00;
    static final int OPERATING_PARAMETERS = 0x03;

    /** Implemented descriptor type codes (SPC-4 6.18.5). */
    private static final int[] DESCRIPTOR_TYPES = {ExtendedCopy.SEGMENT_BLOCK_TO_BLOCK, ExtendedCopy.TARGET_IDENTIFICATION};

    private ReceiveCopyResults() {}

    static CompletionStage<ScsiResponse> copyStatus(CommandContext ctx) {
        int listId = ctx.cdb()[2] & 0xFF;
        int allocation = (int) Math.min(u32(ctx.cdb(), 10), Integer.MAX_VALUE);
        CopyResults.Status s = ctx.device().copyResults().get(ctx.nexusId(), listId);
        if (s == null) {
            throw ScsiException.invalidCdbField(2, -1); // SPC-4 6.18.3: no copy with this LIST IDENTIFIER
        }
        byte[] d = new byte[12];
        put32(d, 0, d.length - 4); // AVAILABLE DATA
        d[4] = (byte) s.copyManagerStatus(); // HDD 0
        put16(d, 5, Math.min(0xFFFF, s.segmentsProcessed()));
        d[7] = 0x00; // TRANSFER COUNT UNITS: bytes
        put32(d, 8, Math.min(0xFFFF_FFFFL, s.bytesCopied()));
        return CommandContext.done(CommandContext.dataIn(d, allocation));
    }

    static CompletionStage<ScsiResponse> operatingParameters(CommandContext ctx) {
        int allocation = (int) Math.min(u32(ctx.cdb(), 10), Integer.MAX_VALUE);
        byte[] d = new byte[44 + DESCRIPTOR_TYPES.length];
        put32(d, 0, d.length - 4); // AVAILABLE DATA
        d[4] = 0x00; // SNLID 0: LID1 only
        put16(d, 8, ExtendedCopy.MAX_TARGET_DESCRIPTORS);
        put16(d, 10, ExtendedCopy.MAX_SEGMENT_DESCRIPTORS);
        put32(d, 12, ExtendedCopy.MAX_DESCRIPTOR_LIST_LENGTH);
        put32(d, 16, ExtendedCopy.MAX_SEGMENT_BYTES);
        put32(d, 20, 0); // MAXIMUM INLINE DATA LENGTH: none
        put32(d, 24, 0); // HELD DATA LIMIT: none
        put32(d, 28, 0); // MAXIMUM STREAM DEVICE TRANSFER SIZE: no stream devices
        put16(d, 34, 1); // TOTAL CONCURRENT COPIES
        d[36] = 1; // MAXIMUM CONCURRENT COPIES
        d[37] = 9; // DATA SEGMENT GRANULARITY: 2^9 bytes
        d[38] = 0; // INLINE DATA GRANULARITY
        d[39] = 0; // HELD DATA GRANULARITY
        d[43] = (byte) DESCRIPTOR_TYPES.length;
        for (int i = 0; i < DESCRIPTOR_TYPES.length; i++) {
            d[44 + i] = (byte) DESCRIPTOR_TYPES[i];
        }
        return CommandContext.done(CommandContext.dataIn(d, allocation));
    }

    /**
     * VPD 8Fh Third-party Copy (SPC-4 7.8.17) with a Supported Commands descriptor (0001h) listing
     * EXTENDED COPY (LID1) and the RECEIVE COPY RESULTS service actions above.
     */
    static VpdPage thirdPartyCopyPage() {
        return new VpdPage(0x8F, ctx -> {
            byte[] commands = {
                (byte) 0x83, 1, 0x00, // EXTENDED COPY: LID1
                (byte) 0x84, 2, COPY_STATUS, OPERATING_PARAMETERS, // RECEIVE COPY RESULTS
            };
            int body = 1 + commands.length;
            int padded = (body + 3) & ~3;
            byte[] descriptor = new byte[4 + padded];
            put16(descriptor, 0, 0x0001); // THIRD-PARTY COPY DESCRIPTOR TYPE: supported commands
            put16(descriptor, 2, padded); // DESCRIPTOR LENGTH
            descriptor[4] = (byte) commands.length; // COMMANDS SUPPORTED LIST LENGTH
            System.arraycopy(commands, 0, descriptor, 5, commands.length);
            return VpdPage.withHeader(0x8F, descriptor);
        });
    }
}
