package io.jtgt.iscsi.session;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * The session's command numbering (RFC 7143 4.2.2.1): ExpCmdSN, MaxCmdSN, and the ordering of
 * non-immediate commands by CmdSN. Commands arriving ahead of ExpCmdSN wait here until the gap
 * closes; commands outside [ExpCmdSN, MaxCmdSN] and duplicates are silently ignored.
 *
 * <p>MaxCmdSN = ExpCmdSN + (queue depth − commands in flight) − 1, never decreasing: the window
 * bounds what a session can have outstanding, not just what it may send next.
 */
public final class CommandWindow {

    /** What to do with a received command. */
    public enum Admission {
        /** Deliver now (in order, or immediate). */
        DELIVER,
        /** Held until earlier CmdSNs arrive; it will come back from {@link #advance}. */
        HELD,
        /** Outside the window or a duplicate: ignore silently. */
        DROP
    }

    private final int queueDepth;
    private final Map<Integer, Runnable> held = new HashMap<>();
    private int expCmdSn;
    private int maxCmdSn;

    public CommandWindow(int firstCmdSn, int queueDepth) {
        this.queueDepth = queueDepth;
        this.expCmdSn = firstCmdSn;
        this.maxCmdSn = firstCmdSn + queueDepth - 1;
    }

    /**
     * Admits a command. Immediate commands never consume a CmdSN (RFC 7143 3.2.2.1). An in-order
     * command advances ExpCmdSN; the caller then runs {@link #drainHeld()}. A command answered
     * {@link Admission#HELD} is the caller's to {@link #hold}: the delivery is made only for the
     * rare command that waits, not for every one.
     */
    public Admission admit(int cmdSn, boolean immediate) {
        if (immediate) {
            return Admission.DELIVER;
        }
        if (SerialNumbers.lessThan(cmdSn, expCmdSn) || SerialNumbers.lessThan(maxCmdSn, cmdSn)) {
            return Admission.DROP;
        }
        if (cmdSn == expCmdSn) {
            expCmdSn++;
            return Admission.DELIVER;
        }
        if (held.containsKey(cmdSn)) {
            return Admission.DROP; // a duplicate of one already waiting
        }
        return Admission.HELD;
    }

    /** Keeps the delivery of a command {@link #admit} answered HELD until its CmdSN's turn. */
    public void hold(int cmdSn, Runnable deliver) {
        held.put(cmdSn, deliver);
    }

    /** Delivers, in order, held commands whose turn has come. */
    public void drainHeld() {
        Runnable next;
        // isEmpty first: the common case holds nothing, and a lookup would box ExpCmdSN per command.
        while (!held.isEmpty() && (next = held.remove(expCmdSn)) != null) {
            expCmdSn++;
            next.run();
        }
    }

    /** Runs every held delivery regardless of order (the connection is closing; they only clean up). */
    public void drainAll() {
        List<Runnable> all = new ArrayList<>(held.values());
        held.clear();
        all.forEach(Runnable::run);
    }

    /** Recomputes MaxCmdSN for {@code inFlight} outstanding commands; it never goes down. */
    public void update(int inFlight) {
        int candidate = expCmdSn + Math.max(0, queueDepth - inFlight - held.size()) - 1;
        if (SerialNumbers.lessThan(maxCmdSn, candidate)) {
            maxCmdSn = candidate;
        }
    }

    public int expCmdSn() {
        return expCmdSn;
    }

    public int maxCmdSn() {
        return maxCmdSn;
    }

    public int heldCount() {
        return held.size();
    }
}
