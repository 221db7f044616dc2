package io.jtgt.admin;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Hashtable;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class EtcReconciliationTest {

    private final InMemoryConfigurationAdmin configAdmin = new InMemoryConfigurationAdmin();

    @TempDir
    Path etc;

    /** A configuration as file install leaves it: read from {@code etc/<file>}, naming it. */
    private void fromFile(String factoryPid, String name, Path file, Map<String, String> props) throws IOException {
        Hashtable<String, Object> dict = new Hashtable<>(props);
        dict.put(CfgFiles.FILENAME, file.toUri().toString());
        configAdmin.getFactoryConfiguration(factoryPid, name, "?").update(dict);
    }

    @Test
    void aConfigurationWhoseFileIsGoneIsDeletedTheOthersStay() throws IOException {
        Path kept = Files.writeString(etc.resolve("io.jtgt.storage-1.cfg"), "deviceID = 1\npath = /tmp/a.img\n");
        fromFile("io.jtgt.storage", "1", kept, Map.of("deviceID", "1", "path", "/tmp/a.img"));
        fromFile("io.jtgt.storage", "2", etc.resolve("io.jtgt.storage-2.cfg"), Map.of("deviceID", "2", "path", "/tmp/b.img"));
        fromFile("io.jtgt.target", "t", etc.resolve("io.jtgt.target-t.cfg"), Map.of("name", "iqn.2026-11.io.jtgt:t"));
        // Not ours: another bundle's configuration whose file is gone is file install's business.
        fromFile("org.example.other", "x", etc.resolve("org.example.other-x.cfg"), Map.of("a", "b"));
        // Made through Config Admin only (no file ever) and imported from the JSON file: no file to miss.
        configAdmin.getFactoryConfiguration("io.jtgt.portal", "import-portal_1", "?")
                .update(new Hashtable<>(Map.of("id", "1", "portal", "127.0.0.1:3260", "jtgt.source", "import")));

        List<String> deleted = new EtcReconciliation(configAdmin, etc).run();

        assertEquals(List.of("io.jtgt.storage~2", "io.jtgt.target~t"), deleted.stream().sorted().toList());
        assertNotNull(configAdmin.properties("io.jtgt.storage~1"));
        assertNull(configAdmin.properties("io.jtgt.storage~2"));
        assertNull(configAdmin.properties("io.jtgt.target~t"));
        assertNotNull(configAdmin.properties("org.example.other~x"));
        assertNotNull(configAdmin.properties("io.jtgt.portal~import-portal_1"));
        assertEquals(List.of(), new EtcReconciliation(configAdmin, etc).run(), "a second run finds nothing");
    }

    @Test
    void aMovedDistributionKeepsItsConfigurations(@TempDir Path elsewhere) throws IOException {
        // The configuration still names the old folder; the same file is in the new etc/.
        Files.writeString(etc.resolve("io.jtgt.storage-3.cfg"), "deviceID = 3\npath = /tmp/c.img\n");
        fromFile("io.jtgt.storage", "3", elsewhere.resolve("gone/io.jtgt.storage-3.cfg"),
                Map.of("deviceID", "3", "path", "/tmp/c.img"));

        assertEquals(List.of(), new EtcReconciliation(configAdmin, etc).run());
        assertNotNull(configAdmin.properties("io.jtgt.storage~3"));
    }

    @Test
    void whatTheAdminServiceCreatesStaysUntilItsFileIsDeleted() {
        ConfigAdminService admin = new ConfigAdminService(configAdmin, etc);
        admin.createStorage(Map.of("deviceID", 7, "path", "file:/tmp/jtgt-reconcile-7.img", "deviceSize", 1 << 20));
        admin.createTarget("iqn.2026-11.io.jtgt:r", Map.of());

        assertEquals(List.of(), new EtcReconciliation(configAdmin, etc).run(), "its files were written first");
        assertEquals(1, admin.configuration().storages().size());

        etc.resolve("io.jtgt.storage-7.cfg").toFile().delete();
        assertEquals(List.of("io.jtgt.storage~7"), new EtcReconciliation(configAdmin, etc).run());
        assertEquals(0, admin.configuration().storages().size());
        assertEquals(1, admin.configuration().targets().size());
    }
}
