package io.jtgt.scsi.api;

import java.util.List;

/**
 * Read and (in later versions) change the running configuration. The shell, {@code bin/jtgt} and
 * any REST API call only this; it holds no logic of theirs. An OSGi service.
 */
public interface ManagementService {

    List<TargetView> targets();

    List<LunView> luns();

    List<PortalView> portals();

    List<SessionView> sessions();

    /** Grace period {@link #logoutSession(int)} gives an initiator (LIO waits as long). */
    int LOGOUT_GRACE_SECONDS = 10;

    /** {@link #logoutSession(int, int)} with {@link #LOGOUT_GRACE_SECONDS}. */
    default SessionView logoutSession(int tsih) {
        return logoutSession(tsih, LOGOUT_GRACE_SECONDS);
    }

    /**
     * Ends the session with this TSIH: the transport asks the initiator to log out (iSCSI: Async
     * Message, RFC 7143 11.9.1 AsyncEvent 1) and drops it after {@code graceSeconds} (1..3600) if
     * it has not. Returns at once, with the session as it was. An initiator that reconnects by
     * itself (libiscsi, open-iscsi) comes back as a new session with a new TSIH: to keep it out,
     * take it off the target's initiator list first.
     *
     * @throws IllegalArgumentException naming the TSIH when no session has it, or when its
     *     transport cannot end sessions
     * @since 2.3
     */
    default SessionView logoutSession(int tsih, int graceSeconds) {
        throw new IllegalArgumentException("TSIH " + tsih + ": this management service cannot end sessions");
    }

    /**
     * I/O statistics of every mapped LUN, in the order of {@link #luns()}. The counters belong to
     * the storage (deviceID): two LUNs mapping one storage show the same numbers. They count from
     * the storage's creation in this process; a restart or a removal starts them at zero.
     *
     * @since 2.3
     */
    default List<LunStats> lunStats() {
        return List.of();
    }

    /** A target and its portal groups. */
    record TargetView(String name, java.util.Map<Integer, List<Integer>> portalGroups, int lunCount, int sessionCount) {}

    /**
     * A logical unit.
     *
     * @param state {@code ONLINE}, {@code NO_BACKEND} (provider not installed), {@code OPENING},
     *     {@code FAILED} (open failed; {@code detail} says why) or {@code OFFLINE} (configured offline)
     */
    record LunView(String target, int lun, long deviceId, String backendType, String location,
            long sizeBytes, int blockSize, String state, String detail) {}

    record PortalView(int id, String address, boolean listening) {}

    record SessionView(String target, String initiatorName, String isid, int tsih, int tpgt,
            String initiatorAddress, String portalAddress, int commandsInFlight,
            java.util.Map<String, String> parameters) {}

    /**
     * I/O statistics of every live session (I_T nexus), counted from its login, over all its LUNs.
     *
     * @since 2.3
     */
    default List<SessionStats> sessionStats() {
        return List.of();
    }

    /**
     * Counters of one session, as {@link LunStats} counts them.
     *
     * @since 2.3
     */
    record SessionStats(String target, int tsih, String initiatorName, String isid, long readOps, long readBytes,
            long writeOps, long writeBytes, long errors, LatencyHistogram readLatency, LatencyHistogram writeLatency) {}

    /**
     * Counters of one LUN's storage. Only READ and WRITE commands (6, 10, 12, 16) count as
     * operations; {@code errors} counts those that did not end GOOD.
     *
     * @since 2.3
     */
    record LunStats(String target, int lun, long deviceId, long readOps, long readBytes, long writeOps,
            long writeBytes, long errors, LatencyHistogram readLatency, LatencyHistogram writeLatency) {}

    /**
     * A latency histogram with fixed log2 buckets of microseconds: bucket 0 counts latencies below
     * 1 µs, bucket {@code i} those in [2^(i-1), 2^i) µs, the last bucket everything longer.
     *
     * @param buckets {@link #BUCKETS} counts
     * @param totalMicros the sum of all recorded latencies, for the mean
     * @since 2.3
     */
    record LatencyHistogram(List<Long> buckets, long totalMicros) {

        public static final int BUCKETS = 32;

        public LatencyHistogram {
            buckets = List.copyOf(buckets);
            if (buckets.size() != BUCKETS) {
                throw new IllegalArgumentException(BUCKETS + " buckets expected, got " + buckets.size());
            }
        }

        public LatencyHistogram(long[] counts, long totalMicros) {
            this(java.util.Arrays.stream(counts).boxed().toList(), totalMicros);
        }

        /** An empty histogram. */
        public static LatencyHistogram empty() {
            return new LatencyHistogram(new long[BUCKETS], 0);
        }

        /** The exclusive upper bound of bucket {@code i} in µs (the last bucket has none: Long.MAX_VALUE). */
        public static long upperBoundMicros(int i) {
            return i >= BUCKETS - 1 ? Long.MAX_VALUE : 1L << i;
        }

        public long count() {
            long n = 0;
            for (long b : buckets) {
                n += b;
            }
            return n;
        }

        /** Mean latency in µs, 0 when nothing was recorded. */
        public long meanMicros() {
            long n = count();
            return n == 0 ? 0 : totalMicros / n;
        }

        /**
         * The upper bound (µs) of the bucket holding quantile {@code q} (0 < q <= 1): the latency
         * that at least that share of commands stayed under. 0 when nothing was recorded.
         */
        public long quantileUpperBoundMicros(double q) {
            if (!(q > 0 && q <= 1)) {
                throw new IllegalArgumentException("quantile " + q + " outside (0, 1]");
            }
            long n = count();
            if (n == 0) {
                return 0;
            }
            long rank = (long) Math.ceil(q * n);
            long seen = 0;
            for (int i = 0; i < BUCKETS; i++) {
                seen += buckets.get(i);
                if (seen >= rank) {
                    return upperBoundMicros(i);
                }
            }
            return Long.MAX_VALUE;
        }
    }
}
