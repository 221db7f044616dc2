package io.jtgt.scsi.core;

import static org.junit.jupiter.api.Assertions.assertEquals;

import io.jtgt.scsi.config.StorageDefinition;
import io.jtgt.scsi.config.TargetDefinition;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** A target names a NUMA node only when every LUN's storage asks for that same node. */
class TargetNumaNodeTest {

    private static StorageDefinition storage(long id, Object enableNuma, Object node) {
        Map<String, Object> props = new HashMap<>();
        props.put("deviceID", id);
        props.put("path", "file:/tmp/jtgt-numa-" + id + ".img"); // never opened: no provider is registered
        if (enableNuma != null) {
            props.put("enableNUMA", enableNuma);
        }
        if (node != null) {
            props.put("numaNode", node);
        }
        return StorageDefinition.fromProperties(props);
    }

    private static int nodeOf(ScsiTargetService service, Map<Integer, Long> luns) {
        service.putTarget(new TargetDefinition("iqn.2026-11.io.jtgt:numa", Map.of(1, List.of(0)), luns));
        return service.target("iqn.2026-11.io.jtgt:numa").orElseThrow().numaNode();
    }

    @Test
    void theNodeIsTheOneEveryStorageAsksFor() {
        ScsiTargetService service = new ScsiTargetService();
        try {
            service.putStorage(storage(1, true, 1));
            service.putStorage(storage(2, "true", "1"));
            service.putStorage(storage(3, true, null)); // enableNUMA alone: node 0
            service.putStorage(storage(4, false, 1)); // a node without enableNUMA asks for nothing
            service.putStorage(storage(5, null, null));
            assertEquals(0, storage(3, true, null).numaNode());
            assertEquals(-1, storage(4, false, 1).numaNode());

            assertEquals(1, nodeOf(service, Map.of(0, 1L, 1, 2L)));
            assertEquals(0, nodeOf(service, Map.of(0, 3L)));
            assertEquals(-1, nodeOf(service, Map.of(0, 1L, 1, 3L)), "two nodes");
            assertEquals(-1, nodeOf(service, Map.of(0, 1L, 1, 4L)), "one storage without a node");
            assertEquals(-1, nodeOf(service, Map.of(0, 5L)));
            assertEquals(-1, nodeOf(service, Map.of(0, 1L, 1, 99L)), "a LUN whose storage is not defined");
            assertEquals(-1, nodeOf(service, Map.of()), "no LUNs");
        } finally {
            service.close();
        }
    }
}
