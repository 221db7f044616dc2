package io.jtgt.scsi.config;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class DefinitionsTest {

    private static Map<String, Object> storage(Object... kv) {
        Map<String, Object> m = new HashMap<>();
        m.put("deviceID", 1000L);
        m.put("path", "/var/tmp/disk.img");
        for (int i = 0; i < kv.length; i += 2) {
            m.put((String) kv[i], kv[i + 1]);
        }
        return m;
    }

    @Test
    void storageDefaultsAndPathForms() {
        StorageDefinition s = StorageDefinition.fromProperties(storage());
        assertEquals("file", s.backendType());
        assertEquals("/var/tmp/disk.img", s.location());
        assertTrue(s.online());
        assertEquals(9, s.blockShift());
        assertFalse(s.thinProvisioning());
        StorageDefinition f = StorageDefinition.fromProperties(storage("path", "file:/x/y.img"));
        assertEquals("file", f.backendType());
        assertEquals("/x/y.img", f.location());
        StorageDefinition s3 = StorageDefinition.fromProperties(storage("path", "s3:bucket/iscsi/disk0"));
        assertEquals("s3", s3.backendType());
        assertEquals("bucket/iscsi/disk0", s3.location());
        StorageDefinition rbd = StorageDefinition.fromProperties(storage("path", "rbd:pool/image"));
        assertEquals("ceph-rbd", rbd.backendType());
        assertEquals("pool/image", rbd.location());
        assertEquals("ceph-rbd", StorageDefinition.fromProperties(storage("path", "ceph-rbd:p/i")).backendType());
        StorageDefinition uring = StorageDefinition.fromProperties(storage("backendType", "iouring"));
        assertEquals("iouring", uring.backendType());
        assertEquals(512, uring.toStorageConfig().blockSize());
    }

    @Test
    void configAdminValueTypesAreAllAccepted() {
        StorageDefinition a = StorageDefinition.fromProperties(storage("deviceID", "1000", "online", "false",
                "blockShift", 12, "deviceSize", "1073741824", "thinProvisioning", Boolean.TRUE));
        StorageDefinition b = StorageDefinition.fromProperties(storage("deviceID", 1000, "online", false,
                "blockShift", "12", "deviceSize", 1073741824L, "thinProvisioning", new String[] {"true"}));
        assertEquals(a, b);
        assertFalse(a.online());
        assertEquals(4096, a.blockSize());
    }

    @Test
    void unknownStoragePropertiesBecomeOptionsAndFrameworkOnesDoNot() {
        StorageDefinition s = StorageDefinition.fromProperties(storage("s3ChunkSize", 4194304, "s3ForcePathStyle", true,
                "service.pid", "io.jtgt.storage~x", "component.name", "c", "felix.fileinstall.filename", "f"));
        assertEquals(Map.of("s3ChunkSize", "4194304", "s3ForcePathStyle", "true"), s.options());
        assertEquals("4194304", s.toStorageConfig().option("s3ChunkSize").orElseThrow());
        assertEquals(s, StorageDefinition.fromProperties(s.toProperties()), "toProperties round-trips");
    }

    /** Issue 6: a backend's secret never shows, whatever prints a definition or its backend config. */
    @Test
    void secretOptionsAreMaskedInEveryShownFormButKeptForTheBackend() {
        StorageDefinition s = StorageDefinition.fromProperties(storage("path", "s3:bucket/disk", "s3AccessKeyId", "AKIA7",
                "s3SecretAccessKey", "very-secret-1", "s3SessionToken", "session-token-2", "s3CredentialsFile",
                "/etc/jtgt/aws.credentials", "s3Profile", "jtgt", "key", "ceph-key-3", "keyring", "/etc/ceph/keyring"));
        for (String shown : List.of(s.toString(), s.toStorageConfig().toString(), s.maskedOptions().toString(),
                s.toMaskedProperties().toString())) {
            assertFalse(shown.contains("very-secret-1") || shown.contains("session-token-2") || shown.contains("ceph-key-3"),
                    shown);
            assertTrue(shown.contains("s3SecretAccessKey=****") && shown.contains("s3SessionToken=****")
                    && shown.contains("key=****"), shown);
            // where credentials live and who they are is no secret: an administrator needs to see it
            assertTrue(shown.contains("AKIA7") && shown.contains("/etc/jtgt/aws.credentials") && shown.contains("jtgt")
                    && shown.contains("/etc/ceph/keyring"), shown);
        }
        assertEquals("very-secret-1", s.toStorageConfig().option("s3SecretAccessKey").orElseThrow(), "the backend gets it");
        assertEquals("very-secret-1", s.toProperties().get("s3SecretAccessKey"), "Config Admin keeps it");
        assertEquals(s, s.withOptions(s.options()));
        for (String secret : List.of("s3SecretAccessKey", "s3SessionToken", "key", "dbPassword", "mutualSecret")) {
            assertTrue(io.jtgt.scsi.spi.StorageConfig.isSecretOption(secret), secret);
        }
        for (String plain : List.of("s3AccessKeyId", "s3CredentialsFile", "s3Profile", "keyring", "s3Endpoint")) {
            assertFalse(io.jtgt.scsi.spi.StorageConfig.isSecretOption(plain), plain);
        }
    }

    @Test
    void lunOptionsReadOnlyRemovablePhysicalBlockShift() throws Exception {
        StorageDefinition plain = StorageDefinition.fromProperties(storage());
        assertFalse(plain.readOnly());
        assertFalse(plain.removable());
        assertEquals(0, plain.physicalBlockShift(), "not configured: the backend's alignment decides");
        StorageDefinition s = StorageDefinition.fromProperties(storage("readOnly", "true", "removable", true,
                "physicalBlockShift", "12"));
        assertTrue(s.readOnly());
        assertTrue(s.removable());
        assertEquals(12, s.physicalBlockShift());
        assertTrue(s.toStorageConfig().readOnly(), "the backend opens the store read-only");
        assertTrue(s.options().isEmpty(), "known properties are not backend options");
        assertEquals(s, StorageDefinition.fromProperties(s.toProperties()), "toProperties round-trips");
        JtgtConfiguration c = new JtgtConfiguration(List.of(s), List.of(), List.of(), Map.of());
        assertEquals(c.storages(), GotgtJson.parse(GotgtJson.write(c)).storages(), "gotgt JSON round-trips");
        assertTrue(assertThrows(ConfigException.class,
                () -> StorageDefinition.fromProperties(storage("blockShift", 12, "physicalBlockShift", 9))).getMessage()
                .contains("physicalBlockShift=9"));
        assertTrue(assertThrows(ConfigException.class,
                () -> StorageDefinition.fromProperties(storage("physicalBlockShift", 17))).getMessage()
                .contains("physicalBlockShift=17"));
    }

    @Test
    void storageErrorsNameFieldAndValue() {
        assertEquals("storage 1000: blockShift=7 is out of range (9..12)",
                assertThrows(ConfigException.class, () -> StorageDefinition.fromProperties(storage("blockShift", 7)))
                        .getMessage());
        assertEquals("storage: deviceID is required", assertThrows(ConfigException.class,
                () -> StorageDefinition.fromProperties(Map.of("path", "/x"))).getMessage());
        assertEquals("storage 1000: online=maybe is not true or false", assertThrows(ConfigException.class,
                () -> StorageDefinition.fromProperties(storage("online", "maybe"))).getMessage());
        assertTrue(assertThrows(ConfigException.class,
                () -> StorageDefinition.fromProperties(storage("deviceID", "ten"))).getMessage()
                .contains("deviceID=ten"));
        assertTrue(assertThrows(ConfigException.class,
                () -> StorageDefinition.fromProperties(storage("path", "ftp:host/x"))).getMessage()
                .contains("path=ftp:host/x"));
        assertTrue(assertThrows(ConfigException.class,
                () -> StorageDefinition.fromProperties(storage("path", "rbd:poolonly"))).getMessage()
                .contains("path=rbd:poolonly"));
        assertTrue(assertThrows(ConfigException.class,
                () -> StorageDefinition.fromProperties(storage("path", "s3:b/p", "backendType", "file"))).getMessage()
                .contains("backendType=file"));
        assertTrue(assertThrows(ConfigException.class,
                () -> StorageDefinition.fromProperties(storage("deviceSize", 1000))).getMessage()
                .contains("deviceSize=1000"));
        assertTrue(assertThrows(ConfigException.class, () -> StorageDefinition.fromProperties(storage("blockShift",
                new String[] {"9", "10"}))).getMessage().contains("blockShift=9,10"));
    }

    @Test
    void portal() {
        PortalDefinition p = PortalDefinition.fromProperties(Map.of("id", "0", "portal", "127.0.0.1:3260"));
        assertEquals(new PortalDefinition(0, "127.0.0.1", 3260), p);
        assertEquals("127.0.0.1:3260", p.address());
        PortalDefinition v6 = PortalDefinition.fromProperties(Map.of("id", 1, "portal", "[::1]:3261"));
        assertEquals("::1", v6.host());
        assertEquals("[::1]:3261", v6.address());
        assertEquals(3260, PortalDefinition.fromProperties(Map.of("id", 2, "portal", "0.0.0.0")).port());
        assertEquals(p, PortalDefinition.fromProperties(p.toProperties()));
        assertEquals("portal 3: portal=host:70000 has a port out of range (0..65535)", assertThrows(
                ConfigException.class, () -> PortalDefinition.fromProperties(Map.of("id", 3, "portal", "host:70000")))
                .getMessage());
    }

    @Test
    void target() {
        TargetDefinition t = TargetDefinition.fromProperties(Map.of("name", "iqn.2026-11.io.jtgt:default",
                "tpgt.1", "0, 2", "tpgt.2", new String[] {"1"}, "lun.0", 1000L, "lun.300", "1001",
                "service.pid", "io.jtgt.target~a"));
        assertEquals(Map.of(1, List.of(0, 2), 2, List.of(1)), t.portalGroups());
        assertEquals(Map.of(0, 1000L, 300, 1001L), t.luns());
        assertEquals(t, TargetDefinition.fromProperties(t.toProperties()));
        assertTrue(assertThrows(ConfigException.class, () -> TargetDefinition.fromProperties(Map.of("name", "disk0")))
                .getMessage().contains("name=disk0"));
        assertTrue(assertThrows(ConfigException.class, () -> TargetDefinition.fromProperties(
                Map.of("name", "iqn.2026-11.io.jtgt:x", "lun.20000", 1))).getMessage().contains("lun.20000"));
        assertTrue(assertThrows(ConfigException.class, () -> TargetDefinition.fromProperties(
                Map.of("name", "iqn.2026-11.io.jtgt:x", "lun0", 1))).getMessage().contains("lun0=1"));
        assertTrue(assertThrows(ConfigException.class, () -> TargetDefinition.fromProperties(
                Map.of("name", "iqn.2026-11.io.jtgt:x", "tpgt.1", "a"))).getMessage().contains("tpgt.1=a"));
    }

    @Test
    void targetLimitsAreOptionalTypedAndNamedInErrors() {
        TargetDefinition plain = TargetDefinition.fromProperties(Map.of("name", "iqn.2026-11.io.jtgt:x"));
        assertEquals(TargetLimits.NONE, plain.limits());
        assertTrue(plain.limits().isEmpty());
        TargetDefinition t = TargetDefinition.fromProperties(Map.ofEntries(Map.entry("name", "iqn.2026-11.io.jtgt:x"),
                Map.entry("maxBurstLength", "65536"), Map.entry("firstBurstLength", 8192L),
                Map.entry("immediateData", "false"), Map.entry("initialR2T", true),
                Map.entry("maxRecvDataSegmentLength", 16384), Map.entry("maxOutstandingR2T", "2"),
                Map.entry("maxConnections", 1), Map.entry("defaultTime2Wait", 5), Map.entry("defaultTime2Retain", 0),
                Map.entry("nopInIntervalSeconds", 10), Map.entry("nopInTimeoutSeconds", 4), Map.entry("maxSessions", 3)));
        assertEquals(new TargetLimits(16384, 65536, 8192, 2, false, true, 1, 5, 0, 10, 4, 3), t.limits());
        assertEquals(t, TargetDefinition.fromProperties(t.toProperties()), "written back as it was read");
        assertEquals(3, t.toProperties().get("maxSessions"));

        String owner = "target iqn.2026-11.io.jtgt:x: ";
        Map<String, String> wrong = new java.util.LinkedHashMap<>();
        wrong.put("maxBurstLength=100", "maxBurstLength=100 is out of range (512..16777215)");
        wrong.put("firstBurstLength=abc", "firstBurstLength=abc is not a whole number");
        wrong.put("immediateData=maybe", "immediateData=maybe is not true or false");
        wrong.put("maxConnections=2", "maxConnections=2 is not supported: jtgt runs one connection per session (1)");
        wrong.put("nopInTimeoutSeconds=0", "nopInTimeoutSeconds=0 is out of range (1..3600)");
        wrong.put("maxSessions=-1", "maxSessions=-1 is out of range (0..65535)");
        wrong.forEach((pair, message) -> {
            String[] kv = pair.split("=");
            assertEquals(owner + message, assertThrows(ConfigException.class, () -> TargetDefinition.fromProperties(
                    Map.of("name", "iqn.2026-11.io.jtgt:x", kv[0], kv[1]))).getMessage());
        });
        assertEquals(owner + "firstBurstLength=131072 exceeds maxBurstLength=65536 (RFC 7143 13.14)",
                assertThrows(ConfigException.class, () -> TargetDefinition.fromProperties(Map.of("name",
                        "iqn.2026-11.io.jtgt:x", "maxBurstLength", 65536, "firstBurstLength", 131072))).getMessage());
        assertTrue(assertThrows(ConfigException.class, () -> TargetDefinition.fromProperties(Map.of("name",
                "iqn.2026-11.io.jtgt:x", "maxburstlength", 65536))).getMessage()
                .contains("maxburstlength=65536 is not a target property"), "a misspelt key is not ignored");
    }
}
