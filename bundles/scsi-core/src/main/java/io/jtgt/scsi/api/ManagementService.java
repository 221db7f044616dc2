package io.jtgt.scsi.api;

import java.util.List;

/**
 * Read and (in later versions) change the running configuration. The shell, {@code bin/jtgt} and
 * any REST API call only this; it holds no logic of theirs. An OSGi service.
 */
public interface ManagementService {

    List<TargetView> targets();

    List<LunView> luns();

    List<PortalView> portals();

    List<SessionView> sessions();

    /** A target and its portal groups. */
    record TargetView(String name, java.util.Map<Integer, List<Integer>> portalGroups, int lunCount, int sessionCount) {}

    /**
     * A logical unit.
     *
     * @param state {@code ONLINE}, {@code NO_BACKEND} (provider not installed), {@code OPENING},
     *     {@code FAILED} (open failed; {@code detail} says why) or {@code OFFLINE} (configured offline)
     */
    record LunView(String target, int lun, long deviceId, String backendType, String location,
            long sizeBytes, int blockSize, String state, String detail) {}

    record PortalView(int id, String address, boolean listening) {}

    record SessionView(String target, String initiatorName, String isid, int tsih, int tpgt,
            String initiatorAddress, String portalAddress, int commandsInFlight,
            java.util.Map<String, String> parameters) {}
}
