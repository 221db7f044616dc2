package io.jtgt.shell;

import io.jtgt.scsi.api.ManagementService;
import java.util.List;

/** A management service with nothing in it; each test overrides what its command reads. */
class EmptyManagement implements ManagementService {

    @Override
    public List<TargetView> targets() {
        return List.of();
    }

    @Override
    public List<LunView> luns() {
        return List.of();
    }

    @Override
    public List<PortalView> portals() {
        return List.of();
    }

    @Override
    public List<SessionView> sessions() {
        return List.of();
    }
}
