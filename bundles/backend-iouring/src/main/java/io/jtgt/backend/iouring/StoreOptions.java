package io.jtgt.backend.iouring;

import io.jtgt.scsi.spi.StorageConfig;
import java.nio.file.Path;

/**
 * The storage options this backend reads: {@code ioUringQueueDepth} (ops of one store in the
 * ring at once) and {@code direct} (O_DIRECT, bypassing the page cache).
 */
record StoreOptions(Path path, int queueDepth, boolean direct) {

    static final String QUEUE_DEPTH = "ioUringQueueDepth";
    static final String DIRECT = "direct";
    /** A 16-bit slot id names an op; beyond a few thousand the ring only adds latency. */
    static final int MAX_QUEUE_DEPTH = 4096;

    static StoreOptions of(StorageConfig config, int defaultQueueDepth) {
        String where = "storage " + config.deviceId();
        String location = config.location();
        if (location == null || location.isBlank()) {
            throw new IllegalArgumentException(where + ": path is empty; expected file:/abs/path.img");
        }
        int depth = defaultQueueDepth;
        String raw = config.option(QUEUE_DEPTH).orElse(null);
        if (raw != null) {
            try {
                depth = Integer.parseInt(raw.trim());
            } catch (NumberFormatException e) {
                throw new IllegalArgumentException(where + ": " + QUEUE_DEPTH + " \"" + raw + "\" is not a number");
            }
            if (depth < 1) {
                throw new IllegalArgumentException(where + ": " + QUEUE_DEPTH + " " + depth + " must be at least 1");
            }
        }
        String direct = config.option(DIRECT).orElse("false").trim();
        if (!direct.equalsIgnoreCase("true") && !direct.equalsIgnoreCase("false")) {
            throw new IllegalArgumentException(where + ": " + DIRECT + " \"" + direct + "\" must be true or false");
        }
        return new StoreOptions(Path.of(location), Math.min(depth, MAX_QUEUE_DEPTH), Boolean.parseBoolean(direct));
    }
}
