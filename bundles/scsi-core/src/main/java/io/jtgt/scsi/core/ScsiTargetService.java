package io.jtgt.scsi.core;

import io.jtgt.scsi.api.ManagementService;
import io.jtgt.scsi.api.NexusInfo;
import io.jtgt.scsi.api.Portal;
import io.jtgt.scsi.api.ScsiTarget;
import io.jtgt.scsi.api.TargetListener;
import io.jtgt.scsi.api.TargetRegistry;
import io.jtgt.scsi.config.StorageDefinition;
import io.jtgt.scsi.config.TargetDefinition;
import io.jtgt.scsi.spi.BackingStoreProvider;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentSkipListMap;
import java.util.concurrent.CopyOnWriteArrayList;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The SCSI target side of jtgt as plain Java: storages, targets, backend providers and portals go
 * in through the {@code put/remove/add} methods (called by the DS components, or directly when
 * embedded); the transport looks targets up through {@link TargetRegistry}; the shell reads
 * {@link ManagementService}.
 *
 * <p>Logical units bind to providers by {@code backendType}: a storage whose provider is missing
 * exists and answers NOT READY; when the provider arrives the store is opened asynchronously and
 * the LUN goes online; when it leaves, the stores it opened are closed and their LUNs are NOT
 * READY again. Nothing here throws into the caller for a storage that cannot be opened: the LUN
 * shows FAILED with the cause.
 */
public class ScsiTargetService implements TargetRegistry, ManagementService {

    private static final Logger LOG = LoggerFactory.getLogger(ScsiTargetService.class);

    private final Object lock = new Object();
    private final CommandTable commandTable = CommandTable.standard();
    /** Providers per backend type; the first is the one in use, the others stand by. */
    private final Map<String, List<BackingStoreProvider>> providers = new HashMap<>();
    private final Map<Long, Device> devices = new ConcurrentHashMap<>();
    private final ConcurrentSkipListMap<String, Target> targets = new ConcurrentSkipListMap<>();
    private final List<Portal> portals = new CopyOnWriteArrayList<>();
    private final List<TargetListener> targetListeners = new CopyOnWriteArrayList<>();
    private boolean closed;

    /** Where persistent reservations with APTPL are kept, or null: then PTPL_C=0. */
    private final PersistentReservationFiles reservationFiles;
    /** Where mode parameters saved with SP=1 are kept, or null: then saving is refused. */
    private final ModeParameterFiles modeFiles;

    public ScsiTargetService() {
        this(null);
    }

    /**
     * A service that keeps the state the standards say survives power loss in {@code stateDir}, one
     * small JSON file per storage and kind: persistent reservations requested with APTPL in
     * {@code stateDir/pr} (SPC-4 5.9.5) and mode parameters saved with SP=1 in
     * {@code stateDir/mode} (SPC-4 6.9). Null keeps both in memory only (PTPL_C=0, SP=1 refused).
     */
    public ScsiTargetService(java.nio.file.Path stateDir) {
        this.reservationFiles = stateDir == null ? null : new PersistentReservationFiles(stateDir.resolve("pr"));
        this.modeFiles = stateDir == null ? null : new ModeParameterFiles(stateDir.resolve("mode"));
    }

    CommandTable commandTable() {
        return commandTable;
    }

    Device device(long deviceId) {
        return devices.get(deviceId);
    }

    /** The same, for an id already boxed (a target's LUN map): no Long per command. */
    Device device(Long deviceId) {
        return devices.get(deviceId);
    }

    // ---- providers ----

    public void addProvider(BackingStoreProvider provider) {
        synchronized (lock) {
            List<BackingStoreProvider> list = providers.computeIfAbsent(provider.backendType(), t -> new ArrayList<>());
            if (list.contains(provider)) {
                return;
            }
            list.add(provider);
            if (list.size() > 1 || closed) {
                return; // a stand-by: the first provider of this type keeps its stores
            }
            for (Device d : devices.values()) {
                if (d.definition().backendType().equals(provider.backendType()) && d.state() == Device.State.NO_BACKEND) {
                    d.open(provider);
                }
            }
        }
    }

    public void removeProvider(BackingStoreProvider provider) {
        synchronized (lock) {
            String type = provider.backendType();
            List<BackingStoreProvider> list = providers.get(type);
            if (list == null || !list.remove(provider)) {
                return;
            }
            BackingStoreProvider next = list.isEmpty() ? null : list.get(0);
            if (list.isEmpty()) {
                providers.remove(type);
            }
            for (Device d : devices.values()) {
                if (d.provider() == provider) {
                    d.detach(Device.State.NO_BACKEND, "backend '" + type + "' is not installed");
                    if (next != null) {
                        d.open(next);
                    }
                }
            }
        }
    }

    // ---- storages ----

