package io.jtgt.admin;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.jtgt.scsi.api.AccessRulesInForce;
import io.jtgt.scsi.api.AdminService.AccessView;
import io.jtgt.scsi.api.ManagementService;
import io.jtgt.scsi.api.ManagementService.SessionView;
import io.jtgt.scsi.config.ConfigException;
import io.jtgt.scsi.config.GotgtJson;
import io.jtgt.scsi.config.TargetDefinition;
import java.util.Hashtable;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.api.function.Executable;

class ConfigAdminServiceTest {

    private static final String TARGET = "iqn.2026-11.io.jtgt:disk1";

    private final InMemoryConfigurationAdmin configAdmin = new InMemoryConfigurationAdmin();
    private final ConfigAdminService admin = new ConfigAdminService(configAdmin);

    private void storage(long id) {
        admin.createStorage(Map.of("deviceID", id, "path", "file:/tmp/jtgt-test-" + id + ".img", "deviceSize", 1 << 20));
    }

    /** Runs a refused change: the message must contain every fragment, and nothing is written. */
    private void refused(Executable change, String... fragments) {
        int writes = configAdmin.writes;
        ConfigException e = assertThrows(ConfigException.class, change);
        for (String fragment : fragments) {
            assertTrue(e.getMessage().contains(fragment), e.getMessage() + " should contain " + fragment);
        }
        assertEquals(writes, configAdmin.writes, "a refused change writes nothing");
    }

    @Test
    void storageBecomesANamedFactoryConfigurationOfStrings() {
        storage(1000);
        Map<String, Object> props = configAdmin.properties("io.jtgt.storage~1000");
        assertNotNull(props, configAdmin.configurations.keySet().toString());
        assertEquals("1000", props.get("deviceID"));
        assertEquals("file:/tmp/jtgt-test-1000.img", props.get("path"));
        assertEquals("1048576", props.get("deviceSize"));
        assertEquals("9", props.get("blockShift"));
        assertEquals("file", props.get("backendType"));
        assertEquals(1, admin.configuration().storages().size());
    }

    @Test
    void storageErrorsNameTheFieldAndWriteNothing() {
        refused(() -> admin.createStorage(Map.of("deviceID", 1, "path", "/x.img", "blockShift", 7)), "blockShift=7");
        refused(() -> admin.createStorage(Map.of("path", "/x.img")), "deviceID");
        storage(1000);
        refused(() -> storage(1000), "1000", "exists");
        refused(() -> admin.createStorage(Map.of("deviceID", 1001, "path", "/tmp/jtgt-test-1000.img")),
                "path=/tmp/jtgt-test-1000.img", "storage 1000");
        refused(() -> admin.removeStorage(4242, false), "storage 4242", "does not exist");
    }

    /** What a REST layer maps to 404 and 409: the kind, not the message, says which. */
    @Test
    void refusalsTellMissingObjectsAndConflictsApart() {
        storage(1000);
        admin.createTarget(TARGET, Map.of());
        assertEquals(ConfigException.Kind.NOT_FOUND,
                assertThrows(ConfigException.class, () -> admin.removeStorage(4242, false)).kind());
        assertEquals(ConfigException.Kind.NOT_FOUND,
                assertThrows(ConfigException.class, () -> admin.mapLun(TARGET, 0, 4242)).kind());
        assertEquals(ConfigException.Kind.NOT_FOUND,
                assertThrows(ConfigException.class, () -> admin.unmapLun("iqn.2026-11.io.jtgt:none", 0)).kind());
        assertEquals(ConfigException.Kind.NOT_FOUND, assertThrows(ConfigException.class, () -> admin.removeChap(TARGET)).kind());
        assertEquals(ConfigException.Kind.CONFLICT, assertThrows(ConfigException.class, () -> storage(1000)).kind());
        assertEquals(ConfigException.Kind.CONFLICT,
                assertThrows(ConfigException.class, () -> admin.createTarget(TARGET, Map.of())).kind());
        admin.mapLun(TARGET, 0, 1000);
        assertEquals(ConfigException.Kind.CONFLICT,
                assertThrows(ConfigException.class, () -> admin.removeStorage(1000, false)).kind());
        assertEquals(ConfigException.Kind.CONFLICT, assertThrows(ConfigException.class, () -> admin.mapLun(TARGET, 0, 1000)).kind());
        assertEquals(ConfigException.Kind.INVALID, assertThrows(ConfigException.class,
                () -> admin.createStorage(Map.of("deviceID", 1, "path", "/x.img", "blockShift", 7))).kind());
    }

