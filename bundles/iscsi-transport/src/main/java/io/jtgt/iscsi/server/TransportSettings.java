package io.jtgt.iscsi.server;

import io.jtgt.scsi.config.TargetLimits;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * The target's own iSCSI limits and preferences, offered in login negotiation (RFC 7143 13).
 * Configured by the optional {@code io.jtgt.iscsi} PID.
 *
 * @param maxRecvDataSegmentLength the largest data segment we accept (declared to the initiator)
 * @param maxBurstLength the largest solicited or Data-In sequence we negotiate
 * @param firstBurstLength the most unsolicited data we accept per command
 * @param immediateData whether we accept immediate data (boolean AND with the initiator)
 * @param initialR2T whether we insist on R2T before any Data-Out; false accepts the initiator's
 *     InitialR2T=No (the result is the boolean OR)
 * @param maxOutstandingR2T how many R2Ts we keep outstanding per command
 * @param queueDepth how many commands a session may have in flight (sizes the CmdSN window)
 * @param defaultTime2Wait seconds (RFC 7143 13.15)
 * @param defaultTime2Retain seconds (RFC 7143 13.16); 0 at ERL 0 means no task reassignment
 * @param ioThreads event loop threads for connections; 0 = Netty's default (2 × cores)
 * @param nopInIntervalSeconds after this many idle seconds the target pings the initiator with a
 *     NOP-In (RFC 7143 11.19); a connection that then stays silent as long again is closed. 0 = off
 * @param headerDigests the HeaderDigest values we accept, from {@code CRC32C} and {@code None}
 *     (RFC 7143 13.1): the initiator's first offered value that is in this list wins
 * @param dataDigests the DataDigest values we accept, likewise
 * @param limits timeouts and caps on connections, sessions and buffered data
 * @param transport the connection loops' socket transport: {@code auto} (io_uring where the kernel
 *     allows it, else epoll, else NIO), {@code io_uring}, {@code epoll} or {@code nio}; an
 *     unavailable choice falls back to the next one down with a log line
 */
