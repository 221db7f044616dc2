package io.jtgt.scsi.config;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.ObjectMapper;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class GotgtJsonTest {

    static final String SEED = """
            {"storages":[{"deviceID":1000,"path":"file:/var/tmp/disk.img","online":true,
              "backendType":"file","blockShift":9,"deviceSize":1073741824,"thinProvisioning":true},
              {"deviceID":2000,"path":"s3:my-bucket/iscsi/disk0","online":true,"backendType":"s3","blockShift":9,
               "deviceSize":1073741824,"thinProvisioning":false,"s3ChunkSize":4194304,
               "s3Endpoint":"http://localhost:9000","s3ForcePathStyle":true}],
             "iscsiportals":[{"id":0,"portal":"127.0.0.1:3260"}],
             "iscsitargets":{"iqn.2016-09.com.gotgt.gostor:example_tgt_0":{"tpgts":{"1":[0]},"luns":{"0":1000,"1":2000}}},
             "performance":{"enableNUMA":true,"numaBufferPoolSize":1024,"ioUringQueueDepth":4096}}
            """;

    @Test
    void readsTheSeedFormat() {
        JtgtConfiguration c = GotgtJson.parse(SEED);
        assertEquals(2, c.storages().size());
        StorageDefinition s = c.storages().get(0);
        assertEquals(1000, s.deviceId());
        assertEquals("/var/tmp/disk.img", s.location());
        assertTrue(s.thinProvisioning());
        StorageDefinition s3 = c.storages().get(1);
        assertEquals(Map.of("s3ChunkSize", "4194304", "s3Endpoint", "http://localhost:9000", "s3ForcePathStyle", "true"),
                s3.options());
        assertEquals(List.of(new PortalDefinition(0, "127.0.0.1", 3260)), c.portals());
        TargetDefinition t = c.targets().get(0);
        assertEquals("iqn.2016-09.com.gotgt.gostor:example_tgt_0", t.name());
        assertEquals(Map.of(1, List.of(0)), t.portalGroups());
        assertEquals(Map.of(0, 1000L, 1, 2000L), t.luns());
        assertEquals(Map.of("enableNUMA", true, "numaBufferPoolSize", 1024, "ioUringQueueDepth", 4096), c.performance());
    }

    @Test
    void writeRoundTripsExactly() throws Exception {
        JtgtConfiguration c = GotgtJson.parse(SEED);
        String written = GotgtJson.write(c);
        assertEquals(c, GotgtJson.parse(written));
        ObjectMapper mapper = new ObjectMapper();
        assertEquals(mapper.readTree(SEED), mapper.readTree(written), "same JSON on the seed fields");
    }

    @Test
    void plainPathGetsItsBackendTypeWritten() {
        JtgtConfiguration c = GotgtJson.parse("""
                {"storages":[{"deviceID":1,"path":"/var/tmp/disk.img","enableNUMA":true,"numaNode":0}]}""");
        JtgtConfiguration again = GotgtJson.parse(GotgtJson.write(c));
        assertEquals(c, again);
        assertEquals(Map.of("enableNUMA", "true", "numaNode", "0"), again.storages().get(0).options());
    }

    @Test
    void errorsNameFileFieldAndValue(@TempDir Path dir) throws Exception {
        Path f = dir.resolve("bad.json");
        Files.writeString(f, SEED.replace("\"blockShift\":9,\"deviceSize\":1073741824,\"thinProvisioning\":true",
                "\"blockShift\":7,\"deviceSize\":1073741824,\"thinProvisioning\":true"));
        String msg = assertThrows(ConfigException.class, () -> GotgtJson.read(f)).getMessage();
        assertEquals(f + ": storages[0]: storage 1000: blockShift=7 is out of range (9..12)", msg);
        Files.writeString(f, "{\"storages\": [");
        assertTrue(assertThrows(ConfigException.class, () -> GotgtJson.read(f)).getMessage().contains("invalid JSON"));
        assertTrue(assertThrows(ConfigException.class, () -> GotgtJson.read(dir.resolve("nope.json"))).getMessage()
                .endsWith("nope.json: file not found"));
        assertTrue(assertThrows(ConfigException.class, () -> GotgtJson.parse(SEED.replace("\"1\":2000", "\"1\":3000")))
                .getMessage().contains("luns.1=3000 names no storage deviceID"));
        assertTrue(assertThrows(ConfigException.class, () -> GotgtJson.parse(SEED.replace("\"1\":[0]", "\"1\":[5]")))
                .getMessage().contains("portal id 5"));
        assertTrue(assertThrows(ConfigException.class, () -> GotgtJson.parse("{\"storage\":[]}")).getMessage()
                .contains("\"storage\""));
        assertTrue(assertThrows(ConfigException.class, () -> GotgtJson.parse(
                "{\"storages\":[{\"deviceID\":1,\"path\":\"/a\"},{\"deviceID\":1,\"path\":\"/b\"}]}")).getMessage()
                .contains("deviceID=1 is used twice"));
    }

    @Test
    void targetLimitsAreOptionalFieldsOfATargetEntry() {
        JtgtConfiguration c = GotgtJson.parse("""
                {"iscsitargets":{"iqn.2026-11.io.jtgt:t":{"tpgts":{"1":[]},"luns":{},
                  "maxBurstLength":65536,"immediateData":false,"maxSessions":2}}}""");
        TargetDefinition t = c.targets().get(0);
        assertEquals(65536, t.limits().maxBurstLength());
        assertEquals(false, t.limits().immediateData());
        assertEquals(2, t.limits().maxSessions());
        assertEquals(c, GotgtJson.parse(GotgtJson.write(c)), "the limits are exported too");
        assertTrue(GotgtJson.write(GotgtJson.parse(SEED)).indexOf("maxBurstLength") < 0,
                "a seed file without limits is written without them");
        ConfigException e = assertThrows(ConfigException.class, () -> GotgtJson.parse("""
                {"iscsitargets":{"iqn.2026-11.io.jtgt:t":{"tpgts":{},"luns":{},"maxBurstLength":1}}}"""));
        assertTrue(e.getMessage().contains("maxBurstLength=1 is out of range"), e.getMessage());
    }

    @Test
    void numaKeysOfTheSeedAreCheckedAndKept() {
        JtgtConfiguration c = GotgtJson.parse("""
                {"performance":{"enableNUMA":true,"numaBufferPoolSize":1024,"numaBufferSize":262144},
                 "storages":[{"deviceID":1000,"path":"/var/tmp/disk.img","backendType":"iouring",
                              "enableNUMA":true,"numaNode":1}]}""");
        assertEquals(Map.of("enableNUMA", true, "numaBufferPoolSize", 1024, "numaBufferSize", 262144), c.performance());
        assertEquals(Map.of("enableNUMA", "true", "numaNode", "1"), c.storages().get(0).options());
        String node = assertThrows(ConfigException.class, () -> GotgtJson.parse(
                "{\"storages\":[{\"deviceID\":1,\"path\":\"/a\",\"numaNode\":-1}]}")).getMessage();
        assertTrue(node.contains("numaNode"), node);
        String enable = assertThrows(ConfigException.class, () -> GotgtJson.parse(
                "{\"storages\":[{\"deviceID\":1,\"path\":\"/a\",\"enableNUMA\":\"perhaps\"}]}")).getMessage();
        assertTrue(enable.contains("enableNUMA"), enable);
        String size = assertThrows(ConfigException.class, () -> GotgtJson.parse(
                "{\"performance\":{\"numaBufferSize\":12}}")).getMessage();
        assertTrue(size.contains("numaBufferSize"), size);
        String pool = assertThrows(ConfigException.class, () -> GotgtJson.parse(
                "{\"performance\":{\"numaBufferPoolSize\":\"many\"}}")).getMessage();
        assertTrue(pool.contains("numaBufferPoolSize"), pool);
    }

    @Test
    void fileIoThreadsIsCheckedAndKept() {
        assertEquals(Map.of("fileIoThreads", 8),
                GotgtJson.parse("{\"performance\":{\"fileIoThreads\":8}}").performance());
        String zero = assertThrows(ConfigException.class, () -> GotgtJson.parse(
                "{\"performance\":{\"fileIoThreads\":0}}")).getMessage();
        assertTrue(zero.contains("fileIoThreads"), zero);
    }
}
