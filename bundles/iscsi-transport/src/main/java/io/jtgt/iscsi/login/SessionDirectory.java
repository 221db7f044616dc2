package io.jtgt.iscsi.login;

/** What login needs to know about existing sessions (implemented by the session registry). */
public interface SessionDirectory {

    /** True while a session with this TSIH exists. */
    boolean exists(int tsih);

    /** True while a session with this TSIH exists for this initiator port (InitiatorName + ISID). */
    boolean belongsTo(int tsih, String initiatorName, long isid);

    /** A fresh non-zero TSIH not used by any live session (RFC 7143 11.12.6). */
    int allocateTsih();

    /**
     * A fresh TSIH for a new session of {@code target}, or 0 when the target already has
     * {@code maxSessions} sessions (0 = no limit) without counting the one this login reinstates
     * (same InitiatorName and ISID). Check and allocation are one step, so concurrent logins cannot
     * overshoot the limit.
     */
    default int allocateTsih(String target, String initiatorName, long isid, int maxSessions) {
        return allocateTsih();
    }
}