public record TransportSettings(
        int maxRecvDataSegmentLength,
        int maxBurstLength,
        int firstBurstLength,
        boolean immediateData,
        boolean initialR2T,
        int maxOutstandingR2T,
        int queueDepth,
        int defaultTime2Wait,
        int defaultTime2Retain,
        int ioThreads,
        int nopInIntervalSeconds,
        List<String> headerDigests,
        List<String> dataDigests,
        ConnectionLimits limits,
        String transport) {

    /** Largest value a 24-bit length field can carry (RFC 7143 13.12, 13.13, 13.14). */
    public static final int MAX_LENGTH = 0xffffff;

    /** 16 MiB − 1 KiB: the largest 1 KiB multiple a 24-bit MaxBurstLength can carry. */
    public static final int MAX_BURST_DEFAULT = MAX_LENGTH + 1 - 1024;

    /** Like LIO's nopin_timeout: idle connections are probed every 30 s. */
    public static final int DEFAULT_NOP_IN_INTERVAL = 30;

    public static final String CRC32C = "CRC32C";
    public static final String NONE = "None";

    /** Both digests allowed: the initiator decides (RFC 7143 13.1 leaves the choice to it). */
    public static final List<String> ANY_DIGEST = List.of(CRC32C, NONE);

    public TransportSettings {
        requireRange("maxRecvDataSegmentLength", maxRecvDataSegmentLength, 512, MAX_LENGTH);
        requireRange("maxBurstLength", maxBurstLength, 512, MAX_LENGTH);
        requireRange("firstBurstLength", firstBurstLength, 512, MAX_LENGTH);
        if (firstBurstLength > maxBurstLength) {
            throw new IllegalArgumentException("firstBurstLength " + firstBurstLength
                    + " must not exceed maxBurstLength " + maxBurstLength);
        }
        requireRange("maxOutstandingR2T", maxOutstandingR2T, 1, 65535);
        requireRange("queueDepth", queueDepth, 1, 65536);
        requireRange("defaultTime2Wait", defaultTime2Wait, 0, 3600);
        requireRange("defaultTime2Retain", defaultTime2Retain, 0, 3600);
        requireRange("ioThreads", ioThreads, 0, 1024);
        requireRange("nopInIntervalSeconds", nopInIntervalSeconds, 0, 3600);
        headerDigests = digests("headerDigest", headerDigests);
        dataDigests = digests("dataDigest", dataDigests);
        limits = limits == null ? ConnectionLimits.defaults() : limits;
        transport = transport == null ? Transports.AUTO : transport.trim().toLowerCase(java.util.Locale.ROOT);
        Transports.parse(transport); // refuses anything but the four names, naming the field
    }

    /** Settings on the automatically chosen transport. */
    public TransportSettings(int maxRecvDataSegmentLength, int maxBurstLength, int firstBurstLength,
            boolean immediateData, boolean initialR2T, int maxOutstandingR2T, int queueDepth, int defaultTime2Wait,
            int defaultTime2Retain, int ioThreads, int nopInIntervalSeconds, List<String> headerDigests,
            List<String> dataDigests, ConnectionLimits limits) {
        this(maxRecvDataSegmentLength, maxBurstLength, firstBurstLength, immediateData, initialR2T, maxOutstandingR2T,
                queueDepth, defaultTime2Wait, defaultTime2Retain, ioThreads, nopInIntervalSeconds, headerDigests,
                dataDigests, limits, Transports.AUTO);
    }

    /** Settings with the default {@link ConnectionLimits}. */
    public TransportSettings(int maxRecvDataSegmentLength, int maxBurstLength, int firstBurstLength,
            boolean immediateData, boolean initialR2T, int maxOutstandingR2T, int queueDepth, int defaultTime2Wait,
            int defaultTime2Retain, int ioThreads, int nopInIntervalSeconds, List<String> headerDigests,
            List<String> dataDigests) {
        this(maxRecvDataSegmentLength, maxBurstLength, firstBurstLength, immediateData, initialR2T, maxOutstandingR2T,
                queueDepth, defaultTime2Wait, defaultTime2Retain, ioThreads, nopInIntervalSeconds, headerDigests,
                dataDigests, ConnectionLimits.defaults());
    }

    /** Settings accepting both digests. */
    public TransportSettings(int maxRecvDataSegmentLength, int maxBurstLength, int firstBurstLength,
            boolean immediateData, boolean initialR2T, int maxOutstandingR2T, int queueDepth, int defaultTime2Wait,
            int defaultTime2Retain, int ioThreads, int nopInIntervalSeconds) {
        this(maxRecvDataSegmentLength, maxBurstLength, firstBurstLength, immediateData, initialR2T, maxOutstandingR2T,
                queueDepth, defaultTime2Wait, defaultTime2Retain, ioThreads, nopInIntervalSeconds, ANY_DIGEST,
                ANY_DIGEST);
    }

    /** Settings with the default NOP-In interval. */
    public TransportSettings(int maxRecvDataSegmentLength, int maxBurstLength, int firstBurstLength,
            boolean immediateData, boolean initialR2T, int maxOutstandingR2T, int queueDepth, int defaultTime2Wait,
            int defaultTime2Retain, int ioThreads) {
        this(maxRecvDataSegmentLength, maxBurstLength, firstBurstLength, immediateData, initialR2T, maxOutstandingR2T,
                queueDepth, defaultTime2Wait, defaultTime2Retain, ioThreads, DEFAULT_NOP_IN_INTERVAL);
    }

    /** A copy with other digest choices. */
    public TransportSettings withDigests(List<String> header, List<String> data) {
        return new TransportSettings(maxRecvDataSegmentLength, maxBurstLength, firstBurstLength, immediateData,
                initialR2T, maxOutstandingR2T, queueDepth, defaultTime2Wait, defaultTime2Retain, ioThreads,
                nopInIntervalSeconds, header, data, limits, transport);
    }

    /** A copy with another NOP-In interval. */
    public TransportSettings withNopInInterval(int seconds) {
        return new TransportSettings(maxRecvDataSegmentLength, maxBurstLength, firstBurstLength, immediateData,
                initialR2T, maxOutstandingR2T, queueDepth, defaultTime2Wait, defaultTime2Retain, ioThreads,
                seconds, headerDigests, dataDigests, limits, transport);
    }

    /** A copy with other connection limits. */
    public TransportSettings withLimits(ConnectionLimits value) {
        return new TransportSettings(maxRecvDataSegmentLength, maxBurstLength, firstBurstLength, immediateData,
                initialR2T, maxOutstandingR2T, queueDepth, defaultTime2Wait, defaultTime2Retain, ioThreads,
                nopInIntervalSeconds, headerDigests, dataDigests, value, transport);
    }

    /**
     * The settings a login to a target with these limits runs under: each limit the target sets
     * replaces ours; FirstBurstLength is then held to MaxBurstLength (RFC 7143 13.14).
     */
    public TransportSettings forTarget(TargetLimits target) {
        if (target == null || target.isEmpty()) {
            return this;
        }
        int maxBurst = or(target.maxBurstLength(), maxBurstLength);
        int firstBurst = Math.min(or(target.firstBurstLength(), firstBurstLength), maxBurst);
        ConnectionLimits l = limits;
        if (target.nopInTimeoutSeconds() != null) {
            l = l.withNopInTimeout(target.nopInTimeoutSeconds());
        }
        if (target.maxSessions() != null) {
            l = l.withMaxSessionsPerTarget(target.maxSessions());
        }
        return new TransportSettings(or(target.maxRecvDataSegmentLength(), maxRecvDataSegmentLength), maxBurst,
                firstBurst, target.immediateData() == null ? immediateData : target.immediateData(),
                target.initialR2T() == null ? initialR2T : target.initialR2T(),
                or(target.maxOutstandingR2T(), maxOutstandingR2T), queueDepth,
                or(target.defaultTime2Wait(), defaultTime2Wait), or(target.defaultTime2Retain(), defaultTime2Retain),
                ioThreads, or(target.nopInIntervalSeconds(), nopInIntervalSeconds), headerDigests, dataDigests, l,
                transport);
    }

    private static int or(Integer value, int fallback) {
        return value == null ? fallback : value;
    }

    public static TransportSettings defaults() {
        return new TransportSettings(256 * 1024, MAX_BURST_DEFAULT, 256 * 1024, true, false, 4, 128, 2, 0, 0);
    }

    /** Reads the {@code io.jtgt.iscsi} properties; missing ones keep their defaults. */
    public static TransportSettings fromProperties(Map<String, ?> properties) {
        TransportSettings d = defaults();
        return new TransportSettings(
                intValue(properties, "maxRecvDataSegmentLength", d.maxRecvDataSegmentLength),
                intValue(properties, "maxBurstLength", d.maxBurstLength),
                intValue(properties, "firstBurstLength", d.firstBurstLength),
                boolValue(properties, "immediateData", d.immediateData),
                boolValue(properties, "initialR2T", d.initialR2T),
                intValue(properties, "maxOutstandingR2T", d.maxOutstandingR2T),
                intValue(properties, "queueDepth", d.queueDepth),
                intValue(properties, "defaultTime2Wait", d.defaultTime2Wait),
                intValue(properties, "defaultTime2Retain", d.defaultTime2Retain),
                intValue(properties, "ioThreads", d.ioThreads),
                intValue(properties, "nopInIntervalSeconds", d.nopInIntervalSeconds),
                listValue(properties, "headerDigest", d.headerDigests),
                listValue(properties, "dataDigest", d.dataDigests),
                limitsFromProperties(properties, d.limits),
                stringValue(properties, "transport", d.transport));
    }

    private static ConnectionLimits limitsFromProperties(Map<String, ?> properties, ConnectionLimits d) {
        return new ConnectionLimits(
                intValue(properties, "loginTimeoutSeconds", d.loginTimeoutSeconds()),
                intValue(properties, "nopInTimeoutSeconds", d.nopInTimeoutSeconds()),
                intValue(properties, "dataOutTimeoutSeconds", d.dataOutTimeoutSeconds()),
                intValue(properties, "maxConnections", d.maxConnections()),
                intValue(properties, "maxConnectionsPerAddress", d.maxConnectionsPerAddress()),
                intValue(properties, "maxSessionsPerTarget", d.maxSessionsPerTarget()),
                longValue(properties, "maxDataBytesPerConnection", d.maxDataBytesPerConnection()),
                longValue(properties, "maxDataBytes", d.maxDataBytes()));
    }

    private static String stringValue(Map<String, ?> properties, String key, String fallback) {
        Object value = properties.get(key);
        return value == null || value.toString().isBlank() ? fallback : value.toString().trim();
    }

    private static long longValue(Map<String, ?> properties, String key, long fallback) {
        Object value = properties.get(key);
        if (value == null) {
            return fallback;
        }
        if (value instanceof Number n) {
            return n.longValue();
        }
        try {
            return Long.parseLong(value.toString().trim());
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException(key + ": not an integer: '" + value + "'");
        }
    }

    private static int intValue(Map<String, ?> properties, String key, int fallback) {
        long value = longValue(properties, key, fallback);
        if (value != (int) value) {
            throw new IllegalArgumentException(key + ": " + value + " is too large");
        }
        return (int) value;
    }

    private static boolean boolValue(Map<String, ?> properties, String key, boolean fallback) {
        Object value = properties.get(key);
        if (value == null) {
            return fallback;
        }
        if (value instanceof Boolean b) {
            return b;
        }
        String s = value.toString().trim();
        if (s.equalsIgnoreCase("true") || s.equalsIgnoreCase("yes")) {
            return true;
        }
        if (s.equalsIgnoreCase("false") || s.equalsIgnoreCase("no")) {
            return false;
        }
        throw new IllegalArgumentException(key + ": not a boolean: '" + value + "'");
    }

    /** A comma-separated string or a String[] / Collection (Config Admin gives either). */
    private static List<String> listValue(Map<String, ?> properties, String key, List<String> fallback) {
        Object value = properties.get(key);
        if (value == null) {
            return fallback;
        }
        List<String> items = new ArrayList<>();
        Iterable<?> parts = value instanceof Object[] array ? List.of(array)
                : value instanceof Iterable<?> iterable ? iterable : List.of(value.toString().split(","));
        for (Object part : parts) {
            String item = String.valueOf(part).trim();
            if (!item.isEmpty()) {
                items.add(item);
            }
        }
        return items;
    }

    /** Canonical spelling ({@code crc32c} → {@code CRC32C}), no duplicates, at least one value. */
    private static List<String> digests(String name, List<String> values) {
        if (values == null || values.isEmpty()) {
            throw new IllegalArgumentException(name + ": at least one of CRC32C, None is needed");
        }
        List<String> result = new ArrayList<>();
        for (String value : values) {
            String canonical = value == null ? "" : value.trim();
            if (canonical.equalsIgnoreCase(CRC32C)) {
                canonical = CRC32C;
            } else if (canonical.equalsIgnoreCase(NONE)) {
                canonical = NONE;
            } else {
                throw new IllegalArgumentException(name + ": unknown digest '" + value + "' (CRC32C or None)");
            }
            if (!result.contains(canonical)) {
                result.add(canonical);
            }
        }
        return List.copyOf(result);
    }

    static void requireRange(String name, int value, int min, int max) {
        if (value < min || value > max) {
            throw new IllegalArgumentException(name + ": " + value + " is outside " + min + ".." + max);
        }
    }
}