    /** Adds or changes a storage; a changed storage is closed and opened again. */
    public void putStorage(StorageDefinition def) {
        synchronized (lock) {
            Device old = devices.get(def.deviceId());
            if (old != null && old.definition().equals(def)) {
                return;
            }
            if (old != null && old.definition().withDeviceSize(def.deviceSize()).equals(def)) {
                old.resized(def);
                grow(old, def.deviceSize());
                return;
            }
            Device device = new Device(def, reservationFiles, modeFiles);
            device.onResizedElsewhere(() -> capacityChanged(def.deviceId()));
            if (old != null) {
                device.inheritStats(old);
            }
            devices.put(def.deviceId(), device);
            if (old == null) {
                attach(device);
                inventoryChanged(def.deviceId());
            } else {
                Medium previous = old.medium();
                if (previous != null) {
                    device.replacing(previous.store().size(), previous.blockSize(), () -> capacityChanged(def.deviceId()));
                }
                device.markWaiting(Device.State.OFFLINE, "waiting for the previous store to close");
                old.detach(Device.State.OFFLINE, "replaced").whenComplete((v, t) -> {
                    synchronized (lock) {
                        if (devices.get(def.deviceId()) == device) {
                            attach(device);
                        }
                    }
                });
            }
        }
    }

    public void removeStorage(long deviceId) {
        synchronized (lock) {
            Device old = devices.remove(deviceId);
            if (old != null) {
                old.detach(Device.State.OFFLINE, "removed");
                inventoryChanged(deviceId);
            }
        }
    }

    /** Brings a device to the state its definition and the providers allow. Under {@link #lock}. */
    private void attach(Device device) {
        StorageDefinition def = device.definition();
        if (closed) {
            device.markWaiting(Device.State.OFFLINE, "service closed");
        } else if (!def.online()) {
            device.markWaiting(Device.State.OFFLINE, "configured offline (online=false)");
        } else {
            List<BackingStoreProvider> list = providers.get(def.backendType());
            if (list == null || list.isEmpty()) {
                device.markWaiting(Device.State.NO_BACKEND, "backend '" + def.backendType() + "' is not installed");
            } else {
                device.open(list.get(0));
            }
        }
    }

    /**
     * deviceSize changed (jtgt:storage-resize or a hand-edited .cfg): an online store grows in
     * place and every nexus of its LUNs gets CAPACITY DATA HAS CHANGED (SBC-3 4.x, 2Ah/09h) once
     * it has; READ CAPACITY follows the store's size. Shrinking is refused (the data past the new
     * end would be lost): the LUN keeps its size and shows why. A store not open now is opened
     * with the new definition later; a backend that finds the file larger keeps the file's size.
     */
    private void grow(Device device, long newSize) {
        Medium m = device.medium();
        if (m == null) {
            return;
        }
        long deviceId = device.definition().deviceId();
        long current = m.store().size();
        if (newSize == current || newSize <= 0) {
            return;
        }
        if (newSize < current) {
            String why = "deviceSize " + newSize + " is smaller than the store's " + current
                    + " bytes: shrinking is refused, the LUN keeps its size";
            LOG.warn("storage {}: {}", deviceId, why);
            device.resizeDetail(why);
            return;
        }
        CompletableFuture<Void> resizing;
        try {
            resizing = m.store().resize(newSize);
        } catch (RuntimeException e) {
            resizing = CompletableFuture.failedFuture(e);
        }
        resizing.whenComplete((v, err) -> {
            if (err != null) {
                String why = "resize to " + newSize + " bytes failed: " + Device.describe(err);
                LOG.error("storage {}: {}", deviceId, why);
                device.resizeDetail(why);
                return;
            }
            LOG.info("storage {} resized from {} to {} bytes", deviceId, current, m.store().size());
            device.resizeDetail("");
            capacityChanged(deviceId);
        });
    }

    /** SBC-3 4.x / SPC-4: the capacity or block length changed; every nexus seeing the unit hears of it. */
    private void capacityChanged(long deviceId) {
        for (Target t : targets.values()) {
            t.unitAttentionForDevice(deviceId, SenseCode.CAPACITY_DATA_CHANGED);
        }
    }

    private void inventoryChanged(long deviceId) {
        for (Target t : targets.values()) {
            if (t.maps(deviceId)) {
                t.inventoryChanged();
            }
        }
    }

    // ---- targets ----

    public void putTarget(TargetDefinition def) {
        synchronized (lock) {
            Target existing = targets.get(def.name());
            if (existing == null) {
                targets.put(def.name(), new Target(this, def));
                return;
            }
            TargetDefinition old = existing.definition();
            existing.definition(def);
            if (!old.luns().equals(def.luns())) {
                existing.inventoryChanged();
            }
        }
    }

    public void removeTarget(String name) {
        Target t;
        synchronized (lock) {
            t = targets.remove(name);
            if (t != null) {
                t.markRemoved();
            }
        }
        if (t != null) {
            for (TargetListener listener : targetListeners) {
                try {
                    listener.targetRemoved(name);
                } catch (RuntimeException e) {
                    LOG.warn("target listener failed for removed target {}", name, e);
                }
            }
        }
    }

    @Override
    public AutoCloseable addTargetListener(TargetListener listener) {
        targetListeners.add(listener);
        return () -> targetListeners.remove(listener);
    }

    // ---- portals ----

    public void addPortal(Portal portal) {
        if (!portals.contains(portal)) {
            portals.add(portal);
        }
    }