    @Test
    void resizeWritesDeviceSizeAndRefusesShrinkingOrPartialBlocks() {
        storage(1000);
        assertEquals(4L << 20, admin.resizeStorage(1000, 4L << 20).deviceSize());
        assertEquals(String.valueOf(4L << 20), String.valueOf(admin.configuration().storages().get(0).deviceSize()));
        refused(() -> admin.resizeStorage(1000, 2L << 20), "storage 1000", "smaller than its deviceSize 4194304",
                "shrinking a LUN is refused");
        refused(() -> admin.resizeStorage(1000, (4L << 20) + 100), "not a positive multiple of its 512-byte blocks");
        refused(() -> admin.resizeStorage(1000, 0), "size 0");
        refused(() -> admin.resizeStorage(7, 1L << 30), "storage 7");
        assertEquals(4L << 20, admin.resizeStorage(1000, 4L << 20).deviceSize(), "the same size is no error");
    }

    @Test
    void targetGetsEveryPortalInGroupOneByDefault() {
        admin.createPortal(0, "127.0.0.1:3260");
        admin.createPortal(1, "[::1]:3261");
        TargetDefinition target = admin.createTarget(TARGET, Map.of());
        assertEquals(Map.of(1, List.of(0, 1)), target.portalGroups());
        Map<String, Object> props = configAdmin.properties("io.jtgt.target~iqn.2026-11.io.jtgt_disk1");
        assertEquals("0,1", props.get("tpgt.1"));
        assertEquals(TARGET, props.get("name"));
        refused(() -> admin.createTarget(TARGET.toUpperCase(), Map.of()), "exists");
        refused(() -> admin.createTarget("iqn.bad", Map.of()), "name=iqn.bad");
        refused(() -> admin.createTarget("iqn.2026-11.io.jtgt:other", Map.of(1, List.of(7))), "portal id 7");
    }

    @Test
    void lunMappingNeedsAnExistingStorageAndAFreeLun() {
        admin.createTarget(TARGET, Map.of());
        refused(() -> admin.mapLun(TARGET, 0, 1000), "lun.0=1000", "names no storage");
        storage(1000);
        storage(1001);
        assertEquals(Map.of(0, 1000L), admin.mapLun(TARGET, 0, 1000).luns());
        refused(() -> admin.mapLun(TARGET, 0, 1001), "lun.0=1000", "mapped already");
        refused(() -> admin.mapLun(TARGET, 16384, 1001), "lun.16384");
        refused(() -> admin.mapLun("iqn.2026-11.io.jtgt:nothing", 1, 1001), "iqn.2026-11.io.jtgt:nothing", "does not exist");
        assertEquals(Map.of(0, 1000L, 1, 1001L), admin.mapLun(TARGET, 1, 1001).luns());
        assertEquals(Map.of(1, 1001L), admin.unmapLun(TARGET, 0).luns());
        assertFalse(configAdmin.properties("io.jtgt.target~iqn.2026-11.io.jtgt_disk1").containsKey("lun.0"));
        refused(() -> admin.unmapLun(TARGET, 0), "LUN 0 is not mapped");
    }

