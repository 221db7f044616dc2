package io.jtgt.scsi.core;

import java.util.LinkedHashMap;
import java.util.Map;

/**
 * Status of EXTENDED COPY (LID1) commands this logical unit processed as copy manager, kept per
 * I_T nexus and LIST IDENTIFIER for RECEIVE COPY RESULTS / COPY STATUS (SPC-4 6.18.3) when the
 * LIST ID USAGE asked for it. A few per nexus, oldest dropped first; forgotten on I_T nexus loss.
 */
public final class CopyResults {

    /** Status of one copy: COPY MANAGER STATUS (00h running, 01h done, 02h done with errors), segments, bytes. */
    public record Status(int copyManagerStatus, int segmentsProcessed, long bytesCopied) {}

    private static final int PER_NEXUS = 16;

    private final Map<String, Map<Integer, Status>> byNexus = new LinkedHashMap<>();

    public synchronized void put(String nexusId, int listId, Status status) {
        Map<Integer, Status> m = byNexus.computeIfAbsent(nexusId, k -> new LinkedHashMap<>());
        m.remove(listId);
        m.put(listId, status);
        if (m.size() > PER_NEXUS) {
            m.remove(m.keySet().iterator().next());
        }
    }

    /** The status held for this nexus and list identifier, or null. */
    public synchronized Status get(String nexusId, int listId) {
        Map<Integer, Status> m = byNexus.get(nexusId);
        return m == null ? null : m.get(listId);
    }

    synchronized void nexusLost(String nexusId) {
        byNexus.remove(nexusId);
    }
}
