package io.jtgt.numa;

import java.util.Map;

/**
 * The gotgt {@code performance} keys for NUMA (Config Admin PID {@code io.jtgt.performance}).
 *
 * @param enabled {@code enableNUMA}: place buffers and threads by node (only matters with more than one node)
 * @param bufferPoolSize {@code numaBufferPoolSize}: buffers of one size class each node-pinned
 *     thread keeps cached for reuse (Netty's per-thread normal cache size)
 * @param bufferSize {@code numaBufferSize}: the I/O size the node pools are laid out for; a pool
 *     chunk holds 16 of them (262144, the seed's value, gives Netty's usual 4 MiB chunk)
 */
public record NumaSettings(boolean enabled, int bufferPoolSize, int bufferSize) {

    public static final String ENABLE = "enableNUMA";
    public static final String BUFFER_POOL_SIZE = "numaBufferPoolSize";
    public static final String BUFFER_SIZE = "numaBufferSize";

    public static final int DEFAULT_BUFFER_POOL_SIZE = 1024;
    public static final int DEFAULT_BUFFER_SIZE = 262144;
    static final int MIN_BUFFER_SIZE = 4096;
    static final int MAX_BUFFER_SIZE = 64 << 20;
    static final int MAX_BUFFER_POOL_SIZE = 1 << 16;

    public NumaSettings {
        if (bufferPoolSize < 1 || bufferPoolSize > MAX_BUFFER_POOL_SIZE) {
            throw new IllegalArgumentException("performance." + BUFFER_POOL_SIZE + "=" + bufferPoolSize
                    + " is outside 1.." + MAX_BUFFER_POOL_SIZE);
        }
        if (bufferSize < MIN_BUFFER_SIZE || bufferSize > MAX_BUFFER_SIZE) {
            throw new IllegalArgumentException("performance." + BUFFER_SIZE + "=" + bufferSize
                    + " is outside " + MIN_BUFFER_SIZE + ".." + MAX_BUFFER_SIZE);
        }
    }

    /** NUMA off, seed defaults for the pool. */
    public static NumaSettings defaults() {
        return new NumaSettings(false, DEFAULT_BUFFER_POOL_SIZE, DEFAULT_BUFFER_SIZE);
    }

    /** Reads the performance properties (JSON values or Config Admin strings); other keys are ignored. */
    public static NumaSettings fromProperties(Map<String, ?> properties) {
        return new NumaSettings(
                bool(properties, ENABLE, false),
                integer(properties, BUFFER_POOL_SIZE, DEFAULT_BUFFER_POOL_SIZE),
                integer(properties, BUFFER_SIZE, DEFAULT_BUFFER_SIZE));
    }

    /** The pool chunk size as Netty's maxOrder over 8 KiB pages: 16 buffers per chunk, 0..14. */
    int maxOrder() {
        long chunk = 16L * bufferSize;
        int order = 0;
        while ((8192L << order) < chunk && order < 14) {
            order++;
        }
        return order;
    }

    static boolean bool(Map<String, ?> properties, String key, boolean fallback) {
        Object v = properties.get(key);
        if (v == null) {
            return fallback;
        }
        if (v instanceof Boolean b) {
            return b;
        }
        String s = v.toString().trim();
        if (s.equalsIgnoreCase("true")) {
            return true;
        }
        if (s.equalsIgnoreCase("false")) {
            return false;
        }
        throw new IllegalArgumentException(key + "=" + v + " is not true or false");
    }

    static int integer(Map<String, ?> properties, String key, int fallback) {
        Object v = properties.get(key);
        if (v == null) {
            return fallback;
        }
        if (v instanceof Integer || v instanceof Long || v instanceof Short) {
            long l = ((Number) v).longValue();
            if (l < Integer.MIN_VALUE || l > Integer.MAX_VALUE) {
                throw new IllegalArgumentException(key + "=" + v + " is out of range");
            }
            return (int) l;
        }
        try {
            return Integer.parseInt(v.toString().trim());
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException(key + "=" + v + " is not a whole number");
        }
    }
}