    @Test
    void aLunWithSessionsOnItsTargetIsUnmappedOnlyWhenForced() {
        List<SessionView> sessions = new java.util.ArrayList<>();
        ConfigAdminService withSessions = new ConfigAdminService(configAdmin, null, new ManagementService() {
            @Override
            public List<TargetView> targets() {
                return List.of();
            }

            @Override
            public List<LunView> luns() {
                return List.of();
            }

            @Override
            public List<PortalView> portals() {
                return List.of();
            }

            @Override
            public List<SessionView> sessions() {
                return sessions;
            }
        });
        storage(1000);
        withSessions.createTarget(TARGET, Map.of());
        withSessions.createTarget("iqn.2026-11.io.jtgt:other", Map.of());
        withSessions.mapLun(TARGET, 0, 1000);
        withSessions.mapLun(TARGET, 1, 1000);
        sessions.add(new SessionView("iqn.2026-11.io.jtgt:other", "iqn.1994-05.com.example:b", "23d000000002", 8, 1,
                "127.0.0.1:50001", "127.0.0.1:3260", 0, Map.of()));
        assertEquals(Map.of(0, 1000L), withSessions.unmapLun(TARGET, 1).luns(), "a session on another target: not in use");

        sessions.add(new SessionView(TARGET.toUpperCase(java.util.Locale.ROOT), "iqn.1994-05.com.example:a",
                "23d000000001", 7, 1, "127.0.0.1:50000", "127.0.0.1:3260", 2, Map.of()));
        refused(() -> withSessions.unmapLun(TARGET, 0), "target " + TARGET + ": LUN 0 is in use",
                "1 session is logged in to the target (TSIH 7 from iqn.1994-05.com.example:a)", "force");
        refused(() -> withSessions.unmapLun(TARGET, 0, false), "LUN 0 is in use");
        assertEquals(Map.of(), withSessions.unmapLun(TARGET, 0, true).luns());
        // A forced storage removal unmaps in-use LUNs too.
        withSessions.mapLun(TARGET, 2, 1000);
        withSessions.removeStorage(1000, true);
        assertEquals(Map.of(), withSessions.configuration().targets().stream()
                .filter(t -> t.name().equals(TARGET)).findFirst().orElseThrow().luns());
    }

    @Test
    void mappedStorageGoesOnlyWhenForcedAndThenLeavesNoLun() {
        storage(1000);
        admin.createTarget(TARGET, Map.of());
        admin.mapLun(TARGET, 3, 1000);
        refused(() -> admin.removeStorage(1000, false), "storage 1000", "LUN 3 of " + TARGET, "force");
        admin.removeStorage(1000, true);
        assertTrue(admin.configuration().storages().isEmpty());
        assertEquals(Map.of(), admin.configuration().targets().get(0).luns());
    }

    @Test
    void portalInAGroupGoesOnlyWhenForced() {
        admin.createPortal(0, "127.0.0.1:3260");
        admin.createPortal(1, "127.0.0.1:3261");
        refused(() -> admin.createPortal(2, "127.0.0.1:3261"), "portal=127.0.0.1:3261", "portal 1");
        refused(() -> admin.createPortal(1, "127.0.0.1:3262"), "id=1", "exists");
        refused(() -> admin.createPortal(3, "127.0.0.1:99999"), "portal=127.0.0.1:99999");
        admin.createTarget(TARGET, Map.of());
        refused(() -> admin.removePortal(1, false), "portal 1", TARGET);
        admin.removePortal(1, true);
        assertEquals(Map.of(1, List.of(0)), admin.configuration().targets().get(0).portalGroups());
        assertEquals(Map.of(1, List.of(0), 2, List.of(0)), admin.addPortalToGroup(TARGET, 2, 0).portalGroups());
        refused(() -> admin.addPortalToGroup(TARGET, 2, 0), "already");
        refused(() -> admin.addPortalToGroup(TARGET, 2, 9), "portal id 9");
        assertEquals(Map.of(1, List.of(0)), admin.removePortalFromGroup(TARGET, 2, 0).portalGroups());
        refused(() -> admin.removePortalFromGroup(TARGET, 2, 0), "not in portal group 2");
    }

