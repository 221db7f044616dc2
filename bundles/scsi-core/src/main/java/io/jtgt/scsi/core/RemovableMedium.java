package io.jtgt.scsi.core;

import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The state of a removable medium (storage option {@code removable}): loaded or ejected by START
 * STOP UNIT with LOEJ=1 (SBC-3 5.20), and the I_T nexuses that prevent its removal with PREVENT
 * ALLOW MEDIUM REMOVAL (SPC-4 6.13). The store behind it stays open while ejected; only the SCSI
 * view changes (NOT READY, MEDIUM NOT PRESENT).
 */
public final class RemovableMedium {

    private volatile boolean ejected;
    private final Set<String> preventing = ConcurrentHashMap.newKeySet();

    /** SBC-3 5.20: the medium was unloaded (LOEJ=1, START=0) and not loaded again. */
    public boolean ejected() {
        return ejected;
    }

    public void ejected(boolean value) {
        this.ejected = value;
    }

    /**
     * SPC-4 6.13: removal is prevented while any I_T nexus has PREVENT=01b in effect; each nexus's
     * prevention is its own (a PREVENT=00b from another nexus does not lift it).
     */
    public boolean removalPrevented() {
        return !preventing.isEmpty();
    }

    public void prevent(String nexusId, boolean prevent) {
        if (prevent) {
            preventing.add(nexusId);
        } else {
            preventing.remove(nexusId);
        }
    }

    /** SPC-4 6.13: I_T nexus loss ends that nexus's prevention. */
    void nexusLost(String nexusId) {
        preventing.remove(nexusId);
    }

    /** SPC-4 6.13: power on, hard reset and LOGICAL UNIT RESET end every prevention. */
    void reset() {
        preventing.clear();
    }
}
