package io.jtgt.scsi.core.spc;

import io.jtgt.scsi.api.ScsiResponse;
import io.jtgt.scsi.core.CommandContext;
import java.util.concurrent.CompletionStage;

/**
 * RESERVE (6) / (10) and RELEASE (6) / (10) (SPC-2 7.21 - 7.24, obsolete in SPC-4 but still used
 * by Windows clustering and older initiators): a reservation of the whole logical unit for one
 * I_T nexus, released by RELEASE or the loss of the nexus. Third-party and extent reservations
 * are outside the usage masks, so refused. A persistent reservation makes RESERVE conflict.
 */
final class LegacyReservations {

    private LegacyReservations() {}

    static CompletionStage<ScsiResponse> reserve(CommandContext ctx) {
        if (!ctx.device().reservations().legacyReserve(ctx.nexusId())) {
            return CommandContext.done(new ScsiResponse(ScsiResponse.RESERVATION_CONFLICT, new byte[0], null));
        }
        return CommandContext.good();
    }

    static CompletionStage<ScsiResponse> release(CommandContext ctx) {
        ctx.device().reservations().legacyRelease(ctx.nexusId());
        return CommandContext.good();
    }
}