    @Test
    void onlineFlagKeepsTheRestOfAHandWrittenFile() throws Exception {
        Hashtable<String, Object> handWritten = new Hashtable<>();
        handWritten.put("deviceID", "1000");
        handWritten.put("path", "/var/tmp/disk.img");
        handWritten.put("cacheMode", "writeback"); // a backend option
        handWritten.put("felix.fileinstall.filename", "file:/opt/jtgt/etc/io.jtgt.storage-default.cfg");
        configAdmin.getFactoryConfiguration("io.jtgt.storage", "default", "?").update(handWritten);
        assertFalse(admin.setStorageOnline(1000, false).online());
        Map<String, Object> props = configAdmin.properties("io.jtgt.storage~default");
        assertEquals("false", props.get("online"));
        assertEquals("writeback", props.get("cacheMode"));
        assertEquals("/var/tmp/disk.img", props.get("path"));
        assertEquals("file:/opt/jtgt/etc/io.jtgt.storage-default.cfg", props.get("felix.fileinstall.filename"));
        assertTrue(admin.setStorageOnline(1000, true).online());
        refused(() -> admin.setStorageOnline(7, true), "storage 7");
        // A new storage named like an existing configuration gets a name of its own.
        Hashtable<String, Object> other = new Hashtable<>();
        other.put("deviceID", "5");
        other.put("path", "/var/tmp/five.img");
        configAdmin.getFactoryConfiguration("io.jtgt.storage", "6", "?").update(other);
        storage(6);
        assertEquals("6", configAdmin.properties("io.jtgt.storage~6-2").get("deviceID"));
    }

    @Test
    void chapSecretsAreWrittenButNeverShown() {
        admin.createTarget(TARGET, Map.of());
        refused(() -> admin.setChap(TARGET, "alice", "short", null, null), "secret has 5 bytes");
        refused(() -> admin.setChap(TARGET, "alice", "twelve-bytes-secret", "target", null), "mutualSecret");
        refused(() -> admin.setChap(TARGET, "alice", "twelve-bytes-secret", "tgt", "twelve-bytes-secret"), "differ");
        refused(() -> admin.setChap("iqn.2026-11.io.jtgt:none", "a", "twelve-bytes-secret", null, null), "does not exist");
        AccessView view = admin.setChap(TARGET, "alice", "twelve-bytes-secret", "tgt", "another-secret-1");
        assertEquals(new AccessView(TARGET, "alice", "tgt", List.of()), view);
        Map<String, Object> props = configAdmin.properties("io.jtgt.auth~iqn.2026-11.io.jtgt_disk1");
        assertEquals(TARGET, props.get("target"));
        assertEquals("twelve-bytes-secret", props.get("secret"));
        assertEquals("another-secret-1", props.get("mutualSecret"));
        assertEquals(List.of(view), admin.accessRules());
        String shown = AccessRuleConfig.fromProperties(props).toString();
        assertFalse(shown.contains("twelve-bytes-secret") || shown.contains("another-secret-1"), shown);
        admin.removeChap(TARGET);
        assertNull(configAdmin.properties("io.jtgt.auth~iqn.2026-11.io.jtgt_disk1"), "an open rule is deleted");
        refused(() -> admin.removeChap(TARGET), "no CHAP");
    }

