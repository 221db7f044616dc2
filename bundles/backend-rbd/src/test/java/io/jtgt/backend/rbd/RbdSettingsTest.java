package io.jtgt.backend.rbd;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.jtgt.scsi.spi.StorageConfig;
import java.util.Map;
import org.junit.jupiter.api.Test;

class RbdSettingsTest {

    private static StorageConfig config(String location, Map<String, String> options) {
        return new StorageConfig(1, "ceph-rbd", location, 1 << 20, 512, true, false, options);
    }

    @Test
    void parsesPoolImageAndOptions() {
        RbdSettings s = RbdSettings.from(config("rbd/disk0", Map.of("namespace", "ns1", "clientId", "jtgt",
                "keyring", "/etc/ceph/k", "rados_osd_op_timeout", "5", "ceph.rbd_cache", "false",
                "service.pid", "ignored")));
        assertEquals("rbd", s.pool());
        assertEquals("disk0", s.image());
        assertEquals("ns1", s.namespace());
        assertEquals("jtgt", s.clientId());
        assertEquals("5", s.cephOptions().get("rados_osd_op_timeout"));
        assertEquals("30", s.cephOptions().get("rados_mon_op_timeout"));
        assertEquals("false", s.cephOptions().get("rbd_cache"));
        assertEquals("false", s.cephOptions().get("rbd_skip_partial_discard"));
        assertFalse(s.cephOptions().containsKey("service.pid"));
        assertTrue(s.createImage());
        assertEquals("rbd/ns1/disk0", s.displayName());
        assertNull(s.clientName());
    }

    @Test
    void librbdsWriteBackCacheIsOffUnlessAskedFor() {
        assertEquals("false", RbdSettings.from(config("rbd/x", Map.of())).cephOptions().get("rbd_cache"));
        assertEquals("true", RbdSettings.from(config("rbd/x", Map.of("rbd_cache", "true"))).cephOptions().get("rbd_cache"));
    }

    @Test
    void theKeyIsMasked() {
        RbdSettings s = RbdSettings.from(config("rbd/x", Map.of("key", "AQBsecretsecret==")));
        assertEquals("AQBsecretsecret==", s.key());
        assertFalse(s.toString().contains("AQBsecret"), s.toString());
        assertTrue(s.toString().contains("key=****"));
    }

    @Test
    void rejectsBadConfigurationNamingTheField() {
        assertTrue(assertThrows(IllegalArgumentException.class, () -> RbdSettings.from(config("noslash", Map.of())))
                .getMessage().contains("pool/image"));
        assertThrows(IllegalArgumentException.class, () -> RbdSettings.from(config("a/b/c", Map.of())));
        assertTrue(assertThrows(IllegalArgumentException.class,
                () -> RbdSettings.from(config("a/b", Map.of("createImage", "maybe")))).getMessage().contains("createImage"));
        assertThrows(IllegalArgumentException.class,
                () -> RbdSettings.from(config("a/b", Map.of("clientId", "x", "clientName", "client.y"))));
        assertThrows(IllegalArgumentException.class,
                () -> RbdSettings.from(config("a/b", Map.of("clientName", "admin"))));
    }
}
