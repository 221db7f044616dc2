package io.jtgt.scsi.core.sbc;

import io.jtgt.scsi.api.ScsiResponse;
import io.jtgt.scsi.core.CommandContext;
import java.util.concurrent.CompletionStage;

/**
 * PRE-FETCH (10) (SBC-3 5.5) and PRE-FETCH (16) (5.6). jtgt keeps no cache of its own, so after
 * the range checks the answer is GOOD, which SBC-3 defines as "the blocks could not all be
 * placed in the cache" (CONDITION MET would claim they were); the Block Limits page reports
 * MAXIMUM PREFETCH LENGTH 0 accordingly. IMMED makes no difference.
 */
final class PreFetch {

    private PreFetch() {}

    static CompletionStage<ScsiResponse> execute(CommandContext ctx) {
        BlockIo.parse(ctx.cdb()).requireInRange(ctx.medium());
        return CommandContext.good();
    }
}