    public void removePortal(Portal portal) {
        portals.remove(portal);
    }

    /** Closes every store; the service answers NOT READY afterwards. */
    public void close() {
        synchronized (lock) {
            closed = true;
            for (Device d : devices.values()) {
                d.detach(Device.State.OFFLINE, "service closed");
            }
            if (reservationFiles != null) {
                reservationFiles.close();
            }
            if (modeFiles != null) {
                modeFiles.close();
            }
        }
    }

    // ---- TargetRegistry ----

    @Override
    public Collection<ScsiTarget> allTargets() {
        return List.copyOf(targets.values());
    }

    @Override
    public Optional<ScsiTarget> target(String name) {
        return Optional.ofNullable(targets.get(name));
    }

    // ---- ManagementService ----

    @Override
    public List<TargetView> targets() {
        List<TargetView> result = new ArrayList<>();
        for (Target t : targets.values()) {
            TargetDefinition def = t.definition();
            result.add(new TargetView(def.name(), def.portalGroups(), def.luns().size(), t.nexuses().size()));
        }
        return result;
    }

    @Override
    public List<LunView> luns() {
        List<LunView> result = new ArrayList<>();
        for (Target t : targets.values()) {
            t.definition().luns().forEach((lun, id) -> {
                Device d = devices.get(id);
                if (d == null) {
                    result.add(new LunView(t.name(), lun, id, "", "", 0, 0, Device.State.OFFLINE.name(),
                            "no storage with deviceID " + id + " is configured"));
                    return;
                }
                StorageDefinition def = d.definition();
                Medium m = d.medium();
                long size = m != null ? m.store().size() : def.deviceSize();
                result.add(new LunView(t.name(), lun, id, def.backendType(), def.location(), size, def.blockSize(),
                        d.state().name(), d.detail()));
            });
        }
        return result;
    }

    @Override
    public List<PortalView> portals() {
        List<PortalView> result = new ArrayList<>();
        for (Portal p : portals) {
            result.add(new PortalView(p.id(), p.address(), p.listening()));
        }
        result.sort(java.util.Comparator.comparingInt(PortalView::id));
        return result;
    }

    @Override
    public List<LunStats> lunStats() {
        List<LunStats> result = new ArrayList<>();
        for (Target t : targets.values()) {
            t.definition().luns().forEach((lun, id) -> {
                Device d = devices.get(id);
                if (d == null) {
                    result.add(new LunStats(t.name(), lun, id, 0, 0, 0, 0, 0, LatencyHistogram.empty(),
                            LatencyHistogram.empty()));
                    return;
                }
                IoStats s = d.stats();
                result.add(new LunStats(t.name(), lun, id, s.readOps(), s.readBytes(), s.writeOps(), s.writeBytes(),
                        s.errors(), s.readLatency(), s.writeLatency()));
            });
        }
        return result;
    }

    @Override
    public List<SessionStats> sessionStats() {
        List<SessionStats> result = new ArrayList<>();
        for (Target t : targets.values()) {
            for (Nexus n : t.nexuses()) {
                NexusInfo i = n.info();
                IoStats s = n.stats();
                result.add(new SessionStats(t.name(), i.tsih(), i.initiatorName(), String.format("%012x", i.isid()),
                        s.readOps(), s.readBytes(), s.writeOps(), s.writeBytes(), s.errors(), s.readLatency(),
                        s.writeLatency()));
            }
        }
        return result;
    }

    @Override
    public List<SessionView> sessions() {
        List<SessionView> result = new ArrayList<>();
        for (Target t : targets.values()) {
            for (Nexus n : t.nexuses()) {
                result.add(view(t, n));
            }
        }
        return result;
    }

    private static SessionView view(Target t, Nexus n) {
        NexusInfo i = n.info();
        Map<String, String> params = i.parameters() == null ? Map.of() : i.parameters().get();
        int inFlight = i.commandsInFlight() == null ? 0 : i.commandsInFlight().get();
        return new SessionView(t.name(), i.initiatorName(), String.format("%012x", i.isid()), i.tsih(), i.tpgt(),
                i.initiatorAddress(), i.portalAddress(), inFlight, params);
    }

    @Override
    public SessionView logoutSession(int tsih, int graceSeconds) {
        if (graceSeconds < 1 || graceSeconds > 3600) {
            throw new IllegalArgumentException("grace period: " + graceSeconds + " s is out of range (1..3600)");
        }
        for (Target t : targets.values()) {
            for (Nexus n : t.nexuses()) {
                if (n.info().tsih() != tsih || n.closed()) {
                    continue;
                }
                if (n.info().sessionControl() == null) {
                    throw new IllegalArgumentException("TSIH " + tsih + ": the transport of this session cannot end it");
                }
                SessionView before = view(t, n);
                n.info().sessionControl().requestLogout(graceSeconds);
                LOG.info("session TSIH {} ({} on {}) asked to log out within {} s", tsih, before.initiatorName(),
                        t.name(), graceSeconds);
                return before;
            }
        }
        throw new IllegalArgumentException("TSIH " + tsih + ": no such session");
    }
}
