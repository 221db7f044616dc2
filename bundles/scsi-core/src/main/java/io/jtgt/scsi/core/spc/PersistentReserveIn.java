package io.jtgt.scsi.core.spc;

import static io.jtgt.scsi.core.Cdb.put16;
import static io.jtgt.scsi.core.Cdb.put32;
import static io.jtgt.scsi.core.Cdb.put64;
import static io.jtgt.scsi.core.Cdb.u16;

import io.jtgt.scsi.api.ScsiResponse;
import io.jtgt.scsi.core.CommandContext;
import io.jtgt.scsi.core.Reservations;
import java.util.List;
import java.util.concurrent.CompletionStage;

/**
 * PERSISTENT RESERVE IN (SPC-4 6.13): READ KEYS (6.13.2), READ RESERVATION (6.13.3) and REPORT
 * CAPABILITIES (6.13.4) and READ FULL STATUS (6.13.5).
 */
final class PersistentReserveIn {

    private PersistentReserveIn() {}

    static CompletionStage<ScsiResponse> readKeys(CommandContext ctx) {
        Reservations r = ctx.device().reservations();
        List<Long> keys;
        int generation;
        synchronized (r) {
            keys = r.keys();
            generation = r.generation();
        }
        byte[] data = new byte[8 + 8 * keys.size()];
        put32(data, 0, generation);
        put32(data, 4, 8L * keys.size());
        for (int i = 0; i < keys.size(); i++) {
            put64(data, 8 + 8 * i, keys.get(i));
        }
        return CommandContext.done(CommandContext.dataIn(data, u16(ctx.cdb(), 7)));
    }

    static CompletionStage<ScsiResponse> readReservation(CommandContext ctx) {
        Reservations r = ctx.device().reservations();
        byte[] data;
        synchronized (r) {
            data = new byte[r.reserved() ? 24 : 8];
            put32(data, 0, r.generation());
            if (r.reserved()) {
                put32(data, 4, 16);
                put64(data, 8, r.holderKey());
                data[21] = (byte) r.type(); // SCOPE 0h (logical unit), TYPE
            }
        }
        return CommandContext.done(CommandContext.dataIn(data, u16(ctx.cdb(), 7)));
    }

    /**
     * SPC-4 6.13.5 READ FULL STATUS: one descriptor per registration with its iSCSI TransportID
     * (SPC-4 7.6.4.6, format 01b: initiator port name with ISID) and relative target port (the TPGT).
     */
    static CompletionStage<ScsiResponse> readFullStatus(CommandContext ctx) {
        Reservations r = ctx.device().reservations();
        java.io.ByteArrayOutputStream out = new java.io.ByteArrayOutputStream();
        int generation;
        synchronized (r) {
            generation = r.generation();
            for (java.util.Map.Entry<String, Long> e : r.registrations().entrySet()) {
                String[] ports = e.getKey().split("\\|", 2);
                byte[] name = ports[0].getBytes(java.nio.charset.StandardCharsets.UTF_8);
                int idLength = Math.max(20, (name.length + 1 + 3) & ~3);
                byte[] d = new byte[24 + 4 + idLength];
                put64(d, 0, e.getValue());
                if (r.isHolder(e.getKey())) {
                    d[12] = 0x01; // R_HOLDER
                    d[13] = (byte) r.type();
                }
                String tpgt = ports.length > 1 ? ports[1].substring(ports[1].lastIndexOf("0x") + 2) : "1";
                put16(d, 18, Integer.parseInt(tpgt, 16));
                put32(d, 20, 4 + idLength);
                d[24] = 0x45; // FORMAT CODE 01b, PROTOCOL IDENTIFIER iSCSI
                put16(d, 26, idLength);
                System.arraycopy(name, 0, d, 28, name.length);
                out.writeBytes(d);
            }
        }
        byte[] descriptors = out.toByteArray();
        byte[] data = new byte[8 + descriptors.length];
        put32(data, 0, generation);
        put32(data, 4, descriptors.length);
        System.arraycopy(descriptors, 0, data, 8, descriptors.length);
        return CommandContext.done(CommandContext.dataIn(data, u16(ctx.cdb(), 7)));
    }

    /**
     * SPC-4 6.13.4: PTPL_C where the service keeps a state directory, PTPL_A the current APTPL;
     * SPEC_I_PT and ALL_TG_PT (SIP_C, ATP_C), CRH 0; TMV 1 with ALLOW COMMANDS 000b; every reservation type.
     */
    static CompletionStage<ScsiResponse> reportCapabilities(CommandContext ctx) {
        byte[] data = new byte[8];
        put16(data, 0, 8);
        data[2] = 0x0C; // SIP_C, ATP_C: SPEC_I_PT and ALL_TG_PT are supported
        if (ctx.device().reservationsPersistable()) {
            data[2] |= 0x01; // PTPL_C
        }
        data[3] = (byte) (0x80 | (ctx.device().reservations().aptpl() ? 0x01 : 0)); // TMV, PTPL_A
        data[4] = (byte) 0xEA; // WR_EX_AR, EX_AC_RO, WR_EX_RO, EX_AC, WR_EX
        data[5] = 0x01; // EX_AC_AR
        return CommandContext.done(CommandContext.dataIn(data, u16(ctx.cdb(), 7)));
    }
}
