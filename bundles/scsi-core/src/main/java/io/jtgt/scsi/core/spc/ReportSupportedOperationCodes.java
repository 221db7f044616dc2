package io.jtgt.scsi.core.spc;

import static io.jtgt.scsi.core.Cdb.put16;
import static io.jtgt.scsi.core.Cdb.put32;
import static io.jtgt.scsi.core.Cdb.u16;
import static io.jtgt.scsi.core.Cdb.u32;
import static io.jtgt.scsi.core.Cdb.u8;

import io.jtgt.scsi.api.ScsiResponse;
import io.jtgt.scsi.core.CommandContext;
import io.jtgt.scsi.core.CommandDescriptor;
import io.jtgt.scsi.core.CommandTable;
import io.jtgt.scsi.core.ScsiException;
import java.io.ByteArrayOutputStream;
import java.util.concurrent.CompletionStage;

/**
 * REPORT SUPPORTED OPERATION CODES (SPC-4 6.35), generated from the dispatch table: the same rows
 * that dispatch the commands describe them, with their CDB USAGE DATA. A row the logical unit
 * does not offer (e.g. UNMAP on a thick LUN) is left out of the list and reported "not
 * supported". Timeouts descriptors (RCTD) carry no recommended timeouts (zeros: none given).
 */
final class ReportSupportedOperationCodes {

    private ReportSupportedOperationCodes() {}

    static CompletionStage<ScsiResponse> execute(CommandContext ctx) {
        byte[] cdb = ctx.cdb();
        boolean rctd = (cdb[2] & 0x80) != 0;
        int options = cdb[2] & 0x07;
        int opcode = u8(cdb, 3);
        int serviceAction = u16(cdb, 4);
        int allocation = (int) Math.min(u32(cdb, 6), Integer.MAX_VALUE);
        CommandTable table = ctx.table();
        byte[] data = switch (options) {
            case 0 -> all(ctx, table, rctd);
            case 1 -> {
                if (table.hasServiceActions(opcode)) {
                    throw ScsiException.invalidCdbField(3, -1); // SPC-4 6.35.1: opcode has service actions
                }
                yield one(ctx, table.find(opcode, -1), opcode, rctd);
            }
            case 2 -> {
                if (!table.hasServiceActions(opcode)) {
                    throw ScsiException.invalidCdbField(3, -1);
                }
                yield one(ctx, table.find(opcode, serviceAction), opcode, rctd);
            }
            case 3 -> one(ctx, table.hasServiceActions(opcode) ? table.find(opcode, serviceAction)
                    : serviceAction == 0 ? table.find(opcode, -1) : null, opcode, rctd);
            default -> throw ScsiException.invalidCdbField(2, 2);
        };
        return CommandContext.done(CommandContext.dataIn(data, allocation));
    }

    /** SPC-4 6.35.2: all_commands parameter data. */
    private static byte[] all(CommandContext ctx, CommandTable table, boolean rctd) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        for (CommandDescriptor d : table.all()) {
            if (!d.availableFor(ctx)) {
                continue;
            }
            byte[] c = new byte[8];
            c[0] = (byte) d.opcode();
            put16(c, 2, Math.max(0, d.serviceAction()));
            c[5] = (byte) ((rctd ? 0x02 : 0) | (d.hasServiceAction() ? 0x01 : 0)); // CTDP, SERVACTV
            put16(c, 6, d.cdbLength());
            out.writeBytes(c);
            if (rctd) {
                out.writeBytes(timeouts());
            }
        }
        byte[] list = out.toByteArray();
        byte[] data = new byte[4 + list.length];
        put32(data, 0, list.length);
        System.arraycopy(list, 0, data, 4, list.length);
        return data;
    }

    /** SPC-4 6.35.3: one_command parameter data; SUPPORT 001b when absent, 011b when offered. */
    private static byte[] one(CommandContext ctx, CommandDescriptor d, int opcode, boolean rctd) {
        if (d == null || !d.availableFor(ctx)) {
            byte[] data = new byte[4];
            data[1] = 0x01; // not supported
            return data;
        }
        byte[] usage = d.usageData();
        byte[] data = new byte[4 + usage.length + (rctd ? 12 : 0)];
        data[1] = (byte) ((rctd ? 0x80 : 0) | 0x03); // CTDP, SUPPORT: supported as in the standard
        put16(data, 2, usage.length);
        System.arraycopy(usage, 0, data, 4, usage.length);
        if (rctd) {
            System.arraycopy(timeouts(), 0, data, 4 + usage.length, 12);
        }
        return data;
    }

    /** SPC-4 6.35.4 command timeouts descriptor: length 0Ah, no timeouts given. */
    private static byte[] timeouts() {
        byte[] t = new byte[12];
        put16(t, 0, 0x0A);
        return t;
    }
}
