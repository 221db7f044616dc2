package io.jtgt.itests.karaf;

import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertFalse;
import static org.junit.Assert.assertNotEquals;
import static org.junit.Assert.assertNotNull;
import static org.junit.Assert.assertTrue;
import static org.ops4j.pax.exam.CoreOptions.options;
import static org.ops4j.pax.exam.karaf.options.KarafDistributionOption.configureConsole;
import static org.ops4j.pax.exam.karaf.options.KarafDistributionOption.editConfigurationFilePut;
import static org.ops4j.pax.exam.karaf.options.KarafDistributionOption.karafDistributionConfiguration;
import static org.ops4j.pax.exam.karaf.options.KarafDistributionOption.logLevel;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.File;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.lang.management.ManagementFactory;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.time.Duration;
import java.util.Arrays;
import java.util.Base64;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import javax.management.MBeanServer;
import javax.management.ObjectName;
import org.junit.Test;
import org.junit.runner.RunWith;
import org.ops4j.pax.exam.Configuration;
import org.ops4j.pax.exam.Option;
import org.ops4j.pax.exam.junit.PaxExam;
import org.ops4j.pax.exam.karaf.options.LogLevelOption.LogLevel;
import org.ops4j.pax.exam.spi.reactors.ExamReactorStrategy;
import org.ops4j.pax.exam.spi.reactors.PerClass;

/**
 * The REST API, /jtgt/metrics and the JMX MXBeans of the real distribution, driven over HTTP from
 * inside the container like curl would: a storage, portal, target, LUN, ACL and CHAP account made
 * through REST land in etc/ and are obeyed by real initiators (iscsi-inq, iscsi-readcapacity16,
 * qemu-io); while qemu-io holds a session, REST lists it and its statistics, Prometheus' own text
 * parser reads its counters from /metrics, the platform MBeanServer shows them; then everything
 * goes again through REST. Credentials: an admin (the group bin/jtgt's generated login gets), a
 * viewer, a user with neither role, none, and a wrong password.
 */
@RunWith(PaxExam.class)
@ExamReactorStrategy(PerClass.class)
public class RestApiIT {

    private static final String TARGET = "iqn.2026-11.io.jtgt:rest-it";
    private static final String HOST_NAME = "iqn.2026-11.org.example:rest-it-host";
    private static final String HTTP_PROPERTY = "jtgt.itest.http";
    private static final String ADMIN = "restadmin:admin-pw-1";
    private static final String VIEWER = "watcher:viewer-pw-1";
    private static final String NOBODY = "nobody:nobody-pw-1";
    private static final long WAIT_MILLIS = 60_000;
    private static final ObjectMapper JSON = new ObjectMapper();

