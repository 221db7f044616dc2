package io.jtgt.scsi.core;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.Executors;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Saved mode parameters (SPC-4 6.9: MODE SELECT with SP=1 saves "to a nonvolatile, vendor specific
 * location"): one small JSON file per logical unit, {@code lu-<deviceID>.json} in a state
 * directory, e.g. {@code {"writeCacheEnabled":false,"softwareWriteProtect":false}}, written
 * durably ({@link DurableFile}) before the MODE SELECT completes. A file that cannot be read is
 * reported once and ignored: the unit starts with the defaults rather than not at all. File work
 * runs on one thread of its own, never on a transport thread.
 */
public final class ModeParameterFiles implements AutoCloseable {

    private static final Logger LOG = LoggerFactory.getLogger(ModeParameterFiles.class);
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final String WCE = "writeCacheEnabled";
    private static final String SWP = "softwareWriteProtect";

    private final Path dir;
    /** Storages whose unreadable file was already reported, so a reconfiguration does not repeat it. */
    private final Set<Long> reportedUnreadable = ConcurrentHashMap.newKeySet();
    private final ExecutorService io = Executors.newSingleThreadExecutor(r -> {
        Thread t = new Thread(r, "jtgt-mode-state");
        t.setDaemon(true);
        return t;
    });

    public ModeParameterFiles(Path dir) {
        this.dir = dir;
    }

    public Path directory() {
        return dir;
    }

    Path file(long deviceId) {
        return dir.resolve("lu-" + deviceId + ".json");
    }

    /**
     * The saved values of a logical unit, or null when none were saved or the file cannot be read.
     * Read on the file thread, after any save still queued for the same storage (a storage
     * redefined while a MODE SELECT SP=1 is saving gets the values being saved).
     */
    ModeParameters.Values load(long deviceId) {
        try {
            return CompletableFuture.supplyAsync(() -> read(deviceId), io).join();
        } catch (RejectedExecutionException e) {
            return read(deviceId); // closed: nothing can be queued any more
        }
    }

    private ModeParameters.Values read(long deviceId) {
        Path f = file(deviceId);
        if (!Files.exists(f)) {
            return null;
        }
        try {
            JsonNode n = JSON.readTree(f.toFile());
            if (n == null || !n.isObject() || !n.path(WCE).isBoolean() || !n.path(SWP).isBoolean()) {
                throw new IOException("expected {\"" + WCE + "\":<boolean>,\"" + SWP + "\":<boolean>}");
            }
            return new ModeParameters.Values(n.get(WCE).booleanValue(), n.get(SWP).booleanValue());
        } catch (IOException | RuntimeException e) {
            if (reportedUnreadable.add(deviceId)) {
                LOG.error("storage {}: saved mode parameters in {} cannot be read, using the defaults: {}", deviceId,
                        f, e.toString());
            }
            return null;
        }
    }

    /** Writes {@code values} as the saved mode parameters of the unit; completes once they are durable. */
    CompletableFuture<Void> save(long deviceId, ModeParameters.Values values) {
        return CompletableFuture.runAsync(() -> {
            ObjectNode n = JSON.createObjectNode();
            n.put(WCE, values.writeCacheEnabled());
            n.put(SWP, values.softwareWriteProtect());
            try {
                DurableFile.write(file(deviceId), JSON.writeValueAsBytes(n));
            } catch (IOException e) {
                throw new UncheckedIOException("mode parameters of storage " + deviceId + " not saved", e);
            }
            reportedUnreadable.remove(deviceId);
        }, io);
    }

    @Override
    public void close() {
        io.shutdown();
    }
}
