package io.jtgt.metrics.jmx;

import io.jtgt.metrics.Counters;
import io.jtgt.scsi.api.ManagementService;
import io.jtgt.scsi.api.ManagementService.LunView;

/** The MXBean of one LUN, reading {@link ManagementService} at every attribute access. */
final class LunStatistics extends IoStatistics implements LunMXBean {

    private final ManagementService management;
    private final String target;
    private final int lun;

    LunStatistics(ManagementService management, String target, int lun) {
        this.management = management;
        this.target = target;
        this.lun = lun;
    }

    @Override
    Counters counters() {
        return management.lunStats().stream().filter(s -> s.target().equals(target) && s.lun() == lun).findFirst()
                .map(Counters::of).orElseThrow(this::gone);
    }

    private LunView view() {
        return management.luns().stream().filter(l -> l.target().equals(target) && l.lun() == lun).findFirst()
                .orElseThrow(this::gone);
    }

    private IllegalStateException gone() {
        return new IllegalStateException("LUN " + lun + " of " + target + " is no longer mapped");
    }

    @Override
    public String getTarget() {
        return target;
    }

    @Override
    public int getLun() {
        return lun;
    }

    @Override
    public long getDeviceId() {
        return view().deviceId();
    }

    @Override
    public String getState() {
        return view().state();
    }

    @Override
    public long getSizeBytes() {
        return view().sizeBytes();
    }
}
