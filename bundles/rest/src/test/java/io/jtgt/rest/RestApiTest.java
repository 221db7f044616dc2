package io.jtgt.rest;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.jtgt.admin.ConfigAdminService;
import io.jtgt.admin.InMemoryConfigurationAdmin;
import io.jtgt.scsi.api.InMemoryManagementService;
import io.jtgt.scsi.api.ManagementService.LatencyHistogram;
import io.jtgt.scsi.api.ManagementService.LunStats;
import io.jtgt.scsi.api.ManagementService.LunView;
import io.jtgt.scsi.api.ManagementService.SessionView;
import io.jtgt.scsi.api.ManagementService.TargetView;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * The REST API against a real ConfigAdminService over an in-memory Config Admin: what each call
 * writes, what it answers, and that every refusal carries the admin service's own message with
 * the status its kind maps to.
 */
class RestApiTest {

    private static final String TARGET = "iqn.2026-11.io.jtgt:rest";
    private static final ObjectMapper JSON = new ObjectMapper();

    private final InMemoryConfigurationAdmin configAdmin = new InMemoryConfigurationAdmin();
    private final ConfigAdminService admin = new ConfigAdminService(configAdmin);
    private final InMemoryManagementService management = new InMemoryManagementService();
    private final RestApi api = new RestApi(admin, management);

    private Reply call(String method, String path, String body) {
        return api.handle(new Call(method, Call.segments(path), Map.of(), body));
    }

    private Reply call(String method, String path, Map<String, String> query) {
        return api.handle(new Call(method, Call.segments(path), query, ""));
    }

    private static JsonNode json(Reply reply) throws Exception {
        return JSON.readTree(reply.body());
    }

    /** The reply is an error with this status and exactly this message. */
    private static void refused(Reply reply, int status, String message) throws Exception {
        assertEquals(status, reply.status(), reply.body());
        assertEquals(message, json(reply).get("error").asText());
        assertEquals(status, json(reply).get("status").asInt());
    }

    private void storageTargetAndLun() {
        assertEquals(201, call("POST", "/storages", "{\"deviceID\": 2000, \"path\": \"file:/tmp/rest-2000.img\","
                + " \"deviceSize\": \"33554432\", \"thinProvisioning\": true}").status());
        assertEquals(201, call("POST", "/portals", "{\"id\": 1, \"portal\": \"127.0.0.1:3261\"}").status());
        assertEquals(201, call("POST", "/targets", "{\"name\": \"" + TARGET + "\", \"portalGroups\": {\"1\": [1]}}").status());
        assertEquals(201, call("POST", "/targets/" + TARGET + "/luns", "{\"lun\": 0, \"deviceID\": 2000}").status());
    }

    @Test
    void createsStorageTargetLunAndPortalAsConfigAdminConfigurations() throws Exception {
        storageTargetAndLun();
        assertEquals("33554432", properties("io.jtgt.storage~2000").get("deviceSize"));
        assertEquals("127.0.0.1:3261", properties("io.jtgt.portal~1").get("portal"));
        Map<String, Object> target = configuration("name", TARGET);
        assertEquals("2000", target.get("lun.0"));
        assertEquals("1", target.get("tpgt.1"));

        JsonNode storage = json(call("GET", "/storages/2000", ""));
        assertEquals(2000, storage.get("deviceID").asLong());
        assertEquals("file:/tmp/rest-2000.img", storage.get("path").asText());
        JsonNode portal = json(call("POST", "/portals", "{\"id\": 2, \"portal\": \"[::1]:3262\"}"));
        assertEquals("[::1]:3262", portal.get("portal").asText());
    }

    /** The properties of the Config Admin configuration with this PID. */
    private Map<String, Object> properties(String pid) throws Exception {
        return toMap(configAdmin.getConfiguration(pid, null).getProperties());
    }

    /** The properties of the one configuration whose {@code key} is {@code value}. */
    private Map<String, Object> configuration(String key, String value) throws Exception {
        for (org.osgi.service.cm.Configuration c : configAdmin.listConfigurations(null)) {
            Map<String, Object> props = toMap(c.getProperties());
            if (value.equals(props.get(key))) {
                return props;
            }
        }
        throw new AssertionError("no configuration with " + key + "=" + value);
    }

    private static Map<String, Object> toMap(java.util.Dictionary<String, Object> dict) {
        Map<String, Object> map = new java.util.HashMap<>();
        if (dict != null) {
            for (var keys = dict.keys(); keys.hasMoreElements();) {
                String k = keys.nextElement();
                map.put(k, dict.get(k));
            }
        }
        return map;
    }

