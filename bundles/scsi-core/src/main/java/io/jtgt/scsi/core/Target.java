package io.jtgt.scsi.core;

import io.jtgt.scsi.api.ItNexus;
import io.jtgt.scsi.api.NexusInfo;
import io.jtgt.scsi.api.ScsiTarget;
import io.jtgt.scsi.config.TargetDefinition;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

/** One configured target: its LUN map (resolved to devices at command time) and its nexuses. */
final class Target implements ScsiTarget {

    private final ScsiTargetService service;
    private volatile TargetDefinition definition;
    private volatile boolean removed;
    private final Set<Nexus> nexuses = ConcurrentHashMap.newKeySet();

    Target(ScsiTargetService service, TargetDefinition definition) {
        this.service = service;
        this.definition = definition;
    }

    @Override
    public String name() {
        return definition.name();
    }

    @Override
    public Map<Integer, List<Integer>> portalGroups() {
        return definition.portalGroups();
    }

    @Override
    public io.jtgt.scsi.config.TargetLimits limits() {
        return definition.limits();
    }

    @Override
    public int numaNode() {
        int node = -1;
        for (Long id : definition.luns().values()) {
            Device device = service.device(id);
            int wanted = device == null ? -1 : device.definition().numaNode();
            if (wanted < 0 || (node >= 0 && wanted != node)) {
                return -1;
            }
            node = wanted;
        }
        return node;
    }

    @Override
    public ItNexus connect(NexusInfo info) {
        Nexus n = new Nexus(this, info, service.commandTable());
        nexuses.add(n);
        return n;
    }

    TargetDefinition definition() {
        return definition;
    }

    void definition(TargetDefinition def) {
        this.definition = def;
    }

    void markRemoved() {
        removed = true;
    }

    void disconnected(Nexus n) {
        nexuses.remove(n);
    }

    Set<Nexus> nexuses() {
        return nexuses;
    }

    /** The logical unit at {@code lun}, or null when there is none (not mapped, storage not defined). */
    Device device(int lun) {
        if (removed || lun < 0) {
            return null;
        }
        Long id = definition.luns().get(lun);
        return id == null ? null : service.device(id);
    }

    /** LUNs that exist: mapped to a defined storage (whatever its state). */
    List<Integer> luns() {
        List<Integer> result = new ArrayList<>();
        if (removed) {
            return result;
        }
        definition.luns().forEach((lun, id) -> {
            if (service.device(id) != null) {
                result.add(lun);
            }
        });
        return result;
    }

    /**
     * Whether {@code lun} still addresses storage {@code deviceId}: false once the LUN was unmapped
     * or mapped elsewhere, the storage removed or the target removed (a changed definition of the
     * same storage keeps the LUN).
     */
    boolean stillMaps(int lun, long deviceId) {
        Long id = definition.luns().get(lun);
        return !removed && id != null && id == deviceId && service.device(id) != null;
    }

    boolean maps(long deviceId) {
        return definition.luns().containsValue(deviceId);
    }

    /** SPC-4 6.33 / SAM-5 5.14: the LUN inventory changed, every nexus hears of it. */
    void inventoryChanged() {
        nexuses.forEach(n -> n.unitAttentions().addToAll(SenseCode.REPORTED_LUNS_DATA_CHANGED));
    }

    /**
     * SAM-5 7.7 LOGICAL UNIT RESET effects on the unit at {@code lun} (the transport aborted the
     * tasks): SPC-2 reservations are released (SPC-2 5.5.1), PREVENT MEDIUM REMOVAL ends, and every
     * nexus gets 29h/03h for the LUN. Persistent reservations and mode parameters survive.
     */
    void reset(int lun) {
        Device d = device(lun);
        if (d == null) {
            return;
        }
        d.reservations().releaseLegacy();
        d.removableMedium().reset(); // SPC-4 6.13: a reset ends PREVENT MEDIUM REMOVAL
        nexuses.forEach(n -> n.unitAttentions().add(lun, SenseCode.BUS_DEVICE_RESET));
    }

    /** Releases SPC-2 reservations the nexus held on this target's logical units. */
    void nexusLost(String portNames) {
        for (Long id : definition.luns().values()) {
            Device d = service.device(id);
            if (d != null) {
                d.reservations().nexusLost(portNames);
                d.removableMedium().nexusLost(portNames); // SPC-4 6.13
                d.copyResults().nexusLost(portNames);
            }
        }
    }

    /** Queues {@code code} on every nexus for every LUN of this target that maps {@code deviceId}. */
    void unitAttentionForDevice(long deviceId, SenseCode code) {
        definition.luns().forEach((lun, id) -> {
            if (id == deviceId) {
                nexuses.forEach(n -> n.unitAttentions().add(lun, code));
            }
        });
    }

    /** Queues a unit attention for {@code lun} on the live nexuses with these port names. */
    void unitAttention(java.util.Collection<String> portNames, int lun, SenseCode code) {
        nexuses.forEach(n -> {
            if (portNames.contains(n.portNames())) {
                n.unitAttentions().add(lun, code);
            }
        });
    }

    void unitAttentionOnOtherNexuses(Nexus origin, int lun, SenseCode code) {
        nexuses.forEach(n -> {
            if (n != origin) {
                n.unitAttentions().add(lun, code);
            }
        });
    }
}
