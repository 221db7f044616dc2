package io.jtgt.scsi.core;

import com.fasterxml.jackson.core.type.TypeReference;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Persistent reservation state kept through power loss (SPC-4 5.9.5, APTPL): one small JSON file
 * per logical unit, {@code lu-<deviceID>.json} in a state directory, written durably
 * ({@link DurableFile}) before the PERSISTENT RESERVE OUT that changed it completes, removed when the
 * last REGISTER had APTPL=0. File work runs on one thread of its own, never on a transport thread.
 */
public final class PersistentReservationFiles implements AutoCloseable {

    private static final Logger LOG = LoggerFactory.getLogger(PersistentReservationFiles.class);
    private static final ObjectMapper JSON = new ObjectMapper();

    private final Path dir;
    private final ExecutorService io = Executors.newSingleThreadExecutor(r -> {
        Thread t = new Thread(r, "jtgt-pr-state");
        t.setDaemon(true);
        return t;
    });

    public PersistentReservationFiles(Path dir) {
        this.dir = dir;
    }

    public Path directory() {
        return dir;
    }

    private Path file(long deviceId) {
        return dir.resolve("lu-" + deviceId + ".json");
    }

    /** The saved state of a logical unit, or null when there is none (or it cannot be read: logged). */
    Reservations.Snapshot load(long deviceId) {
        Path f = file(deviceId);
        if (!Files.isRegularFile(f)) {
            return null;
        }
        try {
            Map<String, Object> m = JSON.readValue(f.toFile(), new TypeReference<Map<String, Object>>() { });
            Map<String, Long> regs = new LinkedHashMap<>();
            @SuppressWarnings("unchecked")
            Map<String, Object> raw = (Map<String, Object>) m.getOrDefault("registrations", Map.of());
            raw.forEach((nexus, key) -> regs.put(nexus, Long.parseUnsignedLong(String.valueOf(key), 16)));
            Object holder = m.get("holder");
            return new Reservations.Snapshot(((Number) m.getOrDefault("generation", 0)).intValue(), regs,
                    holder == null ? null : holder.toString(), ((Number) m.getOrDefault("type", 0)).intValue());
        } catch (IOException | RuntimeException e) {
            LOG.error("storage {}: persistent reservations in {} cannot be read, starting without: {}", deviceId, f,
                    e.toString());
            return null;
        }
    }

    /** Writes {@code state}, or deletes the file when it is null; completes once it is durable. */
    CompletableFuture<Void> save(long deviceId, Reservations.Snapshot state) {
        return CompletableFuture.runAsync(() -> {
            Path f = file(deviceId);
            try {
                if (state == null) {
                    DurableFile.delete(f);
                    return;
                }
                Map<String, Object> m = new LinkedHashMap<>();
                m.put("generation", state.generation());
                Map<String, String> regs = new LinkedHashMap<>();
                state.registrations().forEach((nexus, key) -> regs.put(nexus, Long.toHexString(key)));
                m.put("registrations", regs);
                m.put("holder", state.holder());
                m.put("type", state.type());
                DurableFile.write(f, JSON.writeValueAsBytes(m));
            } catch (IOException e) {
                throw new UncheckedIOException("persistent reservations of storage " + deviceId + " not saved", e);
            }
        }, io);
    }

    @Override
    public void close() {
        io.shutdown();
    }
}
