package io.jtgt.scsi.core;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Reservation state of one logical unit: SPC-4 persistent reservations (5.9: registrations by
 * I_T nexus, one reservation of scope LU, the PRgeneration counter; kept through power loss when
 * the last REGISTER asked for it with APTPL and the service has a state directory, see
 * {@link PersistentReservationFiles}) and the older SPC-2 RESERVE/RELEASE reservation, which excludes the other.
 * I_T nexuses are identified by their SCSI port names (initiator port name with ISID, target
 * port with TPGT), so a registration survives a reconnect with the same ISID, as SPC-4 requires.
 * All methods are synchronized: PR commands are rare and short.
 */
public final class Reservations {

    public static final int WRITE_EXCLUSIVE = 1;
    public static final int EXCLUSIVE_ACCESS = 3;
    public static final int WRITE_EXCLUSIVE_REGISTRANTS_ONLY = 5;
    public static final int EXCLUSIVE_ACCESS_REGISTRANTS_ONLY = 6;
    public static final int WRITE_EXCLUSIVE_ALL_REGISTRANTS = 7;
    public static final int EXCLUSIVE_ACCESS_ALL_REGISTRANTS = 8;

    private final Map<String, Long> registrations = new LinkedHashMap<>();
    private int generation;
    /** Holder of the persistent reservation (unused for the all-registrants types), or null. */
    private String holder;
    private int type;
    /** The SPC-2 reservation holder, or null. */
    private String legacyHolder;
    /** True while any reservation exists: lets every other command skip the monitor. */
    private volatile boolean active;
    /** SPC-4 5.9.5: the APTPL bit of the last successful REGISTER. */
    private boolean aptpl;

    /** The persistent part of the state (no SPC-2 reservation), for saving through power loss. */
    public record Snapshot(int generation, Map<String, Long> registrations, String holder, int type) {}

    public synchronized Snapshot snapshot() {
        return new Snapshot(generation, new LinkedHashMap<>(registrations), holder, type);
    }

    /** Restores a saved state (the unit was created with APTPL state from before a restart). */
    public synchronized void restore(Snapshot s) {
        registrations.clear();
        registrations.putAll(s.registrations());
        generation = s.generation();
        holder = s.holder();
        type = isValidType(s.type()) ? s.type() : 0;
        aptpl = true;
        updateActive();
    }

    public synchronized boolean aptpl() {
        return aptpl;
    }

    public synchronized void aptpl(boolean value) {
        this.aptpl = value;
    }

    private void updateActive() {
        active = type != 0 || legacyHolder != null;
    }

    public static boolean isValidType(int type) {
        return type == 1 || type == 3 || (type >= 5 && type <= 8);
    }

    private static boolean allRegistrants(int type) {
        return type == WRITE_EXCLUSIVE_ALL_REGISTRANTS || type == EXCLUSIVE_ACCESS_ALL_REGISTRANTS;
    }

    public synchronized int generation() {
        return generation;
    }

    public synchronized List<Long> keys() {
        return new ArrayList<>(registrations.values());
    }

    /** The registrations, nexus identifier to key, in registration order. */
    public synchronized Map<String, Long> registrations() {
        return new LinkedHashMap<>(registrations);
    }

    public synchronized Long key(String nexus) {
        return registrations.get(nexus);
    }

    public synchronized boolean reserved() {
        return type != 0;
    }

    public synchronized int type() {
        return type;
    }

    /** The reservation key READ RESERVATION reports: the holder's, or 0 for all-registrants types. */
    public synchronized long holderKey() {
        if (type == 0 || allRegistrants(type)) {
            return 0;
        }
        Long k = registrations.get(holder);
        return k == null ? 0 : k;
    }

    public synchronized boolean isHolder(String nexus) {
        return type != 0 && (allRegistrants(type) ? registrations.containsKey(nexus) : nexus.equals(holder));
    }

    public synchronized String legacyHolder() {
        return legacyHolder;
    }