    @Test
    void refusalsCarryTheAdminMessageAndTheirStatus() throws Exception {
        storageTargetAndLun();
        refused(call("POST", "/targets/" + TARGET + "/luns", "{\"lun\": 0, \"deviceID\": 2000}"), 409,
                "target " + TARGET + ": lun.0=2000 is mapped already; unmap it first");
        refused(call("POST", "/targets/" + TARGET + "/luns", "{\"lun\": 1, \"deviceID\": 4242}"), 404,
                "target " + TARGET + ": lun.1=4242 names no storage deviceID");
        refused(call("DELETE", "/storages/2000", ""), 409,
                "storage 2000: is mapped to LUN 0 of " + TARGET + "; unmap it first or force the removal");
        refused(call("POST", "/storages", "{\"deviceID\": 2001, \"path\": \"/tmp/rest-2000.img\"}"), 409,
                "storage 2001: path=/tmp/rest-2000.img is used by storage 2000 already");
        refused(call("POST", "/storages", "{\"deviceID\": 7, \"path\": \"/x.img\", \"blockShift\": 7}"), 400,
                "storage 7: blockShift=7 is out of range (9..12)");
        refused(call("DELETE", "/targets/iqn.2026-11.io.jtgt:none", ""), 404, "target iqn.2026-11.io.jtgt:none: does not exist");
        refused(call("GET", "/targets/iqn.2026-11.io.jtgt:none", ""), 404, "target iqn.2026-11.io.jtgt:none: does not exist");
        refused(call("GET", "/storages/9", ""), 404, "storage 9: does not exist");
        refused(call("POST", "/targets/" + TARGET + "/luns", "{\"lun\": \"x\", \"deviceID\": 2000}"), 400,
                "lun: 'x' is not a whole number");
        refused(call("POST", "/targets/" + TARGET + "/luns", "{\"lun\": 16384, \"deviceID\": 2000}"), 400,
                "lun: 16384 is out of range (0..16383)");
        refused(call("POST", "/targets/" + TARGET + "/luns", "{\"lun\": 1, \"device\": 2000}"), 400,
                "request body: unknown field 'device' (known: lun, deviceID)");
        refused(call("POST", "/targets", "{\"name\": "), 400, json(call("POST", "/targets", "{\"name\": ")).get("error").asText());
        assertTrue(json(call("POST", "/targets", "{\"name\": ")).get("error").asText().startsWith("request body: not JSON"));
        refused(call("DELETE", "/targets/" + TARGET + "/luns/7", ""), 404, "target " + TARGET + ": LUN 7 is not mapped");
        refused(call("PATCH", "/luns", ""), 405, "PATCH is not allowed on /luns");
        refused(call("GET", "/nothing", ""), 404, "no resource /nothing (have [targets, luns, portals, storages, acls,"
                + " sessions, stats, config])");
        refused(call("DELETE", "/portals/1", Map.of("force", "maybe")), 400, "force: 'maybe' is not true or false");
        refused(call("DELETE", "/portals/1", ""), 409,
                "portal 1: is in a portal group of " + TARGET + "; take it out first or force the removal");
    }

    @Test
    void forceAndRemovalsDeleteTheConfigurations() {
        storageTargetAndLun();
        assertEquals(200, call("DELETE", "/targets/" + TARGET + "/portal-groups/1/portals/1", "").status());
        assertEquals(200, call("PUT", "/targets/" + TARGET + "/portal-groups/2/portals/1", "").status());
        assertEquals(204, call("DELETE", "/portals/1", Map.of("force", "true")).status());
        assertEquals(204, call("DELETE", "/storages/2000", Map.of("force", "")).status());
        assertEquals(204, call("DELETE", "/targets/" + TARGET, "").status());
        assertTrue(admin.configuration().storages().isEmpty());
        assertTrue(admin.configuration().targets().isEmpty());
        assertTrue(admin.configuration().portals().isEmpty());
    }

