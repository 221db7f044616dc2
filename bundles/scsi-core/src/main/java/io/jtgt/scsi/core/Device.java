package io.jtgt.scsi.core;

import io.jtgt.scsi.config.StorageDefinition;
import io.jtgt.scsi.spi.BackingStore;
import io.jtgt.scsi.spi.BackingStoreProvider;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One configured storage and the store opened for it: the logical unit behind every LUN that
 * maps its deviceID. Binds to a provider dynamically: it may be waiting for its backend, opening,
 * online, failed or configured offline, and moves between these as providers come and go.
 */
public final class Device {

    private static final Logger LOG = LoggerFactory.getLogger(Device.class);

    /** The states {@link io.jtgt.scsi.api.ManagementService.LunView#state()} shows. */
    public enum State { NO_BACKEND, OPENING, ONLINE, FAILED, OFFLINE }

    /** Replaced only by {@link #resized}, when nothing but deviceSize changed. */
    private volatile StorageDefinition definition;
    private final DeviceIdentity identity;
    private final ModeParameters modeParameters;
    private final RangeLocks rangeLocks = new RangeLocks();
    private final AtomicWriteGate atomicWriteGate = new AtomicWriteGate(rangeLocks);
    private final Reservations reservations = new Reservations();
    private final TaskSet taskSet = new TaskSet();

    private final RemovableMedium removableMedium = new RemovableMedium();
    private final SanitizeState sanitizeState = new SanitizeState();
    private final CopyResults copyResults = new CopyResults();
    /** Kept across a replacement of the definition (same deviceID): see {@link #inheritStats}. */
    private volatile IoStats stats = new IoStats();
    private State state = State.OFFLINE;
    private String detail = "";
    /** Read on every command without locking; written under the monitor. */
    private volatile Medium medium;
    private BackingStoreProvider provider;
    /** Size and block size of the store this device replaced, to detect a capacity change; or null. */
    private long[] replacedGeometry;
    private Runnable capacityChanged;
    /** Raises CAPACITY DATA HAS CHANGED when the open store reports a resize made elsewhere; or null. */
    private volatile Runnable resizedElsewhere;
    /** Bumped on every open and detach; an open that completes under an older generation is stale. */
    private long generation;

    private final PersistentReservationFiles reservationFiles;
    private final ModeParameterFiles modeFiles;

    Device(StorageDefinition definition) {
        this(definition, null, null);
    }

    /**
     * With {@code reservationFiles}, persistent reservations saved with APTPL are restored and kept;
     * with {@code modeFiles}, mode parameters saved with SP=1 become the current values and can be
     * saved again. Either may be null (kept in memory only).
     */
    Device(StorageDefinition definition, PersistentReservationFiles reservationFiles, ModeParameterFiles modeFiles) {
        this.reservationFiles = reservationFiles;
        this.modeFiles = modeFiles;
        this.definition = definition;
        this.identity = DeviceIdentity.of(definition);
        this.modeParameters = loadModeParameters(definition.deviceId(), modeFiles);
        if (reservationFiles != null) {
            Reservations.Snapshot saved = reservationFiles.load(definition.deviceId());
            if (saved != null) {
                reservations.restore(saved);
                LOG.info("storage {}: {} persistent reservation registrations restored (APTPL)",
                        definition.deviceId(), saved.registrations().size());
            }
        }
    }

    /** SPC-4 7.5.1: when the unit comes up its current mode parameters are the saved ones, else the defaults. */
    private static ModeParameters loadModeParameters(long deviceId, ModeParameterFiles modeFiles) {
        if (modeFiles == null) {
            return new ModeParameters();
        }
        ModeParameters.Values saved = modeFiles.load(deviceId);
        if (saved != null) {
            LOG.info("storage {}: saved mode parameters restored: {}", deviceId, saved);
        }
        return new ModeParameters(true, saved == null ? ModeParameters.Values.DEFAULTS : saved);
    }

    /**
     * SPC-4 6.9 SP=1: saves the current mode parameters as the saved ones; completes once they are
     * durable, so the MODE SELECT reports GOOD only then. The snapshot is taken under the parameters'
     * lock and queued in the same order, so concurrent saves leave the latest values on disk.
     */
    public CompletableFuture<Void> saveModeParameters() {
        if (modeFiles == null) {
            return CompletableFuture.failedFuture(new IllegalStateException("mode parameters cannot be saved"));
        }
        synchronized (modeParameters) {
            ModeParameters.Values values = modeParameters.current();
            return modeFiles.save(definition.deviceId(), values).thenRun(() -> modeParameters.saved(values));
        }
    }

    /** SPC-4 6.13.4 PTPL_C: persistent reservations can be kept through power loss. */
    public boolean reservationsPersistable() {
        return reservationFiles != null;
    }

