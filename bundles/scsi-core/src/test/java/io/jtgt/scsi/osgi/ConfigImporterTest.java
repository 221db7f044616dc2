package io.jtgt.scsi.osgi;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.jtgt.scsi.config.ConfigPids;
import java.lang.reflect.Proxy;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Dictionary;
import java.util.Hashtable;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.osgi.service.cm.Configuration;
import org.osgi.service.cm.ConfigurationAdmin;

class ConfigImporterTest {

    /** An in-memory Config Admin (dynamic proxies: only what the importer calls is answered). */
    static final class FakeConfigAdmin {
        record Stored(String pid, String factoryPid, String location, Dictionary<String, Object> props) {}

        final Map<String, Stored> configs = new LinkedHashMap<>();
        int updates;
        private int counter;

        ConfigurationAdmin admin() {
            return (ConfigurationAdmin) Proxy.newProxyInstance(getClass().getClassLoader(),
                    new Class<?>[] {ConfigurationAdmin.class}, (proxy, method, args) -> switch (method.getName()) {
                        case "createFactoryConfiguration" -> {
                            String pid = args[0] + "~" + (counter++);
                            configs.put(pid, new Stored(pid, (String) args[0], (String) args[1], null));
                            yield configuration(pid);
                        }
                        case "getFactoryConfiguration" -> {
                            String pid = args[0] + "~" + args[1];
                            configs.putIfAbsent(pid, new Stored(pid, (String) args[0], (String) args[2], null));
                            yield configuration(pid);
                        }
                        case "getConfiguration" -> {
                            configs.putIfAbsent((String) args[0],
                                    new Stored((String) args[0], null, (String) args[1], null));
                            yield configuration((String) args[0]);
                        }
                        case "listConfigurations" -> {
                            List<Configuration> found = new ArrayList<>();
                            for (Stored s : configs.values()) {
                                if (s.props() != null && "import".equals(s.props().get("jtgt.source"))) {
                                    found.add(configuration(s.pid()));
                                }
                            }
                            yield found.isEmpty() ? null : found.toArray(new Configuration[0]);
                        }
                        default -> throw new UnsupportedOperationException(method.getName());
                    });
        }

        @SuppressWarnings("unchecked")
        Configuration configuration(String pid) {
            return (Configuration) Proxy.newProxyInstance(getClass().getClassLoader(), new Class<?>[] {Configuration.class},
                    (proxy, method, args) -> switch (method.getName()) {
                        case "getPid" -> pid;
                        case "getProperties" -> configs.get(pid).props();
                        case "update" -> {
                            Stored s = configs.get(pid);
                            Hashtable<String, Object> copy = new Hashtable<>();
                            Dictionary<String, Object> d = (Dictionary<String, Object>) args[0];
                            for (var k = d.keys(); k.hasMoreElements(); ) {
                                String key = k.nextElement();
                                copy.put(key, d.get(key));
                            }
                            copy.put("service.pid", pid);
                            configs.put(pid, new Stored(pid, s.factoryPid(), s.location(), copy));
                            updates++;
                            yield null;
                        }
                        case "delete" -> {
                            configs.remove(pid);
                            yield null;
                        }
                        case "hashCode" -> pid.hashCode();
                        case "equals" -> proxy == args[0];
                        default -> throw new UnsupportedOperationException(method.getName());
                    });
        }

        List<Stored> byFactory(String factoryPid) {
            return configs.values().stream().filter(s -> factoryPid.equals(s.factoryPid())).toList();
        }
    }

    private static final String FILE = """
            {"storages":[{"deviceID":1000,"path":"file:/var/tmp/disk.img","deviceSize":1048576}],
             "iscsiportals":[{"id":0,"portal":"127.0.0.1:3260"}],
             "iscsitargets":{"iqn.2026-11.io.jtgt:a":{"tpgts":{"1":[0]},"luns":{"0":1000}}},
             "performance":{"enableNUMA":false}}
            """;

    @Test
    void importsUpdatesAndPrunes(@TempDir Path dir) throws Exception {
        FakeConfigAdmin cm = new FakeConfigAdmin();
        ConfigImporter importer = new ConfigImporter(cm.admin());
        // a configuration made by hand is never touched
        Hashtable<String, Object> manual = new Hashtable<>(Map.of("deviceID", 7L, "path", "/x"));
        cm.configuration(cm.admin().createFactoryConfiguration(ConfigPids.STORAGE, "?").getPid()).update(manual);

        Path file = dir.resolve("gotgt.json");
        Files.writeString(file, FILE);
        assertTrue(importer.importFile(file));
        assertEquals(2, cm.byFactory(ConfigPids.STORAGE).size());
        FakeConfigAdmin.Stored storage = cm.byFactory(ConfigPids.STORAGE).get(1);
        assertEquals("?", storage.location(), "multi-location binding");
        assertEquals("io.jtgt.storage~import-storage_1000", storage.pid(), "a named factory configuration");
        assertEquals(1000L, storage.props().get("deviceID"));
        assertEquals("import", storage.props().get("jtgt.source"));
        assertEquals("127.0.0.1:3260", cm.byFactory(ConfigPids.PORTAL).get(0).props().get("portal"));
        assertEquals(1000L, cm.byFactory(ConfigPids.TARGET).get(0).props().get("lun.0"));
        assertEquals(false, cm.configs.get(ConfigPids.PERFORMANCE).props().get("enableNUMA"));

        int updates = cm.updates;
        assertTrue(importer.importFile(file));
        assertEquals(updates, cm.updates, "re-importing an unchanged file changes nothing");

        Files.writeString(file, FILE.replace("1048576", "2097152")
                .replace("\"iqn.2026-11.io.jtgt:a\"", "\"iqn.2026-11.io.jtgt:b\""));
        assertTrue(importer.importFile(file));
        assertEquals(2097152L, cm.byFactory(ConfigPids.STORAGE).get(1).props().get("deviceSize"));
        assertEquals(1, cm.byFactory(ConfigPids.TARGET).size(), "target a deleted, b created");
        assertEquals("iqn.2026-11.io.jtgt:b", cm.byFactory(ConfigPids.TARGET).get(0).props().get("name"));
        assertEquals("io.jtgt.target~import-target_iqn.2026-11.io.jtgt_b", cm.byFactory(ConfigPids.TARGET).get(0).pid());
        assertEquals(7L, cm.byFactory(ConfigPids.STORAGE).get(0).props().get("deviceID"));

        int before = cm.configs.size();
        Files.writeString(file, FILE.replace("\"luns\":{\"0\":1000}", "\"luns\":{\"0\":9999}"));
        assertFalse(importer.importFile(file), "a broken file");
        assertEquals(before, cm.configs.size(), "nothing half-applied");
        assertFalse(importer.importFile(dir.resolve("missing.json")));
    }
}