    @Test
    void chapSecretsAreWriteOnly() throws Exception {
        storageTargetAndLun();
        String secret = "rest-secret-1234";
        Reply set = call("PUT", "/acls/" + TARGET + "/chap", "{\"userName\": \"alice\", \"secret\": \"" + secret
                + "\", \"mutualUserName\": \"jtgt\", \"mutualSecret\": \"mutual-secret-99\"}");
        assertEquals(200, set.status(), set.body());
        assertEquals(200, call("PUT", "/acls/" + TARGET + "/initiators/iqn.2008-11.org.linux-kvm", "").status());
        for (Reply read : List.of(set, call("GET", "/acls", ""), call("GET", "/acls/" + TARGET, ""))) {
            assertFalse(read.body().contains(secret), read.body());
            assertFalse(read.body().contains("mutual-secret-99"), read.body());
            assertTrue(read.body().contains("\"secret\" : \"****\""), read.body());
            assertTrue(read.body().contains("\"mutualSecret\" : \"****\""), read.body());
        }
        JsonNode rule = json(call("GET", "/acls/" + TARGET, ""));
        assertEquals("alice", rule.get("userName").asText());
        assertEquals("iqn.2008-11.org.linux-kvm", rule.get("initiators").get(0).asText());
        // Stored where the transport reads it, and only there.
        assertEquals(secret, configuration("target", TARGET).get("secret"));

        refused(call("PUT", "/acls/" + TARGET + "/chap", "{\"userName\": \"bob\", \"secret\": \"short\"}"), 400,
                "target " + TARGET + ": secret has 5 bytes; CHAP secrets need 12..255 (RFC 7143 12.1.3)");
        assertEquals(200, call("DELETE", "/acls/" + TARGET + "/chap", "").status());
        refused(call("DELETE", "/acls/" + TARGET + "/chap", ""), 404, "target " + TARGET + ": has no CHAP account");
        assertEquals(200, call("DELETE", "/acls/" + TARGET + "/initiators/iqn.2008-11.org.linux-kvm", "").status());
        JsonNode open = json(call("GET", "/acls/" + TARGET, ""));
        assertFalse(open.get("chap").asBoolean());
        assertEquals(0, open.get("initiators").size());
        assertEquals("discovery", json(call("GET", "/acls/discovery", "")).get("target").asText());
        refused(call("GET", "/acls/iqn.2026-11.io.jtgt:none", ""), 404, "target iqn.2026-11.io.jtgt:none: does not exist");
    }

    @Test
    void backendSecretsAreMaskedInStorageListings() throws Exception {
        Reply created = call("POST", "/storages", "{\"deviceID\": 3000, \"path\": \"s3:bucket/disk\", \"deviceSize\": 1048576,"
                + " \"s3AccessKeyId\": \"AKIA1\", \"s3SecretAccessKey\": \"very-secret\"}");
        assertEquals(201, created.status(), created.body());
        for (Reply read : List.of(created, call("GET", "/storages", ""), call("GET", "/storages/3000", ""))) {
            assertFalse(read.body().contains("very-secret"), read.body());
            assertTrue(read.body().contains("\"s3SecretAccessKey\" : \"****\""), read.body());
            assertTrue(read.body().contains("AKIA1"), "an access key id is no secret: " + read.body());
        }
        Reply exported = call("GET", "/config", "");
        assertEquals(200, exported.status(), exported.body());
        assertFalse(exported.body().contains("very-secret"), "the gotgt export masks it too: " + exported.body());
        assertTrue(exported.body().contains("\"s3SecretAccessKey\" : \"****\""), exported.body());
        assertTrue(StoragesResource.isSecret("key"));
        assertTrue(StoragesResource.isSecret("dbPassword"));
        assertFalse(StoragesResource.isSecret("keyring"));
    }

    @Test
    void storageOnlineOfflineAndResize() throws Exception {
        storageTargetAndLun();
        assertFalse(json(call("POST", "/storages/2000/offline", "")).get("online").asBoolean());
        assertEquals("false", properties("io.jtgt.storage~2000").get("online"));
        assertTrue(json(call("POST", "/storages/2000/online", "")).get("online").asBoolean());

        management.luns.add(new LunView(TARGET, 0, 2000, "file", "/tmp/rest-2000.img", 64L << 20, 512, "ONLINE", ""));
        refused(call("POST", "/storages/2000/resize", "{\"deviceSize\": 50331648}"), 400,
                "deviceSize: 50331648 bytes is smaller than storage 2000's current 67108864 bytes; shrinking a LUN is refused");
        assertEquals(33554432L, admin.configuration().storages().get(0).deviceSize(), "nothing written");
        assertEquals(128L << 20, json(call("POST", "/storages/2000/resize", "{\"deviceSize\": 134217728}"))
                .get("deviceSize").asLong());
        refused(call("POST", "/storages/2000/resize", "{\"deviceSize\": 134217729}"), 400,
                "storage 2000: size 134217729 is not a positive multiple of its 512-byte blocks");
        refused(call("POST", "/storages/77/online", ""), 404, "storage 77: does not exist");
        refused(call("GET", "/storages/2000/online", ""), 405, "GET is not allowed on /storages/2000/online");
    }