    /**
     * Saves the persistent reservation state after a PERSISTENT RESERVE OUT changed it: written
     * when APTPL is in effect, removed otherwise (SPC-4 5.9.5). Completes once durable.
     */
    public CompletableFuture<Void> reservationsChanged() {
        if (reservationFiles == null) {
            return CompletableFuture.completedFuture(null);
        }
        return reservationFiles.save(definition.deviceId(), reservations.aptpl() ? reservations.snapshot() : null);
    }

    /** The I/O counters of this storage. */
    IoStats stats() {
        return stats;
    }

    /** This device replaces {@code previous} (same deviceID): its counters go on. */
    void inheritStats(Device previous) {
        this.stats = previous.stats;
    }

    public StorageDefinition definition() {
        return definition;
    }

    public DeviceIdentity identity() {
        return identity;
    }

    public ModeParameters modeParameters() {
        return modeParameters;
    }

    public TaskSet taskSet() {
        return taskSet;
    }

    public Reservations reservations() {
        return reservations;
    }

    public RangeLocks rangeLocks() {
        return rangeLocks;
    }

    /** Orders READ and WRITE around WRITE ATOMIC (SBC-4 4.29). */
    public AtomicWriteGate atomicWriteGate() {
        return atomicWriteGate;
    }

    /** Eject/load and PREVENT state of a removable medium (SBC-3 5.20, SPC-4 6.13). */
    public RemovableMedium removableMedium() {
        return removableMedium;
    }

    /** EXTENDED COPY status held for RECEIVE COPY RESULTS (SPC-4 6.18). */
    public CopyResults copyResults() {
        return copyResults;
    }

    /** SANITIZE in progress / failure mode (SBC-3 4.11). */
    public SanitizeState sanitizeState() {
        return sanitizeState;
    }

    /** The storage option {@code readOnly}: every writing command fails with WRITE PROTECTED. */
    public boolean readOnly() {
        return definition.readOnly();
    }

    /**
     * Writing commands are refused with DATA PROTECT, WRITE PROTECTED (SBC-3 4.x write protection):
     * a read-only storage or the control page SWP (SPC-4 7.5.8).
     */
    public boolean writeProtected() {
        return definition.readOnly() || modeParameters.softwareWriteProtect();
    }

    public synchronized State state() {
        return state;
    }

    public synchronized String detail() {
        return detail;
    }

    /** The opened store, or null unless {@link State#ONLINE}. */
    public Medium medium() {
        return medium;
    }

    synchronized BackingStoreProvider provider() {
        return provider;
    }

    /**
     * Why the unit is not ready, as the sense code a medium-access command gets (SPC-4 6.37, SBC-3 4.x):
     * <ul>
     * <li>OPENING: 04h/01h IN PROCESS OF BECOMING READY, so initiators retry (Linux sd does) and
     *     ride over the short window between provider arrival and open completion;
     * <li>NO_BACKEND and OFFLINE: 04h/03h MANUAL INTERVENTION REQUIRED: nothing changes until an
     *     administrator installs the backend bundle or sets the storage online, so retrying is
     *     pointless. 3Ah MEDIUM NOT PRESENT is not used: it is for removable media and would make
     *     initiators treat the disk as an empty drive;
     * <li>FAILED: 4Ch/00h LOGICAL UNIT FAILED SELF-CONFIGURATION: the unit tried to bring itself up
     *     (open the store) and failed; the cause is in the management view.
     * </ul>
     */
    public synchronized SenseCode notReadySense() {
        return switch (state) {
            case OPENING -> SenseCode.NOT_READY_BECOMING_READY;
            case FAILED -> SenseCode.NOT_READY_SELF_CONFIGURATION_FAILED;
            case ONLINE -> null;
            default -> SenseCode.NOT_READY_MANUAL_INTERVENTION;
        };
    }

    /**
     * This device replaces one whose store had {@code bytes} in blocks of {@code blockSize}: if the
     * new store differs, {@code onChange} runs once it is open (SBC-3 4.x: CAPACITY DATA HAS CHANGED).
     */
    synchronized void replacing(long bytes, int blockSize, Runnable onChange) {
        this.replacedGeometry = new long[] {bytes, blockSize};
        this.capacityChanged = onChange;
    }

    /** What to run when the open store learns by itself that its size changed (BackingStore.sizeListener). */
    void onResizedElsewhere(Runnable action) {
        this.resizedElsewhere = action;
    }

    /**
     * The definition changed in {@code deviceSize} only: the device stays (no close and reopen,
     * sessions and commands in flight go on) and takes the new definition. Growing the store is
     * up to the caller ({@link ScsiTargetService}).
     */
    void resized(StorageDefinition newDefinition) {
        if (!newDefinition.equals(definition.withDeviceSize(newDefinition.deviceSize()))) {
            throw new IllegalArgumentException("only deviceSize may change in place");
        }
        this.definition = newDefinition;
    }

