package io.jtgt.scsi.core.sbc;

import io.jtgt.scsi.api.ScsiResponse;
import io.jtgt.scsi.core.CommandContext;
import io.jtgt.scsi.core.Medium;
import java.util.concurrent.CompletionStage;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * SYNCHRONIZE CACHE (10) (SBC-3 5.22) and (16) (5.23). The store flushes everything, which
 * covers any range; the range is still checked. With IMMED the command answers GOOD once the
 * CDB is validated and the flush runs on (a failure is then only logged, as SBC-3 allows).
 */
final class SynchronizeCache {

    private static final Logger LOG = LoggerFactory.getLogger(SynchronizeCache.class);

    private SynchronizeCache() {}

    static CompletionStage<ScsiResponse> execute(CommandContext ctx) {
        Medium m = ctx.medium();
        BlockIo.parse(ctx.cdb()).requireInRange(m); // NUMBER OF LOGICAL BLOCKS 0 = to the last LBA

        boolean immediate = (ctx.cdb()[1] & 0x02) != 0;
        var flush = m.store().flush();
        if (immediate) {
            flush.whenComplete((v, t) -> {
                if (t != null) {
                    LOG.warn("LUN {}: SYNCHRONIZE CACHE with IMMED failed after GOOD was returned: {}", ctx.lun(),
                            t.getMessage());
                }
            });
            return CommandContext.good();
        }
        return flush.thenApply(v -> ScsiResponse.good());
    }
}
