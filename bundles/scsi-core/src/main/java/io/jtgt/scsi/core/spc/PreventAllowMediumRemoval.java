package io.jtgt.scsi.core.spc;

import io.jtgt.scsi.api.ScsiResponse;
import io.jtgt.scsi.core.CommandContext;
import io.jtgt.scsi.core.ScsiException;
import java.util.concurrent.CompletionStage;

/**
 * PREVENT ALLOW MEDIUM REMOVAL (SPC-4 6.13): PREVENT 01b prevents, 00b allows removal of the
 * medium for the I_T nexus that sends it; the obsolete 1xb values are refused. Works while the
 * medium is ejected (an initiator may lock the empty drive). On a non-removable unit the state is
 * kept but never matters: LOEJ is refused there anyway.
 */
final class PreventAllowMediumRemoval {

    private PreventAllowMediumRemoval() {}

    static CompletionStage<ScsiResponse> execute(CommandContext ctx) {
        int prevent = ctx.cdb()[4] & 0x03;
        if ((prevent & 0x02) != 0) {
            throw ScsiException.invalidCdbField(4, 1);
        }
        ctx.device().removableMedium().prevent(ctx.nexusId(), prevent == 0x01);
        return CommandContext.good();
    }
}
