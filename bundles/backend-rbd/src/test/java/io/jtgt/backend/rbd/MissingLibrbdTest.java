package io.jtgt.backend.rbd;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.jtgt.scsi.spi.BackingStoreException;
import io.jtgt.scsi.spi.BackingStoreException.Kind;
import io.jtgt.scsi.spi.StorageConfig;
import java.util.Map;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/** A machine without librbd: the provider exists, opens fail as UNAVAILABLE (LUN offline), no crash. */
class MissingLibrbdTest {

    @Test
    void openFailsUnavailableNamingThePackages() throws Exception {
        try (RbdBackingStoreProvider provider = new RbdBackingStoreProvider(() -> {
            throw new UnsatisfiedLinkError("Unable to load library 'rbd'");
        })) {
            assertEquals("ceph-rbd", provider.backendType());
            StorageConfig config = new StorageConfig(1, "ceph-rbd", "rbd/img", 1 << 20, 512, true, false, Map.of());
            for (int attempt = 0; attempt < 2; attempt++) { // logged once, failed every time
                ExecutionException e = assertThrows(ExecutionException.class,
                        () -> provider.open(config).get(10, TimeUnit.SECONDS));
                BackingStoreException failure = assertInstanceOf(BackingStoreException.class, e.getCause());
                assertEquals(Kind.UNAVAILABLE, failure.kind());
                assertTrue(failure.getMessage().contains("librbd1 librados2"), failure.getMessage());
            }
        }
    }
}
