package io.jtgt.scsi.osgi;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.jtgt.scsi.core.ScsiTargetService;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class StorageComponentTest {

    @Test
    void validConfigurationsReachTheServiceAndBadOnesStayOut() {
        ScsiTargetService service = new ScsiTargetService();
        TargetComponent target = new TargetComponent(service, Map.of("name", "iqn.2026-11.io.jtgt:t", "tpgt.1", "0",
                "lun.0", "1000", "lun.1", "1001", "service.pid", "io.jtgt.target~t"));
        StorageComponent good = new StorageComponent(service, new HashMap<>(Map.of("deviceID", "1000",
                "path", "/tmp/x.img", "service.pid", "io.jtgt.storage~a")));
        StorageComponent bad = new StorageComponent(service, new HashMap<>(Map.of("deviceID", "1001",
                "path", "/tmp/y.img", "blockShift", "7", "service.pid", "io.jtgt.storage~b")));
        assertEquals(List.of(0), service.luns().stream().filter(l -> l.backendType().equals("file")).map(l -> l.lun())
                .toList(), "only the valid storage exists");
        assertEquals("NO_BACKEND", service.luns().get(0).state());
        assertTrue(service.luns().get(1).detail().contains("1001"));
        bad.modified(new HashMap<>(Map.of("deviceID", "1001", "path", "/tmp/y.img", "service.pid", "io.jtgt.storage~b")));
        assertEquals("NO_BACKEND", service.luns().get(1).state(), "fixed configuration accepted");
        good.deactivate();
        bad.deactivate();
        target.deactivate();
        assertTrue(service.targets().isEmpty());
        service.close();
    }
}
