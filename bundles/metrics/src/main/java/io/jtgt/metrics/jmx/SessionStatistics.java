package io.jtgt.metrics.jmx;

import io.jtgt.metrics.Counters;
import io.jtgt.scsi.api.ManagementService;
import io.jtgt.scsi.api.ManagementService.SessionStats;

/** The MXBean of one session, reading {@link ManagementService} at every attribute access. */
final class SessionStatistics extends IoStatistics implements SessionMXBean {

    private final ManagementService management;
    private final String target;
    private final int tsih;

    SessionStatistics(ManagementService management, String target, int tsih) {
        this.management = management;
        this.target = target;
        this.tsih = tsih;
    }

    private SessionStats stats() {
        return management.sessionStats().stream().filter(s -> s.tsih() == tsih && s.target().equals(target)).findFirst()
                .orElseThrow(() -> new IllegalStateException("session " + tsih + " on " + target + " has ended"));
    }

    @Override
    Counters counters() {
        return Counters.of(stats());
    }

    @Override
    public String getTarget() {
        return target;
    }

    @Override
    public int getTsih() {
        return tsih;
    }

    @Override
    public String getInitiatorName() {
        return stats().initiatorName();
    }

    @Override
    public String getIsid() {
        return stats().isid();
    }
}