    private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(10)).build();

    @Configuration
    public Option[] config() {
        String localRepository = System.getProperty("org.ops4j.pax.url.mvn.localRepository",
                System.getProperty("user.home") + "/.m2/repository");
        int httpPort = Await.freePort();
        return options(
                karafDistributionConfiguration()
                        .frameworkUrl(new File(System.getProperty("jtgt.distribution")).toURI().toString())
                        .name("jtgt")
                        .karafVersion("4.4.10")
                        .unpackDirectory(new File("target/exam-rest"))
                        .useDeployFolder(false),
                configureConsole().ignoreLocalConsole().ignoreRemoteShell(),
                logLevel(LogLevel.INFO),
                // Nothing of this test on the shipped ports: the default portal and HTTP move.
                editConfigurationFilePut("etc/io.jtgt.portal-default.cfg", "portal", "127.0.0.1:" + Await.freePort()),
                editConfigurationFilePut("etc/org.ops4j.pax.web.cfg", "org.osgi.service.http.port", String.valueOf(httpPort)),
                editConfigurationFilePut("etc/system.properties", HTTP_PROPERTY, String.valueOf(httpPort)),
                // admingroup is what bin/jtgt gives its generated login "jtgt".
                editConfigurationFilePut("etc/users.properties", user(ADMIN), password(ADMIN) + ",_g_:admingroup"),
                editConfigurationFilePut("etc/users.properties", user(VIEWER), password(VIEWER) + ",viewer"),
                editConfigurationFilePut("etc/users.properties", user(NOBODY), password(NOBODY) + ",ssh"),
                editConfigurationFilePut("etc/org.ops4j.pax.url.mvn.cfg", "org.ops4j.pax.url.mvn.repositories",
                        "https://repo1.maven.org/maven2@id=central"),
                editConfigurationFilePut("etc/org.ops4j.pax.url.mvn.cfg", "org.ops4j.pax.url.mvn.localRepository",
                        localRepository));
    }

    @Test
    public void credentialsAndRoles() throws Exception {
        awaitApi();
        Reply anonymous = send("GET", "/api/targets", null, null);
        assertEquals(anonymous.body, 401, anonymous.status);
        assertEquals("Basic realm=\"karaf\", charset=\"UTF-8\"", anonymous.header("WWW-Authenticate"));
        assertEquals("authentication required (HTTP Basic, realm karaf)", error(anonymous));
        Reply wrong = send("GET", "/api/targets", user(ADMIN) + ":not-the-password", null);
        assertEquals(401, wrong.status);
        assertEquals("wrong user name or password", error(wrong));
        assertNotNull(wrong.header("WWW-Authenticate"));

        String portal = "{\"id\": 9, \"portal\": \"127.0.0.1:" + Await.freePort() + "\"}";
        assertEquals("no anonymous writes", 401, send("POST", "/api/portals", null, portal).status);
        Reply viewerWrite = send("POST", "/api/portals", VIEWER, portal);
        assertEquals(viewerWrite.body, 403, viewerWrite.status);
        assertEquals("user watcher lacks role admin, which changes need", error(viewerWrite));
        assertEquals(200, send("GET", "/api/portals", VIEWER, null).status);
        assertEquals(403, send("GET", "/api/portals", NOBODY, null).status);
        assertFalse("refused writes changed nothing", send("GET", "/api/portals", ADMIN, null).body.contains("\"id\" : 9"));

        assertEquals(401, send("GET", "/metrics", null, null).status);
        assertEquals(200, send("GET", "/metrics", VIEWER, null).status);
        assertEquals(403, send("GET", "/metrics", NOBODY, null).status);
    }

    @Test
    public void restCreatesServesAndRemovesATarget() throws Exception {
        awaitApi();
        Path etc = Paths.get(System.getProperty("karaf.etc"));
        int port = Await.freePort();
        String portal = "127.0.0.1:" + port;
        String image = Paths.get(System.getProperty("karaf.data"), "jtgt", "rest-it.img").toString();
        String lunPath = "/api/targets/" + TARGET + "/luns";

        expect(201, "POST", "/api/portals", "{\"id\": 8, \"portal\": \"" + portal + "\"}");
        expect(201, "POST", "/api/storages", "{\"deviceID\": 5000, \"path\": \"file:" + image
                + "\", \"deviceSize\": 16777216, \"thinProvisioning\": true}");
        expect(201, "POST", "/api/targets", "{\"name\": \"" + TARGET + "\", \"portalGroups\": {\"1\": [8]}}");
        JsonNode mapped = expect(201, "POST", lunPath, "{\"lun\": 0, \"deviceID\": 5000}");
        assertEquals(5000, mapped.get("luns").get("0").asLong());
        assertEquals("target " + TARGET + ": lun.0=5000 is mapped already; unmap it first",
                error(send("POST", lunPath, ADMIN, "{\"lun\": 0, \"deviceID\": 5000}"), 409));
        assertEquals("target " + TARGET + ": lun.1=5001 names no storage deviceID",
                error(send("POST", lunPath, ADMIN, "{\"lun\": 1, \"deviceID\": 5001}"), 404));
        assertEquals("lun: 'zero' is not a whole number",
                error(send("POST", lunPath, ADMIN, "{\"lun\": \"zero\", \"deviceID\": 5000}"), 400));

        // File install writes etc/ on Config Admin's asynchronous events, so the files follow the answers shortly after.
        assertTrue(awaitFileContains(etc.resolve("io.jtgt.portal-8.cfg"), "portal = " + portal));
        assertTrue(awaitFileContains(etc.resolve("io.jtgt.storage-5000.cfg"), "deviceSize = 16777216"));
        Path targetCfg = etc.resolve("io.jtgt.target-iqn.2026-11.io.jtgt_rest-it.cfg");
        assertTrue(read(targetCfg), awaitFileContains(targetCfg, "lun.0 = 5000", "tpgt.1 = 8"));

        String lun0 = "iscsi://" + portal + "/" + TARGET + "/0";
        assertTrue("the LUN comes online", Await.until(WAIT_MILLIS, () -> lunState(5000).equals("ONLINE")));
        assertTrue(Programs.run("iscsi-inq", lun0).contains("DIRECT_ACCESS"));
        accessRulesAreObeyed(portal, lun0, etc);
        liveSessionStatsMetricsAndJmx(portal, lun0);

        JsonNode offline = expect(200, "POST", "/api/storages/5000/offline", "");
        assertFalse(offline.get("online").asBoolean());
        assertTrue("offline: " + lunState(5000), Await.until(WAIT_MILLIS, () -> lunState(5000).equals("OFFLINE")));
        String exported = send("GET", "/api/config", VIEWER, null).body;
        assertTrue(exported, exported.contains("\"" + TARGET + "\"") && exported.contains("\"deviceID\" : 5000"));

        assertEquals("storage 5000: is mapped to LUN 0 of " + TARGET + "; unmap it first or force the removal",
                error(send("DELETE", "/api/storages/5000", ADMIN, null), 409));
        assertEquals(204, send("DELETE", "/api/targets/" + TARGET, ADMIN, null).status);
        assertEquals(204, send("DELETE", "/api/storages/5000", ADMIN, null).status);
        assertEquals(204, send("DELETE", "/api/portals/8", ADMIN, null).status);
        assertEquals("target " + TARGET + ": does not exist", error(send("GET", "/api/targets/" + TARGET, ADMIN, null), 404));
        try (Stream<Path> files = Files.list(etc)) {
            List<String> left = files.map(p -> p.getFileName().toString())
                    .filter(n -> n.startsWith("io.jtgt.") && !n.endsWith("-default.cfg")).collect(Collectors.toList());
            assertTrue("removal deletes the .cfg files: " + left, left.isEmpty());
        }
        ObjectName lunBean = new ObjectName("io.jtgt:type=Lun,target=" + ObjectName.quote(TARGET) + ",lun=0");
        assertTrue("the LUN's MXBean goes with it", Await.until(WAIT_MILLIS, () -> !mbeans().isRegistered(lunBean)));
    }

    /** An initiator list and a CHAP account set through REST; libiscsi is let in or kept out by them. */
    private void accessRulesAreObeyed(String portal, String lun0, Path etc) throws Exception {
        String acl = "/api/acls/" + TARGET;
        expect(200, "PUT", acl + "/initiators/" + HOST_NAME, "");
        assertNotEquals("an initiator not on the list is refused", 0, Programs.attempt("iscsi-inq", lun0).exit());
        assertTrue(Programs.run("iscsi-inq", "-i", HOST_NAME, lun0).contains("DIRECT_ACCESS"));
        expect(200, "DELETE", acl + "/initiators/" + HOST_NAME, "");

        String secret = "rest-it-chap-secret";
        JsonNode rule = expect(200, "PUT", acl + "/chap", "{\"userName\": \"alice\", \"secret\": \"" + secret + "\"}");
        assertEquals("****", rule.get("secret").asText());
        for (String listing : List.of(send("GET", "/api/acls", VIEWER, null).body, send("GET", acl, ADMIN, null).body)) {
            assertFalse("no secret in a listing: " + listing, listing.contains(secret));
            assertTrue(listing, listing.contains("alice") && listing.contains("****"));
        }
        try (Stream<Path> files = Files.list(etc)) {
            assertTrue("the secret is kept in etc/io.jtgt.auth-*.cfg", files.filter(p -> p.getFileName().toString()
                    .startsWith("io.jtgt.auth-")).anyMatch(p -> read(p).contains(secret)));
        }
        assertNotEquals("CHAP is required", 0, Programs.attempt("iscsi-inq", lun0).exit());
        assertTrue(Programs.run("iscsi-inq", "iscsi://alice%" + secret + "@" + portal + "/" + TARGET + "/0")
                .contains("DIRECT_ACCESS"));
        expect(200, "DELETE", acl + "/chap", "");
        assertTrue("open again", Programs.run("iscsi-inq", lun0).contains("DIRECT_ACCESS"));
    }

    /**
     * While qemu-io holds a session: REST lists it and counts its 1 MiB in both directions, the
     * metrics text (read by Prometheus' own parser) and the LUN's MXBean show the same bytes;
     * a resize through REST reaches the initiator; a logout through REST ends the session.
     */
    private void liveSessionStatsMetricsAndJmx(String portal, String lun0) throws Exception {
        Process qemu = new ProcessBuilder("qemu-io", "--image-opts",
                "driver=iscsi,transport=tcp,portal=" + portal + ",target=" + TARGET + ",lun=0",
                "-c", "write -P 0xab 0 1M", "-c", "read -P 0xab 0 1M", "-c", "sleep 60000")
                .redirectErrorStream(true).redirectOutput(ProcessBuilder.Redirect.DISCARD).start();
        try {
            assertTrue("qemu-io wrote and read 1 MiB", Await.until(WAIT_MILLIS, () -> {
                JsonNode lun = lunStats(5000);
                return lun != null && lun.get("writeBytes").asLong() >= (1 << 20) && lun.get("readBytes").asLong() >= (1 << 20);
            }));
            JsonNode stats = lunStats(5000);
            assertTrue(stats.toString(), stats.get("writeOps").asLong() >= 1 && stats.get("errors").asLong() == 0);
            assertEquals(32, stats.get("writeLatency").get("buckets").size());
            assertTrue(stats.toString(), stats.get("writeLatency").get("totalMicros").asLong() > 0);

            JsonNode sessions = json(send("GET", "/api/sessions", VIEWER, null));
            JsonNode session = null;
            for (JsonNode s : sessions) {
                if (s.get("target").asText().equals(TARGET)) {
                    session = s;
                }
            }
            assertNotNull("qemu's session is listed: " + sessions, session);
            int tsih = session.get("tsih").asInt();
            assertEquals(portal, session.get("portalAddress").asText());
            assertTrue(session.toString(), session.get("parameters").has("MaxBurstLength"));
            JsonNode perSession = json(send("GET", "/api/stats/sessions", VIEWER, null));
            boolean counted = false;
            for (JsonNode s : perSession) {
                counted |= s.get("tsih").asInt() == tsih && s.get("writeBytes").asLong() >= (1 << 20);
            }
            assertTrue("the session's own counters: " + perSession, counted);

            String lunLabels = "{\"target\": \"" + TARGET + "\", \"lun\": \"0\", \"device_id\": \"5000\"}";
            String metrics = send("GET", "/metrics", VIEWER, null).body;
            assertTrue(metrics, metrics.contains("# TYPE jtgt_lun_write_latency_seconds histogram"));
            assertTrue("Prometheus' parser reads the LUN's written bytes:\n" + metrics,
                    Long.parseLong(prometheusSample(metrics, "jtgt_lun_write_bytes_total", lunLabels)) >= (1 << 20));
            assertTrue(Long.parseLong(prometheusSample(metrics, "jtgt_lun_write_latency_seconds_count", lunLabels)) >= 1);

            ObjectName lunBean = new ObjectName("io.jtgt:type=Lun,target=" + ObjectName.quote(TARGET) + ",lun=0");
            ObjectName sessionBean = new ObjectName("io.jtgt:type=Session,target=" + ObjectName.quote(TARGET) + ",tsih=" + tsih);
            assertTrue("the LUN's and the session's MXBeans appear",
                    Await.until(WAIT_MILLIS, () -> mbeans().isRegistered(lunBean) && mbeans().isRegistered(sessionBean)));
            assertTrue((Long) mbeans().getAttribute(lunBean, "WriteBytes") >= (1 << 20));
            assertTrue((Long) mbeans().getAttribute(lunBean, "ReadCommands") >= 1);
            assertEquals("ONLINE", mbeans().getAttribute(lunBean, "State"));
            assertTrue((Long) mbeans().getAttribute(sessionBean, "WriteBytes") >= (1 << 20));

            assertTrue(error(send("POST", "/api/storages/5000/resize", ADMIN, "{\"deviceSize\": 8388608}"), 400)
                    .contains("shrinking a LUN is refused"));
            expect(200, "POST", "/api/storages/5000/resize", "{\"deviceSize\": 33554432}");
            // 32 MiB of 512-byte blocks: the last LBA is 65535 (SBC-3 5.16).
            assertTrue("the initiator sees the new size", Await.until(WAIT_MILLIS, () -> {
                Programs.Result capacity = Programs.attempt("iscsi-readcapacity16", lun0);
                return capacity.exit() == 0 && capacity.output().contains("RETURNED LOGICAL BLOCK ADDRESS:65535");
            }));
            assertEquals((long) (32 << 20), mbeans().getAttribute(lunBean, "SizeBytes"));

            Reply logout = send("DELETE", "/api/sessions/" + tsih + "?grace=2", ADMIN, null);
            assertEquals(logout.body, 202, logout.status);
            assertTrue("the session is gone (libiscsi may come back as a new one)", Await.until(WAIT_MILLIS, () -> {
                for (JsonNode s : json(get("/api/sessions"))) {
                    if (s.get("tsih").asInt() == tsih) {
                        return false;
                    }
                }
                return true;
            }));
            assertEquals("TSIH " + tsih + ": no such session", error(send("DELETE", "/api/sessions/" + tsih, ADMIN, null), 404));
            assertTrue("the ended session's MXBean goes", Await.until(WAIT_MILLIS, () -> !mbeans().isRegistered(sessionBean)));
        } finally {
            qemu.destroyForcibly().waitFor(10, TimeUnit.SECONDS);
        }
    }

    /**
     * The value of one sample as Prometheus' own Python client parses the text (Debian's
     * python3-prometheus-client): a malformed exposition fails here.
     */
    private static String prometheusSample(String metrics, String name, String labelsJson) throws Exception {
        String script = "import sys, json\n"
                + "from prometheus_client.parser import text_string_to_metric_families\n"
                + "want = json.loads(sys.argv[2])\n"
                + "for family in text_string_to_metric_families(sys.stdin.read()):\n"
                + "    for s in family.samples:\n"
                + "        if s.name == sys.argv[1] and s.labels == want:\n"
                + "            print('%d' % s.value)\n";
        Process python = new ProcessBuilder("/usr/bin/python3", "-c", script, name, labelsJson).redirectErrorStream(true).start();
        python.getOutputStream().write(metrics.getBytes(StandardCharsets.UTF_8));
        python.getOutputStream().close();
        String out = new String(python.getInputStream().readAllBytes(), StandardCharsets.UTF_8).strip();
        assertTrue("python3 finished", python.waitFor(30, TimeUnit.SECONDS));
        assertEquals("prometheus_client parsed the text: " + out, 0, python.exitValue());
        assertFalse("no sample " + name + labelsJson, out.isEmpty());
        return out;
    }

    private static MBeanServer mbeans() {
        return ManagementFactory.getPlatformMBeanServer();
    }

    private String lunState(long deviceId) {
        for (JsonNode lun : json(get("/api/luns"))) {
            if (lun.get("deviceId").asLong() == deviceId) {
                return lun.get("state").asText();
            }
        }
        return "";
    }

    private JsonNode lunStats(long deviceId) {
        for (JsonNode lun : json(get("/api/stats/luns"))) {
            if (lun.get("deviceId").asLong() == deviceId) {
                return lun;
            }
        }
        return null;
    }

    /** A GET as the viewer, for conditions polled in lambdas. */
    private Reply get(String path) {
        try {
            return send("GET", path, VIEWER, null);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    /** The servlets register asynchronously after the boot features: wait, bounded, for an answer. */
    private void awaitApi() throws Exception {
        boolean up = Await.until(WAIT_MILLIS, () -> {
            try {
                return send("GET", "/api/", ADMIN, null).status == 200;
            } catch (IOException e) {
                return false;
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return false;
            }
        });
        assertTrue("the REST API answers within " + WAIT_MILLIS + " ms", up);
    }

    private JsonNode expect(int status, String method, String path, String body) throws Exception {
        Reply reply = send(method, path, ADMIN, body);
        assertEquals(method + " " + path + ": " + reply.body, status, reply.status);
        return json(reply);
    }

    private static JsonNode json(Reply reply) {
        try {
            return JSON.readTree(reply.body);
        } catch (IOException e) {
            throw new UncheckedIOException(reply.status + " " + reply.body, e);
        }
    }

    private static String error(Reply reply) {
        return json(reply).get("error").asText();
    }

    private static String error(Reply reply, int status) {
        assertEquals(reply.body, status, reply.status);
        assertEquals(status, json(reply).get("status").asInt());
        return error(reply);
    }

    /** One HTTP request to /jtgt{path}; {@code credentials} is user:password, or null for none. */
    private Reply send(String method, String path, String credentials, String body) throws IOException, InterruptedException {
        HttpRequest.Builder request = HttpRequest.newBuilder(URI.create("http://127.0.0.1:"
                + System.getProperty(HTTP_PROPERTY) + "/jtgt" + path)).timeout(Duration.ofSeconds(30))
                .method(method, body == null ? HttpRequest.BodyPublishers.noBody()
                        : HttpRequest.BodyPublishers.ofString(body, StandardCharsets.UTF_8));
        if (body != null) {
            request.header("Content-Type", "application/json");
        }
        if (credentials != null) {
            request.header("Authorization", "Basic "
                    + Base64.getEncoder().encodeToString(credentials.getBytes(StandardCharsets.UTF_8)));
        }
        HttpResponse<String> response = http.send(request.build(), HttpResponse.BodyHandlers.ofString());
        return new Reply(response.statusCode(), response.body(), response);
    }

    private static final class Reply {
        final int status;
        final String body;
        final HttpResponse<String> response;

        Reply(int status, String body, HttpResponse<String> response) {
            this.status = status;
            this.body = body;
            this.response = response;
        }

        String header(String name) {
            return response.headers().firstValue(name).orElse(null);
        }
    }

    private static String user(String credentials) {
        return credentials.substring(0, credentials.indexOf(':'));
    }

    private static String password(String credentials) {
        return credentials.substring(credentials.indexOf(':') + 1);
    }

    private static String read(Path file) {
        try {
            return Files.readString(file);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static boolean awaitFileContains(Path file, String... lines) throws InterruptedException {
        return Await.until(WAIT_MILLIS, () -> Files.exists(file) && Arrays.stream(lines).allMatch(read(file)::contains));
    }
}
