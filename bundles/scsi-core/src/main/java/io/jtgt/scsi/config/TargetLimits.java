package io.jtgt.scsi.config;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * A target's own transport limits, overriding the daemon's ({@code io.jtgt.iscsi}) for logins to
 * that target: optional keys of the target's configuration ({@value ConfigPids#TARGET}) and of its
 * gotgt JSON entry. A null field means "the daemon's value". The ranges are those of the iSCSI
 * keys they become (RFC 7143 13); the transport reads them, scsi-core only validates them.
 *
 * @param maxRecvDataSegmentLength RFC 7143 13.12, 512..2^24-1
 * @param maxBurstLength RFC 7143 13.13, 512..2^24-1
 * @param firstBurstLength RFC 7143 13.14, 512..2^24-1, never above maxBurstLength
 * @param maxOutstandingR2T RFC 7143 13.17, 1..65535
 * @param immediateData RFC 7143 13.11
 * @param initialR2T RFC 7143 13.10
 * @param maxConnections RFC 7143 13.2; only 1 (jtgt runs one connection per session)
 * @param defaultTime2Wait RFC 7143 13.15, seconds 0..3600
 * @param defaultTime2Retain RFC 7143 13.16, seconds 0..3600
 * @param nopInIntervalSeconds idle seconds before the target pings with a NOP-In, 0..3600 (0 = never)
 * @param nopInTimeoutSeconds seconds a ping (or a stalled send) may stay unanswered, 1..3600
 * @param maxSessions sessions the target admits at once, 0..65535 (0 = no limit of its own)
 */
public record TargetLimits(
        Integer maxRecvDataSegmentLength,
        Integer maxBurstLength,
        Integer firstBurstLength,
        Integer maxOutstandingR2T,
        Boolean immediateData,
        Boolean initialR2T,
        Integer maxConnections,
        Integer defaultTime2Wait,
        Integer defaultTime2Retain,
        Integer nopInIntervalSeconds,
        Integer nopInTimeoutSeconds,
        Integer maxSessions) {

    public static final String MAX_RECV_DATA_SEGMENT_LENGTH = "maxRecvDataSegmentLength";
    public static final String MAX_BURST_LENGTH = "maxBurstLength";
    public static final String FIRST_BURST_LENGTH = "firstBurstLength";
    public static final String MAX_OUTSTANDING_R2T = "maxOutstandingR2T";
    public static final String IMMEDIATE_DATA = "immediateData";
    public static final String INITIAL_R2T = "initialR2T";
    public static final String MAX_CONNECTIONS = "maxConnections";
    public static final String DEFAULT_TIME2WAIT = "defaultTime2Wait";
    public static final String DEFAULT_TIME2RETAIN = "defaultTime2Retain";
    public static final String NOP_IN_INTERVAL = "nopInIntervalSeconds";
    public static final String NOP_IN_TIMEOUT = "nopInTimeoutSeconds";
    public static final String MAX_SESSIONS = "maxSessions";

    /** Every key, in the order {@link #toProperties()} writes them. */
    public static final List<String> KEYS = List.of(MAX_RECV_DATA_SEGMENT_LENGTH, MAX_BURST_LENGTH,
            FIRST_BURST_LENGTH, MAX_OUTSTANDING_R2T, IMMEDIATE_DATA, INITIAL_R2T, MAX_CONNECTIONS, DEFAULT_TIME2WAIT,
            DEFAULT_TIME2RETAIN, NOP_IN_INTERVAL, NOP_IN_TIMEOUT, MAX_SESSIONS);

    /** RFC 7143 13.12-13.14: the lengths are 24-bit. */
    private static final long MAX_LENGTH = 0xFFFFFF;

    /** No overrides: every value is the daemon's. */
    public static final TargetLimits NONE = new TargetLimits(null, null, null, null, null, null, null, null, null,
            null, null, null);

    public boolean isEmpty() {
        return equals(NONE);
    }

    /** True for the keys this record reads (so the target parser can tell them from mistakes). */
    public static boolean isKey(String key) {
        return KEYS.contains(key);
    }

    /** Reads the limit keys of a target's properties; {@code owner} names the target in messages. */
    public static TargetLimits fromProperties(String owner, Map<String, ?> props) {
        Integer maxBurst = number(owner, props, MAX_BURST_LENGTH, 512, MAX_LENGTH);
        Integer firstBurst = number(owner, props, FIRST_BURST_LENGTH, 512, MAX_LENGTH);
        if (maxBurst != null && firstBurst != null && firstBurst > maxBurst) {
            throw ConfigException.field(owner, FIRST_BURST_LENGTH, firstBurst,
                    "exceeds " + MAX_BURST_LENGTH + "=" + maxBurst + " (RFC 7143 13.14)");
        }
        return new TargetLimits(
                number(owner, props, MAX_RECV_DATA_SEGMENT_LENGTH, 512, MAX_LENGTH),
                maxBurst,
                firstBurst,
                number(owner, props, MAX_OUTSTANDING_R2T, 1, 65535),
                bool(owner, props, IMMEDIATE_DATA),
                bool(owner, props, INITIAL_R2T),
                oneConnection(owner, props),
                number(owner, props, DEFAULT_TIME2WAIT, 0, 3600),
                number(owner, props, DEFAULT_TIME2RETAIN, 0, 3600),
                number(owner, props, NOP_IN_INTERVAL, 0, 3600),
                number(owner, props, NOP_IN_TIMEOUT, 1, 3600),
                number(owner, props, MAX_SESSIONS, 0, 65535));
    }

    private static Integer oneConnection(String owner, Map<String, ?> props) {
        Integer value = number(owner, props, MAX_CONNECTIONS, 1, 65535);
        if (value != null && value != 1) {
            throw ConfigException.field(owner, MAX_CONNECTIONS, value,
                    "is not supported: jtgt runs one connection per session (1)");
        }
        return value;
    }

    private static Integer number(String owner, Map<String, ?> props, String key, long min, long max) {
        return props.get(key) == null ? null : (int) ConfigValues.longValue(owner, props, key, min, max, null);
    }

    private static Boolean bool(String owner, Map<String, ?> props, String key) {
        return props.get(key) == null ? null : ConfigValues.booleanValue(owner, props, key, false);
    }

    /** The set keys only, as {@code io.jtgt.target} properties (numbers as Integer, flags as Boolean). */
    public Map<String, Object> toProperties() {
        Map<String, Object> props = new LinkedHashMap<>();
        Object[] values = {maxRecvDataSegmentLength, maxBurstLength, firstBurstLength, maxOutstandingR2T, immediateData,
            initialR2T, maxConnections, defaultTime2Wait, defaultTime2Retain, nopInIntervalSeconds,
            nopInTimeoutSeconds, maxSessions};
        for (int i = 0; i < KEYS.size(); i++) {
            if (values[i] != null) {
                props.put(KEYS.get(i), values[i]);
            }
        }
        return props;
    }
}
