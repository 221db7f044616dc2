package io.jtgt.scsi.core.spc;

import io.jtgt.scsi.api.ScsiResponse;
import io.jtgt.scsi.core.CommandContext;
import io.jtgt.scsi.core.ScsiException;
import io.jtgt.scsi.core.SenseCode;
import io.jtgt.scsi.core.SenseData;
import java.util.concurrent.CompletionStage;

/**
 * REQUEST SENSE (SPC-4 6.39): returns, with GOOD status, the sense data of the condition the
 * logical unit is in: a pending unit attention (which this clears, SAM-5 5.14 with
 * UA_INTLCK_CTRL 00b), else why the unit is not ready, else NO SENSE. For an unconfigured LUN:
 * LOGICAL UNIT NOT SUPPORTED. Only fixed format: DESC=1 is INVALID FIELD IN CDB.
 */
final class RequestSense {

    private RequestSense() {}

    static CompletionStage<ScsiResponse> execute(CommandContext ctx) {
        byte[] cdb = ctx.cdb();
        if ((cdb[1] & 0x01) != 0) {
            throw ScsiException.invalidCdbField(1, 0);
        }
        int allocation = cdb[4] & 0xFF;
        SenseCode code;
        if (ctx.device() == null) {
            code = SenseCode.LOGICAL_UNIT_NOT_SUPPORTED;
        } else {
            code = ctx.pollUnitAttention();
            if (code == null) {
                code = ctx.device().sanitizeState().blocking(); // SBC-3 4.11: sanitize in progress / failed
            }
            if (code == null) {
                code = ctx.device().notReadySense();
            }
            if (code == null) {
                code = SenseCode.NO_SENSE;
            }
        }
        return CommandContext.done(CommandContext.dataIn(SenseData.of(code).build(), allocation));
    }
}
