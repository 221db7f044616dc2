package io.jtgt.scsi.core;

import java.util.ArrayDeque;
import java.util.Deque;
import java.util.HashMap;
import java.util.Map;

/**
 * Pending unit attention conditions of one I_T nexus, per logical unit (SAM-5 5.14: a unit
 * attention is established for an I_T_L nexus). Every LUN starts with POWER ON, RESET, OR BUS
 * DEVICE RESET OCCURRED (29h/00h), reported once on the first command other than INQUIRY,
 * REPORT LUNS and REQUEST SENSE. A pending 29h/xxh condition supersedes the others (SAM-5 5.14:
 * the reset makes them moot), and a condition already queued is not queued twice.
 */
final class UnitAttentions {

    private final Map<Integer, Deque<SenseCode>> pending = new HashMap<>();

    private Deque<SenseCode> queue(int lun) {
        return pending.computeIfAbsent(lun, l -> {
            Deque<SenseCode> q = new ArrayDeque<>();
            q.add(SenseCode.POWER_ON_RESET);
            return q;
        });
    }

    /** Removes and returns the oldest condition for {@code lun}, or null. */
    synchronized SenseCode poll(int lun) {
        return queue(lun).poll();
    }

    /** Queues {@code code} for {@code lun}. */
    synchronized void add(int lun, SenseCode code) {
        add(queue(lun), code);
    }

    /** Queues {@code code} for every LUN this nexus has addressed (others still hold POWER ON). */
    synchronized void addToAll(SenseCode code) {
        pending.values().forEach(q -> add(q, code));
    }

    /** Drops a condition, e.g. REPORTED LUNS DATA HAS CHANGED once REPORT LUNS ran (SPC-4 6.33). */
    synchronized void clear(int lun, SenseCode code) {
        Deque<SenseCode> q = pending.get(lun);
        if (q != null) {
            q.remove(code);
        }
    }

    private static void add(Deque<SenseCode> q, SenseCode code) {
        if (code.asc() == 0x29) {
            q.clear();
            q.add(code);
            return;
        }
        SenseCode head = q.peek();
        if ((head != null && head.asc() == 0x29) || q.contains(code)) {
            return;
        }
        q.add(code);
    }
}
