package io.jtgt.backend.rbd;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.jtgt.scsi.api.ManagementService.LunView;
import io.jtgt.scsi.config.StorageDefinition;
import io.jtgt.scsi.config.TargetDefinition;
import io.jtgt.scsi.core.ScsiTargetService;
import io.jtgt.scsi.spi.BackingStoreException;
import io.jtgt.scsi.spi.BackingStoreException.Kind;
import io.jtgt.scsi.spi.StorageConfig;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/**
 * A machine without librbd/librados: the provider (and so the bundle) stays, every ceph-rbd LUN
 * is offline with the cause shown, and the backend says so in one log line however many LUNs try
 * (scsi-core adds its one line per storage that failed to open).
 */
class MissingLibrbdTest {

    private static final String LOG_LINE = "Ceph client libraries librbd/librados are not usable";

    private static RbdBackingStoreProvider withoutLibrbd() {
        return new RbdBackingStoreProvider(() -> {
            throw new UnsatisfiedLinkError("Unable to load library 'rbd'");
        });
    }

    @Test
    void openFailsUnavailableNamingThePackages() throws Exception {
        try (RbdBackingStoreProvider provider = withoutLibrbd()) {
            assertEquals("ceph-rbd", provider.backendType());
            StorageConfig config = new StorageConfig(1, "ceph-rbd", "rbd/img", 1 << 20, 512, true, false, Map.of());
            for (int attempt = 0; attempt < 2; attempt++) { // failed every time
                ExecutionException e = assertThrows(ExecutionException.class,
                        () -> provider.open(config).get(10, TimeUnit.SECONDS));
                BackingStoreException failure = assertInstanceOf(BackingStoreException.class, e.getCause());
                assertEquals(Kind.UNAVAILABLE, failure.kind());
                assertTrue(failure.getMessage().contains("librbd1 librados2"), failure.getMessage());
            }
        }
    }

    @Test
    void everyRbdLunIsOfflineAndTheLogSaysSoOnce() throws Exception {
        ByteArrayOutputStream captured = new ByteArrayOutputStream();
        PrintStream stderr = System.err; // slf4j-simple writes to whatever System.err is at the time
        System.setErr(new PrintStream(captured, true, StandardCharsets.UTF_8));
        ScsiTargetService service = new ScsiTargetService();
        try (RbdBackingStoreProvider provider = withoutLibrbd()) {
            service.addProvider(provider);
            for (long id = 1; id <= 3; id++) {
                service.putStorage(StorageDefinition.fromProperties(Map.of(StorageDefinition.DEVICE_ID, id,
                        StorageDefinition.PATH, "rbd:rbd/img" + id, StorageDefinition.DEVICE_SIZE, 1L << 20)));
            }
            service.putTarget(new TargetDefinition("iqn.2026-11.io.jtgt:nolib", Map.of(1, List.of(0)),
                    Map.of(0, 1L, 1, 2L, 2, 3L)));
            long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
            while (!service.luns().stream().allMatch(v -> v.state().equals("FAILED")) && System.nanoTime() < deadline) {
                Thread.sleep(10);
            }
            for (LunView lun : service.luns()) {
                assertEquals("FAILED", lun.state(), lun.toString()); // NOT READY to initiators
                assertTrue(lun.detail().contains("librbd1 librados2"), lun.detail());
            }
        } finally {
            service.close();
            System.setErr(stderr);
        }
        String log = captured.toString(StandardCharsets.UTF_8);
        // The backend's own line, once for three LUNs; scsi-core adds its usual line per storage
        // that failed to open (naming the storage); no stack traces.
        List<String> backend = log.lines().filter(l -> l.contains(RbdBackingStoreProvider.class.getName())).toList();
        assertEquals(1, backend.size(), "one backend log line for three LUNs:\n" + log);
        assertTrue(backend.get(0).contains(LOG_LINE) && backend.get(0).contains("librbd1 librados2"), backend.get(0));
        assertEquals(3, log.lines().filter(l -> l.contains("failed to open")).count(), log);
        assertEquals(4, log.lines().filter(l -> l.contains(LOG_LINE)).count(), "nothing else about it:\n" + log);
        assertTrue(log.lines().noneMatch(l -> l.startsWith("\tat ")), "no stack traces:\n" + log);
    }
}