    @Test
    void initiatorListsAndDiscovery() {
        admin.createTarget(TARGET, Map.of());
        refused(() -> admin.addInitiator(TARGET, "not-an-iqn"), "initiator=not-an-iqn");
        admin.addInitiator(TARGET, "iqn.2026-11.org.example:host1");
        AccessView view = admin.addInitiator(TARGET, "iqn.2026-11.org.example:host2");
        assertEquals(List.of("iqn.2026-11.org.example:host1", "iqn.2026-11.org.example:host2"), view.initiators());
        admin.setChap(TARGET, "alice", "twelve-bytes-secret", null, null);
        admin.removeChap(TARGET);
        assertEquals("iqn.2026-11.org.example:host1,iqn.2026-11.org.example:host2",
                configAdmin.properties("io.jtgt.auth~iqn.2026-11.io.jtgt_disk1").get("initiators"));
        refused(() -> admin.removeInitiator(TARGET, "iqn.2026-11.org.example:host9"), "host9", "not on its list");
        admin.removeInitiator(TARGET, "IQN.2026-11.org.example:HOST1");
        assertEquals(List.of("iqn.2026-11.org.example:host2"), admin.accessRules().get(0).initiators());

        admin.setChap("Discovery", "disco", "discovery-secret", null, null);
        assertEquals("discovery", configAdmin.properties("io.jtgt.auth~discovery").get("target"));

        admin.removeTarget(TARGET);
        assertNull(configAdmin.properties("io.jtgt.auth~iqn.2026-11.io.jtgt_disk1"), "the rule goes with its target");
        assertEquals(1, admin.accessRules().size());

        // A rule whose target went another way (its file deleted by hand) can still be emptied.
        admin.createTarget(TARGET, Map.of());
        admin.addInitiator(TARGET, "iqn.2026-11.org.example:host3");
        configAdmin.configurations.get("io.jtgt.target~iqn.2026-11.io.jtgt_disk1").delete();
        refused(() -> admin.addInitiator(TARGET, "iqn.2026-11.org.example:host4"), "does not exist");
        admin.removeInitiator(TARGET, "iqn.2026-11.org.example:host3");
        assertNull(configAdmin.properties("io.jtgt.auth~iqn.2026-11.io.jtgt_disk1"));
    }

    /** The transport obeys a change only after Config Admin delivered it: the answer waits for that. */
    @Test
    void anAccessChangeIsAnsweredOnceTheTransportObeysIt() {
        AtomicInteger asked = new AtomicInteger();
        List<Map<String, ?>> seen = new java.util.ArrayList<>();
        AccessRulesInForce slowTransport = (target, properties) -> {
            seen.add(properties);
            return asked.incrementAndGet() % 3 == 0;
        };
        ConfigAdminService waiting = new ConfigAdminService(configAdmin) {
            @Override
            protected AccessRulesInForce accessRulesInForce() {
                return slowTransport;
            }
        };
        waiting.createTarget(TARGET, Map.of());
        waiting.addInitiator(TARGET, "iqn.2026-11.org.example:host1");
        assertEquals(3, asked.get(), "asked until the transport obeyed");
        assertEquals("iqn.2026-11.org.example:host1", seen.get(2).get("initiators"));
        waiting.removeInitiator(TARGET, "iqn.2026-11.org.example:host1");
        assertEquals(6, asked.get());
        assertNull(seen.get(5), "an open target: no rule expected");
    }

    @Test
    void aChangeTheTransportNeverObeysIsAnsweredAfterTheWait() {
        ConfigAdminService waiting = new ConfigAdminService(configAdmin) {
            @Override
            protected AccessRulesInForce accessRulesInForce() {
                return (target, properties) -> false;
            }
        };
        waiting.inForceWaitMillis = 100;
        waiting.createTarget(TARGET, Map.of());
        long start = System.nanoTime();
        waiting.setChap(TARGET, "alice", "twelve-bytes-secret", null, null);
        long waited = (System.nanoTime() - start) / 1_000_000;
        assertTrue(waited >= 100, "waited " + waited + " ms");
        assertEquals("alice", configAdmin.properties("io.jtgt.auth~iqn.2026-11.io.jtgt_disk1").get("userName"),
                "the change is saved all the same");
    }