    // ---- SPC-4 5.9.7 / 6.15 PERSISTENT RESERVE OUT actions; return null or the conflict/sense ----

    /** REGISTER (ignoreKey false) and REGISTER AND IGNORE EXISTING KEY (true), SPC-4 5.9.7. */
    public synchronized boolean register(String nexus, long key, long newKey, boolean ignoreKey) {
        Long current = registrations.get(nexus);
        if (current == null) {
            if (!ignoreKey && key != 0) {
                return false;
            }
            if (newKey != 0) {
                registrations.put(nexus, newKey);
                generation++;
            }
            return true;
        }
        if (!ignoreKey && current != key) {
            return false;
        }
        if (newKey == 0) {
            unregister(nexus);
        } else {
            registrations.put(nexus, newKey);
        }
        generation++;
        return true;
    }

    private void unregister(String nexus) {
        registrations.remove(nexus);
        if (type != 0) {
            if (allRegistrants(type)) {
                if (registrations.isEmpty()) {
                    clearReservation();
                }
            } else if (nexus.equals(holder)) {
                clearReservation(); // SPC-4 5.9.11.2: the holder unregistering releases the reservation
            }
        }
    }

    private void clearReservation() {
        holder = null;
        type = 0;
        updateActive();
    }

    /**
     * Registers {@code nexus} with {@code key}, or unregisters it when the key is 0 (ALL_TG_PT and
     * SPEC_I_PT registrations made on behalf of the sender, SPC-4 5.9.7).
     */
    public synchronized void setRegistration(String nexus, long key) {
        if (key == 0) {
            if (registrations.containsKey(nexus)) {
                unregister(nexus);
                generation++;
            }
        } else {
            registrations.put(nexus, key);
        }
    }

    /** Checks the caller is registered with {@code key}. */
    public synchronized boolean registeredWith(String nexus, long key) {
        Long current = registrations.get(nexus);
        return current != null && current == key;
    }

    /** RESERVE (SPC-4 5.9.9): false is RESERVATION CONFLICT. */
    public synchronized boolean reserve(String nexus, int newType) {
        if (type == 0) {
            holder = nexus;
            type = newType;
            updateActive();
            return true;
        }
        return isHolder(nexus) && type == newType;
    }

    /** The outcome of a RELEASE. */
    public enum ReleaseResult { RELEASED, NOTHING, INVALID_TYPE }

    /** RELEASE (SPC-4 5.9.11.2). */
    public synchronized ReleaseResult release(String nexus, int releaseType) {
        if (type == 0 || !isHolder(nexus)) {
            return ReleaseResult.NOTHING;
        }
        if (releaseType != type) {
            return ReleaseResult.INVALID_TYPE;
        }
        clearReservation();
        return ReleaseResult.RELEASED;
    }

    /** The registered nexuses other than {@code nexus}. */
    public synchronized List<String> otherRegistrants(String nexus) {
        List<String> result = new ArrayList<>(registrations.keySet());
        result.remove(nexus);
        return result;
    }

    /** CLEAR (SPC-4 5.9.11.6): returns the nexuses that lost their registration. */
    public synchronized List<String> clear(String nexus) {
        List<String> others = otherRegistrants(nexus);
        registrations.clear();
        clearReservation();
        generation++;
        return others;
    }

