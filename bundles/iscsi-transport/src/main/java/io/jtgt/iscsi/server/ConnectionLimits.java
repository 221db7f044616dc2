package io.jtgt.iscsi.server;

/**
 * What one initiator (or many) may cost the daemon: time limits on peers that stop talking, and
 * caps on connections, sessions and buffered data (the {@code io.jtgt.iscsi} keys of the same
 * names). Together they bound the memory a connection can hold and the memory of all of them:
 * a connection holds at most one PDU being decoded (MaxRecvDataSegmentLength, 8 KiB during
 * login), the unsolicited data of its queued commands (queue depth × FirstBurstLength), and the
 * data of the commands it runs ({@link #maxDataBytesPerConnection}, of which all connections
 * together hold at most {@link #maxDataBytes}).
 *
 * @param loginTimeoutSeconds a connection that has not completed its login by then is closed
 * @param nopInTimeoutSeconds a NOP-In ping unanswered for this long, or output the initiator does
 *     not read for this long, closes the connection (I_T nexus loss; its tasks are freed)
 * @param dataOutTimeoutSeconds a write whose solicited Data-Out makes no progress for this long
 *     closes the connection (ERL 0: nothing is retried)
 * @param maxConnections TCP connections open at once, logged in or not; beyond it a new
 *     connection is closed at once
 * @param maxConnectionsPerAddress connections from one initiator IP address; beyond it the
 *     login is answered "out of resources" (0x0302)
 * @param maxSessionsPerTarget sessions one target admits at once (0 = no limit); beyond it the
 *     login is answered "out of resources" (0x0302). A target's own {@code maxSessions} overrides it
 * @param maxDataBytesPerConnection data (Data-Out gathered, Data-In not yet sent) the commands of
 *     one connection may hold; further commands wait in order until it drops
 * @param maxDataBytes the same for all connections together
 */
public record ConnectionLimits(
        int loginTimeoutSeconds,
        int nopInTimeoutSeconds,
        int dataOutTimeoutSeconds,
        int maxConnections,
        int maxConnectionsPerAddress,
        int maxSessionsPerTarget,
        long maxDataBytesPerConnection,
        long maxDataBytes) {

    /** Like open-iscsi's and LIO's login timeouts. */
    public static final int DEFAULT_LOGIN_TIMEOUT = 15;
    public static final int DEFAULT_NOP_IN_TIMEOUT = 30;
    public static final int DEFAULT_DATA_OUT_TIMEOUT = 30;
    public static final int DEFAULT_MAX_CONNECTIONS = 4096;
    public static final int DEFAULT_MAX_CONNECTIONS_PER_ADDRESS = 256;
    public static final long DEFAULT_MAX_DATA_BYTES_PER_CONNECTION = 64L << 20;
    public static final long DEFAULT_MAX_DATA_BYTES = 1L << 30;

    public ConnectionLimits {
        TransportSettings.requireRange("loginTimeoutSeconds", loginTimeoutSeconds, 1, 3600);
        TransportSettings.requireRange("nopInTimeoutSeconds", nopInTimeoutSeconds, 1, 3600);
        TransportSettings.requireRange("dataOutTimeoutSeconds", dataOutTimeoutSeconds, 1, 3600);
        TransportSettings.requireRange("maxConnections", maxConnections, 1, 1_000_000);
        TransportSettings.requireRange("maxConnectionsPerAddress", maxConnectionsPerAddress, 1, 1_000_000);
        TransportSettings.requireRange("maxSessionsPerTarget", maxSessionsPerTarget, 0, 65535);
        // At least one largest transfer (32 MiB, scsi-core's MAXIMUM TRANSFER LENGTH) must fit.
        requireRange("maxDataBytesPerConnection", maxDataBytesPerConnection, 1L << 20, 1L << 40);
        requireRange("maxDataBytes", maxDataBytes, 1L << 20, 1L << 44);
        if (maxDataBytesPerConnection > maxDataBytes) {
            throw new IllegalArgumentException("maxDataBytesPerConnection " + maxDataBytesPerConnection
                    + " must not exceed maxDataBytes " + maxDataBytes);
        }
    }

    public static ConnectionLimits defaults() {
        return new ConnectionLimits(DEFAULT_LOGIN_TIMEOUT, DEFAULT_NOP_IN_TIMEOUT, DEFAULT_DATA_OUT_TIMEOUT,
                DEFAULT_MAX_CONNECTIONS, DEFAULT_MAX_CONNECTIONS_PER_ADDRESS, 0, DEFAULT_MAX_DATA_BYTES_PER_CONNECTION,
                DEFAULT_MAX_DATA_BYTES);
    }

    public ConnectionLimits withNopInTimeout(int seconds) {
        return new ConnectionLimits(loginTimeoutSeconds, seconds, dataOutTimeoutSeconds, maxConnections,
                maxConnectionsPerAddress, maxSessionsPerTarget, maxDataBytesPerConnection, maxDataBytes);
    }

    public ConnectionLimits withMaxSessionsPerTarget(int sessions) {
        return new ConnectionLimits(loginTimeoutSeconds, nopInTimeoutSeconds, dataOutTimeoutSeconds, maxConnections,
                maxConnectionsPerAddress, sessions, maxDataBytesPerConnection, maxDataBytes);
    }

    private static void requireRange(String name, long value, long min, long max) {
        if (value < min || value > max) {
            throw new IllegalArgumentException(name + ": " + value + " is outside " + min + ".." + max);
        }
    }
}