    @Test
    void exportImportRoundTripIsExact() {
        String json = """
                {"storages":[{"deviceID":1000,"path":"file:/var/tmp/disk.img","online":true,"backendType":"file",
                  "blockShift":9,"deviceSize":1073741824,"thinProvisioning":true},
                  {"deviceID":1001,"path":"/var/tmp/disk1.img","blockShift":12,"deviceSize":4194304,"cacheMode":"writeback"}],
                 "iscsiportals":[{"id":0,"portal":"127.0.0.1:3260"},{"id":1,"portal":"[::1]:3261"}],
                 "iscsitargets":{"iqn.2016-09.com.gotgt.gostor:example_tgt_0":{"tpgts":{"1":[0,1]},"luns":{"0":1000,"1":1001}}},
                 "performance":{"numa":true,"queueDepth":128}}
                """;
        admin.importJson(json, false);
        assertEquals(GotgtJson.parse(json), admin.configuration());
        String exported = admin.exportJson();
        assertTrue(exported.contains("\"numa\" : true") && exported.contains("\"queueDepth\" : 128"), exported);

        InMemoryConfigurationAdmin secondAdmin = new InMemoryConfigurationAdmin();
        ConfigAdminService second = new ConfigAdminService(secondAdmin);
        second.importJson(exported, false);
        assertEquals(exported, second.exportJson());
        assertEquals("writeback", secondAdmin.properties("io.jtgt.storage~1001").get("cacheMode"));
        assertEquals("128", secondAdmin.properties("io.jtgt.performance").get("queueDepth"));

        int writes = secondAdmin.writes;
        second.importJson(exported, false);
        assertEquals(writes, secondAdmin.writes, "importing the running configuration changes nothing");
    }

    /**
     * Issue 6: the gotgt export (shell jtgt:export, REST GET /config) shows a backend secret as
     * {@code ****}; importing that export keeps the stored secret, and a masked secret with none
     * stored is refused naming the field.
     */
    @Test
    void exportMasksBackendSecretsAndImportingItKeepsTheStoredOnes() {
        String json = "{\"storages\":[{\"deviceID\":3000,\"path\":\"s3:bucket/disk\",\"deviceSize\":1048576,"
                + "\"s3AccessKeyId\":\"AKIA9\",\"s3SecretAccessKey\":\"export-secret-77\","
                + "\"s3CredentialsFile\":\"/etc/jtgt/creds\"}],\"iscsiportals\":[],\"iscsitargets\":{}}";
        admin.importJson(json, false);
        String exported = admin.exportJson();
        assertFalse(exported.contains("export-secret-77"), exported);
        assertTrue(exported.contains("\"s3SecretAccessKey\" : \"****\"") && exported.contains("AKIA9")
                && exported.contains("/etc/jtgt/creds"), exported);

        int writes = configAdmin.writes;
        admin.importJson(exported, false);
        assertEquals(writes, configAdmin.writes, "importing the export changes nothing");
        assertEquals("export-secret-77", configAdmin.properties("io.jtgt.storage~3000").get("s3SecretAccessKey"));
        admin.importJson(exported.replace("AKIA9", "AKIA10"), false);
        assertEquals("AKIA10", configAdmin.properties("io.jtgt.storage~3000").get("s3AccessKeyId"));
        assertEquals("export-secret-77", configAdmin.properties("io.jtgt.storage~3000").get("s3SecretAccessKey"),
                "an update from a masked export keeps the secret");

        ConfigAdminService fresh = new ConfigAdminService(new InMemoryConfigurationAdmin());
        refused(() -> fresh.importJson(exported, false), "storage 3000: s3SecretAccessKey is ****",
                "no value is stored for it");
        assertTrue(fresh.configuration().storages().isEmpty(), "a refused import writes nothing");
    }

    @Test
    void importMergesOrReplacesAndABrokenFileChangesNothing() {
        storage(7);
        admin.createTarget("iqn.2026-11.io.jtgt:keep", Map.of());
        admin.setChap("iqn.2026-11.io.jtgt:keep", "alice", "twelve-bytes-secret", null, null);
        String json = "{\"storages\":[{\"deviceID\":1,\"path\":\"/tmp/jtgt-one.img\"}],\"iscsiportals\":[],"
                + "\"iscsitargets\":{\"" + TARGET + "\":{\"tpgts\":{},\"luns\":{\"0\":1}}}}";
        refused(() -> admin.importJson(json.replace("\"0\":1}", "\"0\":2}"), false), "luns.0=2");
        refused(() -> admin.importJson("{\"storages\":[{\"deviceID\":1,\"path\":\"/x\",\"blockShift\":3}]}", false),
                "blockShift=3");
        admin.importJson(json, false);
        assertEquals(2, admin.configuration().storages().size());
        assertEquals(2, admin.configuration().targets().size());
        admin.importJson(json, true);
        assertEquals(1, admin.configuration().storages().size());
        assertEquals(List.of(TARGET), admin.configuration().targets().stream().map(TargetDefinition::name).toList());
        assertTrue(admin.accessRules().isEmpty(), "the removed target's access rule went with it");
    }