    /**
     * PREEMPT (SPC-4 5.9.11.4): removes the registrations with {@code victimKey} (and takes over
     * the reservation where SPC-4 says so). Returns the removed nexuses, or null for RESERVATION
     * CONFLICT (nothing matched).
     */
    public synchronized List<String> preempt(String nexus, long victimKey, int newType) {
        List<String> removed = new ArrayList<>();
        if (type != 0 && allRegistrants(type) && victimKey == 0) {
            for (String n : otherRegistrants(nexus)) {
                registrations.remove(n);
                removed.add(n);
            }
            holder = nexus;
            type = newType;
            generation++;
            updateActive();
            return removed;
        }
        boolean takesReservation = type != 0 && !allRegistrants(type) && holderKey() == victimKey;
        for (Map.Entry<String, Long> e : new ArrayList<>(registrations.entrySet())) {
            if (e.getValue() == victimKey && !e.getKey().equals(nexus)) {
                registrations.remove(e.getKey());
                removed.add(e.getKey());
            }
        }
        if (takesReservation) {
            holder = nexus;
            type = newType;
            updateActive();
        } else if (removed.isEmpty()) {
            return null;
        }
        if (type != 0 && allRegistrants(type) && registrations.isEmpty()) {
            clearReservation();
        }
        generation++;
        return removed;
    }

    /**
     * REGISTER AND MOVE (SPC-4 5.9.8): registers {@code destination} with {@code newKey} (replacing
     * a key it had), makes it the holder of the current reservation, and unregisters the sender
     * when {@code unregister}. The caller checked that the sender holds the reservation.
     */
    public synchronized void registerAndMove(String sender, String destination, long newKey, boolean unregister) {
        registrations.put(destination, newKey);
        holder = destination;
        if (unregister) {
            registrations.remove(sender);
        }
        generation++;
        updateActive();
    }

    // ---- SPC-2 RESERVE / RELEASE ----

    /** RESERVE(6)/(10): false is RESERVATION CONFLICT. */
    public synchronized boolean legacyReserve(String nexus) {
        if (type != 0 || (legacyHolder != null && !legacyHolder.equals(nexus))) {
            return false;
        }
        legacyHolder = nexus;
        updateActive();
        return true;
    }

    /** RELEASE(6)/(10): only the holder releases; anybody else gets GOOD with no effect (SPC-2 7.21). */
    public synchronized void legacyRelease(String nexus) {
        if (nexus.equals(legacyHolder)) {
            legacyHolder = null;
            updateActive();
        }
    }

    /** A logical unit reset releases the SPC-2 reservation, whoever holds it. */
    public synchronized void releaseLegacy() {
        legacyHolder = null;
        updateActive();
    }

    /** I_T nexus loss releases an SPC-2 reservation (SPC-2 5.5.1), not a persistent one. */
    public synchronized void nexusLost(String nexus) {
        legacyRelease(nexus);
    }

    /**
     * Whether a command of this access class from {@code nexus} conflicts (SPC-4 5.9.1, SBC-3
     * 4.17): with an SPC-2 reservation everything but the exempt commands (INQUIRY, REPORT LUNS,
     * REQUEST SENSE, RELEASE; SPC-2 5.5.1) does;
     * with a persistent one, writes conflict for non-holders (for the registrants-only and
     * all-registrants types: for non-registrants), and for the exclusive-access types reads too.
     */
    public boolean conflicts(String nexus, boolean reads, boolean writes, boolean legacyExempt) {
        if (!active) {
            return false; // the common case, without taking the monitor
        }
        synchronized (this) {
            return conflictsLocked(nexus, reads, writes, legacyExempt);
        }
    }

    private boolean conflictsLocked(String nexus, boolean reads, boolean writes, boolean legacyExempt) {
        if (legacyHolder != null) {
            return !legacyHolder.equals(nexus) && !legacyExempt;
        }
        if (type == 0 || (!reads && !writes)) {
            return false;
        }
        boolean privileged = switch (type) {
            case WRITE_EXCLUSIVE, EXCLUSIVE_ACCESS -> nexus.equals(holder);
            default -> registrations.containsKey(nexus);
        };
        if (privileged) {
            return false;
        }
        boolean exclusiveAccess = type == EXCLUSIVE_ACCESS || type == EXCLUSIVE_ACCESS_REGISTRANTS_ONLY
                || type == EXCLUSIVE_ACCESS_ALL_REGISTRANTS;
        return writes || (reads && exclusiveAccess);
    }
}