    /** Shows why a resize did not happen (the unit stays online at its old size), or "" once one did. */
    synchronized void resizeDetail(String why) {
        if (state == State.ONLINE) {
            detail = why;
        }
    }

    synchronized void markWaiting(State waitingState, String why) {
        generation++;
        state = waitingState;
        detail = why;
    }

    /** Starts opening through {@code p}; completion moves the device to ONLINE or FAILED. */
    void open(BackingStoreProvider p) {
        long gen;
        synchronized (this) {
            gen = ++generation;
            provider = p;
            state = State.OPENING;
            detail = "opening through backend " + p.backendType();
        }
        CompletableFuture<BackingStore> opening;
        try {
            opening = p.open(definition.toStorageConfig());
            if (opening == null) {
                opening = CompletableFuture.failedFuture(new IllegalStateException("the provider returned no future"));
            }
        } catch (RuntimeException e) {
            opening = CompletableFuture.failedFuture(e);
        }
        opening.whenComplete((store, err) -> opened(gen, store, err));
    }

    private void opened(long gen, BackingStore store, Throwable err) {
        BackingStore stale = null;
        BackingStore online = null;
        Runnable notify = null;
        synchronized (this) {
            if (gen != generation) {
                stale = store; // detached or reopened meanwhile: this store is nobody's
            } else if (err != null) {
                state = State.FAILED;
                detail = describe(err);
                LOG.error("storage {} ({} {}) failed to open: {}", definition.deviceId(), definition.backendType(),
                        definition.location(), detail);
            } else if (store.size() < definition.blockSize()) {
                state = State.FAILED;
                detail = "size " + store.size() + " bytes is smaller than one block of " + definition.blockSize();
                LOG.error("storage {} ({} {}) failed to open: {}", definition.deviceId(), definition.backendType(),
                        definition.location(), detail);
                stale = store;
            } else {
                boolean thin = definition.thinProvisioning() && store.capabilities().canUnmap();
                medium = new Medium(store, definition.blockSize(), store.capabilities(), thin,
                        Medium.physicalBlockSize(definition.physicalBlockShift(), definition.blockSize(),
                                store.capabilities()));
                state = State.ONLINE;
                detail = "";
                LOG.info("storage {} online: {} {}, {} bytes", definition.deviceId(), definition.backendType(),
                        definition.location(), store.size());
                if (replacedGeometry != null && capacityChanged != null
                        && (replacedGeometry[0] != store.size() || replacedGeometry[1] != definition.blockSize())) {
                    notify = capacityChanged;
                }
                replacedGeometry = null;
                online = store;
            }
        }
        if (online != null) {
            watchSize(online); // outside the monitor: the store's code runs here
        }
        if (stale != null) {
            closeQuietly(stale);
        }
        if (notify != null) {
            notify.run();
        }
    }

    /** SBC-3 4.x: a resize the backend saw (not one jtgt made) is a capacity change too, while this store is ours. */
    private void watchSize(BackingStore store) {
        try {
            store.sizeListener(newSize -> {
                Medium m = medium;
                Runnable action = resizedElsewhere;
                if (m != null && m.store() == store && action != null) {
                    LOG.info("storage {}: the backend reports a new size of {} bytes", definition.deviceId(), newSize);
                    action.run();
                }
            });
        } catch (RuntimeException e) {
            LOG.warn("storage {}: the store refused a size listener: {}", definition.deviceId(), describe(e));
        }
    }

    /** Closes the store (if any) and parks the device in {@code newState}. */
    CompletableFuture<Void> detach(State newState, String why) {
        Medium m;
        synchronized (this) {
            generation++;
            m = medium;
            medium = null;
            provider = null;
            state = newState;
            detail = why;
        }
        return m == null ? CompletableFuture.completedFuture(null) : closeQuietly(m.store());
    }

    private CompletableFuture<Void> closeQuietly(BackingStore store) {
        try {
            return store.close().exceptionally(e -> {
                LOG.warn("storage {}: closing the store failed: {}", definition.deviceId(), describe(e));
                return null;
            });
        } catch (RuntimeException e) {
            LOG.warn("storage {}: closing the store failed: {}", definition.deviceId(), describe(e));
            return CompletableFuture.completedFuture(null);
        }
    }

    static String describe(Throwable err) {
        Throwable t = err;
        while ((t instanceof CompletionException || t instanceof java.util.concurrent.ExecutionException)
                && t.getCause() != null) {
            t = t.getCause();
        }
        String msg = t.getMessage();
        return msg == null || msg.isBlank() ? t.getClass().getSimpleName() : msg;
    }
}
