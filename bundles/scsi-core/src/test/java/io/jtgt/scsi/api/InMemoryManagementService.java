package io.jtgt.scsi.api;

import java.util.ArrayList;
import java.util.List;

/**
 * A ManagementService in memory, for the tests of the layers above scsi-core (REST, metrics):
 * what a test puts into its lists is what it answers, and {@link #logoutSession} is recorded.
 * Shipped in scsi-core's test-jar.
 */
public final class InMemoryManagementService implements ManagementService {

    public final List<TargetView> targets = new ArrayList<>();
    public final List<LunView> luns = new ArrayList<>();
    public final List<PortalView> portals = new ArrayList<>();
    public final List<SessionView> sessions = new ArrayList<>();
    public final List<LunStats> lunStats = new ArrayList<>();
    public final List<SessionStats> sessionStats = new ArrayList<>();
    /** {tsih, grace seconds} of each {@link #logoutSession(int, int)} call. */
    public final List<int[]> logouts = new ArrayList<>();

    @Override
    public List<TargetView> targets() {
        return List.copyOf(targets);
    }

    @Override
    public List<LunView> luns() {
        return List.copyOf(luns);
    }

    @Override
    public List<PortalView> portals() {
        return List.copyOf(portals);
    }

    @Override
    public List<SessionView> sessions() {
        return List.copyOf(sessions);
    }

    @Override
    public List<LunStats> lunStats() {
        return List.copyOf(lunStats);
    }

    @Override
    public List<SessionStats> sessionStats() {
        return List.copyOf(sessionStats);
    }

    @Override
    public SessionView logoutSession(int tsih, int graceSeconds) {
        logouts.add(new int[] {tsih, graceSeconds});
        return sessions.stream().filter(s -> s.tsih() == tsih).findFirst()
                .orElseThrow(() -> new IllegalArgumentException("TSIH " + tsih + ": no such session"));
    }

    /** A histogram with {@code count} latencies in bucket {@code bucket}, summing to {@code totalMicros}. */
    public static LatencyHistogram histogram(int bucket, long count, long totalMicros) {
        long[] buckets = new long[LatencyHistogram.BUCKETS];
        buckets[bucket] = count;
        return new LatencyHistogram(buckets, totalMicros);
    }
}
