package io.jtgt.rest;

import io.jtgt.scsi.api.ManagementService;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * {@code /stats}: I/O counters per LUN and per session (shell: jtgt:stats [--sessions]). Each
 * latency histogram is 32 log2 buckets of microseconds: bucket 0 counts latencies below 1 µs,
 * bucket i those in [2^(i-1), 2^i) µs, the last everything longer; {@code totalMicros} their sum.
 *
 * <pre>
 * GET /stats            {"luns": [...], "sessions": [...]}
 * GET /stats/luns       per LUN (the counters belong to the storage: two LUNs of one storage show the same)
 * GET /stats/sessions   per live session, over all its LUNs
 * </pre>
 */
public final class StatsResource extends Resource {

    private final ManagementService management;

    public StatsResource(ManagementService management) {
        this.management = management;
    }

    @Override
    public String name() {
        return "stats";
    }

    @Override
    public Reply handle(Call c) {
        boolean known = c.matches("stats") || c.matches("stats", "luns") || c.matches("stats", "sessions");
        if (!known) {
            throw unknown(c, false);
        }
        if (!c.is("GET")) {
            throw unknown(c, true);
        }
        if (c.matches("stats", "luns")) {
            return ok(management.lunStats());
        }
        if (c.matches("stats", "sessions")) {
            return ok(management.sessionStats());
        }
        Map<String, Object> all = new LinkedHashMap<>();
        all.put("luns", management.lunStats());
        all.put("sessions", management.sessionStats());
        return ok(all);
    }
}