    @Test
    void sessionsAreListedAndLoggedOut() throws Exception {
        management.sessions.add(new SessionView(TARGET, "iqn.2008-11.org.linux-kvm", "23d000000001", 5, 1,
                "127.0.0.1:40000", "127.0.0.1:3261", 0, Map.of("MaxBurstLength", "262144")));
        JsonNode list = json(call("GET", "/sessions", ""));
        assertEquals(5, list.get(0).get("tsih").asInt());
        assertEquals("262144", list.get(0).get("parameters").get("MaxBurstLength").asText());
        assertEquals("iqn.2008-11.org.linux-kvm", json(call("GET", "/sessions/5", "")).get("initiatorName").asText());

        Reply logout = call("DELETE", "/sessions/5", Map.of("grace", "3"));
        assertEquals(202, logout.status(), logout.body());
        assertArrayEquals(new int[] {5, 3}, management.logouts.get(0));
        assertEquals(202, call("DELETE", "/sessions/5", "").status());
        assertArrayEquals(new int[] {5, 10}, management.logouts.get(1), "the shell's default grace");
        refused(call("DELETE", "/sessions/6", ""), 404, "TSIH 6: no such session");
        refused(call("DELETE", "/sessions/5", Map.of("grace", "0")), 400, "grace: 0 is out of range (1..3600)");
        refused(call("DELETE", "/sessions/x", ""), 400, "tsih: 'x' is not a whole number");
        assertEquals(2, management.logouts.size(), "refused calls end nothing");
    }

    @Test
    void statsAndListingsComeFromManagementService() throws Exception {
        long[] reads = new long[LatencyHistogram.BUCKETS];
        reads[7] = 3;
        management.lunStats.add(new LunStats(TARGET, 0, 2000, 3, 3 << 20, 0, 0, 1, new LatencyHistogram(reads, 300),
                LatencyHistogram.empty()));
        management.targets.add(new TargetView(TARGET, Map.of(1, List.of(1)), 1, 0));
        JsonNode stats = json(call("GET", "/stats", ""));
        JsonNode lun = stats.get("luns").get(0);
        assertEquals(3 << 20, lun.get("readBytes").asLong());
        assertEquals(1, lun.get("errors").asLong());
        assertEquals(32, lun.get("readLatency").get("buckets").size());
        assertEquals(3, lun.get("readLatency").get("buckets").get(7).asLong());
        assertEquals(300, lun.get("readLatency").get("totalMicros").asLong());
        assertEquals(0, stats.get("sessions").size());
        assertEquals(json(call("GET", "/stats/luns", "")), stats.get("luns"));
        assertEquals(1, json(call("GET", "/targets", "")).get(0).get("lunCount").asInt());
        assertEquals(TARGET, json(call("GET", "/targets/" + TARGET.toUpperCase(), "")).get("name").asText());
        JsonNode root = json(call("GET", "/", ""));
        assertEquals(8, root.get("resources").size());
    }

    @Test
    void gotgtJsonRoundTrip() throws Exception {
        storageTargetAndLun();
        Reply exported = call("GET", "/config", "");
        assertEquals(200, exported.status());
        assertEquals(admin.exportJson(), exported.body());
        JsonNode imported = json(call("POST", "/config", exported.body()));
        assertEquals(1, imported.get("storages").asInt());
        assertEquals(1, imported.get("targets").asInt());
        assertEquals(exported.body(), call("GET", "/config", "").body(), "importing the export changes nothing");

        String other = "{\"storages\":[{\"deviceID\":5000,\"path\":\"file:/tmp/rest-5000.img\",\"deviceSize\":1048576}],"
                + "\"iscsiportals\":[{\"id\":0,\"portal\":\"127.0.0.1:3260\"}],"
                + "\"iscsitargets\":{\"iqn.2026-11.io.jtgt:other\":{\"tpgts\":{\"1\":[0]},\"luns\":{\"0\":5000}}}}";
        assertEquals(200, call("POST", "/config", other).status());
        assertEquals(2, admin.configuration().storages().size(), "merged");
        assertEquals(200, api.handle(new Call("POST", List.of("config"), Map.of("replace", "true"), other)).status());
        assertEquals(List.of(5000L), admin.configuration().storages().stream().map(s -> s.deviceId()).toList(), "replaced");
        Reply broken = call("POST", "/config", "{\"storages\":[{\"deviceID\":\"x\"}]}");
        assertEquals(400, broken.status());
        assertTrue(json(broken).get("error").asText().contains("deviceID=x"), broken.body());
        refused(call("POST", "/config", ""), 400, "request body: the gotgt JSON to import is missing");
    }
}
