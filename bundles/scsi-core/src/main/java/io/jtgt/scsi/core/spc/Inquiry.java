package io.jtgt.scsi.core.spc;

import static io.jtgt.scsi.core.Cdb.put16;
import static io.jtgt.scsi.core.Cdb.putAscii;
import static io.jtgt.scsi.core.Cdb.u16;
import static io.jtgt.scsi.core.Cdb.u8;

import io.jtgt.scsi.api.ScsiResponse;
import io.jtgt.scsi.core.CommandContext;
import io.jtgt.scsi.core.DeviceIdentity;
import io.jtgt.scsi.core.ScsiException;
import io.jtgt.scsi.core.SenseCode;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.CompletionStage;

/**
 * INQUIRY (SPC-4 6.4): standard data (6.4.2) and the VPD pages registered with it. Answers for
 * any LUN: an unconfigured one gets PERIPHERAL QUALIFIER 011b / type 1Fh (SPC-4 6.4.2).
 */
final class Inquiry {

    /** SPC-4 6.4.2 version descriptors: SAM-5, iSCSI (no version claimed), SPC-4, SBC-3. */
    private static final int[] VERSION_DESCRIPTORS = {0x00A0, 0x0960, 0x0460, 0x04C0};
    private static final int STANDARD_LENGTH = 58 + 2 * VERSION_DESCRIPTORS.length;

    private final Map<Integer, VpdPage> pages = new TreeMap<>();

    Inquiry(List<VpdPage> vpdPages) {
        pages.put(0x00, new VpdPage(0x00, this::supportedPages));
        vpdPages.forEach(p -> pages.put(p.code(), p));
    }

    CompletionStage<ScsiResponse> execute(CommandContext ctx) {
        byte[] cdb = ctx.cdb();
        boolean evpd = (cdb[1] & 0x01) != 0;
        int pageCode = u8(cdb, 2);
        int allocation = u16(cdb, 3);
        if (!evpd) {
            if (pageCode != 0) {
                throw ScsiException.invalidCdbField(2, -1); // SPC-4 6.4.1: PAGE CODE must be 0 without EVPD
            }
            return CommandContext.done(CommandContext.dataIn(standard(ctx.device() != null, ctx.device() != null && ctx.device().definition().removable()), allocation));
        }
        if (ctx.device() == null) {
            throw new ScsiException(SenseCode.LOGICAL_UNIT_NOT_SUPPORTED);
        }
        VpdPage page = pages.get(pageCode);
        if (page == null) {
            throw ScsiException.invalidCdbField(2, -1);
        }
        return CommandContext.done(CommandContext.dataIn(page.generator().generate(ctx), allocation));
    }

    /** SPC-4 6.4.2 standard INQUIRY data. */
    static byte[] standard(boolean connected, boolean removable) {
        byte[] d = new byte[STANDARD_LENGTH];
        d[0] = (byte) (connected ? 0x00 : 0x7F); // qualifier 000b disk / 011b no LU, type 1Fh
        d[1] = (byte) (removable ? 0x80 : 0x00); // RMB: storage option removable
        d[2] = 0x06; // VERSION: SPC-4
        d[3] = 0x12; // HISUP (LUNs in SAM-5 format), RESPONSE DATA FORMAT 2
        d[4] = (byte) (STANDARD_LENGTH - 5); // ADDITIONAL LENGTH
        d[5] = 0x10; // TPGS 01b: implicit ALUA, REPORT TARGET PORT GROUPS (SPC-4 5.16)
        d[7] = 0x02; // CMDQUE: full task management model
        putAscii(d, 8, 8, DeviceIdentity.VENDOR);
        putAscii(d, 16, 16, DeviceIdentity.PRODUCT);
        putAscii(d, 32, 4, DeviceIdentity.REVISION);
        for (int i = 0; i < VERSION_DESCRIPTORS.length; i++) {
            put16(d, 58 + 2 * i, VERSION_DESCRIPTORS[i]);
        }
        return d;
    }

    /** SPC-4 7.8.13 Supported VPD Pages, ascending. */
    private byte[] supportedPages(CommandContext ctx) {
        byte[] body = new byte[pages.size()];
        int i = 0;
        for (int code : pages.keySet()) {
            body[i++] = (byte) code;
        }
        return VpdPage.withHeader(0x00, body);
    }
}
