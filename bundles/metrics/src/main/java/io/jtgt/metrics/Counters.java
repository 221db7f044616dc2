package io.jtgt.metrics;

import io.jtgt.scsi.api.ManagementService.LatencyHistogram;
import io.jtgt.scsi.api.ManagementService.LunStats;
import io.jtgt.scsi.api.ManagementService.SessionStats;

/**
 * The counters a LUN and a session have in common, so that Prometheus and JMX render both alike.
 * Operations are READ and WRITE commands (6, 10, 12, 16); errors those that did not end GOOD.
 */
public record Counters(long readOps, long readBytes, long writeOps, long writeBytes, long errors,
        LatencyHistogram readLatency, LatencyHistogram writeLatency) {

    public static Counters of(LunStats s) {
        return new Counters(s.readOps(), s.readBytes(), s.writeOps(), s.writeBytes(), s.errors(), s.readLatency(),
                s.writeLatency());
    }

    public static Counters of(SessionStats s) {
        return new Counters(s.readOps(), s.readBytes(), s.writeOps(), s.writeBytes(), s.errors(), s.readLatency(),
                s.writeLatency());
    }
}
