package io.jtgt.iscsi.session;

import io.jtgt.iscsi.login.SessionDirectory;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/** The live sessions of one server: TSIH allocation and session reinstatement. Thread-safe. */
public final class SessionRegistry implements SessionDirectory {

    private final Map<Integer, IscsiSession> sessions = new HashMap<>();
    /** TSIHs handed to logins that have not completed yet, with their target (null: discovery). */
    private final Map<Integer, String> reserved = new HashMap<>();
    private int nextTsih = 1;

    @Override
    public synchronized boolean exists(int tsih) {
        return sessions.containsKey(tsih);
    }

    @Override
    public synchronized boolean belongsTo(int tsih, String initiatorName, long isid) {
        IscsiSession session = sessions.get(tsih);
        return session != null && session.isid() == isid && session.initiatorName().equals(initiatorName);
    }

    @Override
    public synchronized int allocateTsih() {
        return reserve(null);
    }

    @Override
    public synchronized int allocateTsih(String target, String initiatorName, long isid, int maxSessions) {
        if (maxSessions > 0) {
            long count = sessions.values().stream().filter(s -> !s.discovery() && s.target().name().equals(target)
                    && !(s.isid() == isid && s.initiatorName().equals(initiatorName))).count()
                    + reserved.values().stream().filter(target::equals).count();
            if (count >= maxSessions) {
                return 0;
            }
        }
        return reserve(target);
    }

    private int reserve(String target) {
        for (int i = 0; i < 0xffff; i++) {
            int candidate = nextTsih;
            nextTsih = nextTsih == 0xffff ? 1 : nextTsih + 1;
            if (!sessions.containsKey(candidate) && !reserved.containsKey(candidate)) {
                reserved.put(candidate, target);
                return candidate;
            }
        }
        throw new IllegalStateException("all 65535 TSIHs are in use");
    }

    /**
     * Registers a new session; returns the older sessions of the same I_T nexus, which the
     * caller terminates (RFC 7143 6.3.5 session reinstatement).
     */
    synchronized List<IscsiSession> register(IscsiSession session) {
        reserved.remove(session.tsih());
        List<IscsiSession> replaced = new ArrayList<>();
        for (IscsiSession existing : sessions.values()) {
            if (existing != session && (existing.sameInitiatorPort(session) || existing.tsih() == session.tsih())) {
                replaced.add(existing);
            }
        }
        sessions.put(session.tsih(), session);
        return replaced;
    }

    synchronized void unregister(IscsiSession session) {
        sessions.remove(session.tsih(), session);
    }

    /** Releases a TSIH allocated for a login that then failed. */
    public synchronized void release(int tsih) {
        reserved.remove(tsih);
    }

    public synchronized List<IscsiSession> sessions() {
        return new ArrayList<>(sessions.values());
    }
}