    /**
     * File install deletes a removed configuration's file when the CM_DELETED event reaches it,
     * by PID, later: a rule re-created at once must not get that PID and file name back.
     */
    @Test
    void aNameJustDeletedIsNotReusedForItsFile(@TempDir Path etc) throws Exception {
        ConfigAdminService withEtc = new ConfigAdminService(configAdmin, etc);
        withEtc.createTarget(TARGET, Map.of());
        withEtc.addInitiator(TARGET, "iqn.2026-11.org.example:host1");
        Path first = etc.resolve("io.jtgt.auth-iqn.2026-11.io.jtgt_disk1.cfg");
        assertTrue(Files.exists(first));
        withEtc.removeInitiator(TARGET, "iqn.2026-11.org.example:host1");
        assertFalse(Files.exists(first), "an open rule has no file");
        withEtc.setChap(TARGET, "alice", "twelve-bytes-at-least", null, null);
        assertFalse(Files.exists(first), "the deleted name is not reused");
        Path second = etc.resolve("io.jtgt.auth-iqn.2026-11.io.jtgt_disk1-2.cfg");
        assertTrue(Files.readString(second).contains("userName = alice"));
        assertEquals("alice", withEtc.accessRules().get(0).userName());
    }

    @Test
    void newConfigurationsGetTheirCfgFileInEtcAndLoseItWhenRemoved(@TempDir Path etc) throws Exception {
        ConfigAdminService withEtc = new ConfigAdminService(configAdmin, etc);
        withEtc.createPortal(0, "127.0.0.1:3260");
        withEtc.createTarget(TARGET, Map.of());
        withEtc.createStorage(Map.of("deviceID", 1000, "path", "/var/tmp/my disk\\1.img"));
        Path target = etc.resolve("io.jtgt.target-iqn.2026-11.io.jtgt_disk1.cfg");
        Path storage = etc.resolve("io.jtgt.storage-1000.cfg");
        assertTrue(Files.readString(target).contains("\nname = iqn.2026-11.io.jtgt:disk1\n"), Files.readString(target));
        assertTrue(Files.readString(target).contains("\ntpgt.1 = 0\n"), Files.readString(target));
        assertEquals("/var/tmp/my disk\\1.img", loadProperties(storage).getProperty("path"), "properties escaping");
        assertEquals("rw-------", java.nio.file.attribute.PosixFilePermissions.toString(Files.getPosixFilePermissions(target)));
        assertEquals(target.toUri().toString(),
                configAdmin.properties("io.jtgt.target~iqn.2026-11.io.jtgt_disk1").get("felix.fileinstall.filename"));
        // A file that is there already (e.g. dropped by hand, not loaded yet) is never overwritten.
        Files.writeString(etc.resolve("io.jtgt.storage-1001.cfg"), "deviceID = 77\npath = /x.img\n");
        withEtc.createStorage(Map.of("deviceID", 1001, "path", "/var/tmp/other.img"));
        assertTrue(Files.exists(etc.resolve("io.jtgt.storage-1001-2.cfg")));
        assertEquals("deviceID = 77\npath = /x.img\n", Files.readString(etc.resolve("io.jtgt.storage-1001.cfg")));

        withEtc.removeTarget(TARGET);
        withEtc.removeStorage(1000, false);
        assertFalse(Files.exists(target));
        assertFalse(Files.exists(storage));
        assertTrue(Files.exists(etc.resolve("io.jtgt.portal-0.cfg")));
    }

    private static java.util.Properties loadProperties(Path file) throws Exception {
        java.util.Properties p = new java.util.Properties();
        try (var reader = Files.newBufferedReader(file)) {
            p.load(reader);
        }
        return p;
    }
}
