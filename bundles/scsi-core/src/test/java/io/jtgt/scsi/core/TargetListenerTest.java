package io.jtgt.scsi.core;

import static org.junit.jupiter.api.Assertions.assertEquals;

import io.jtgt.scsi.config.TargetDefinition;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.Test;

class TargetListenerTest {

    private static TargetDefinition target(String name, long deviceId) {
        return new TargetDefinition(name, Map.of(1, List.of(0)), Map.of(0, deviceId));
    }

    @Test
    void listenersHearOnlyRealRemovalsAndStopHearingOnceClosed() throws Exception {
        ScsiTargetService service = new ScsiTargetService();
        List<String> removed = new CopyOnWriteArrayList<>();
        AutoCloseable registration = service.addTargetListener(removed::add);

        service.putTarget(target("iqn.2026-11.io.jtgt:a", 1000));
        service.putTarget(target("iqn.2026-11.io.jtgt:a", 1001)); // an update is not a removal
        service.removeTarget("iqn.2026-11.io.jtgt:unknown");
        service.removeTarget("iqn.2026-11.io.jtgt:a");
        assertEquals(List.of("iqn.2026-11.io.jtgt:a"), removed);

        registration.close();
        service.putTarget(target("iqn.2026-11.io.jtgt:b", 1000));
        service.removeTarget("iqn.2026-11.io.jtgt:b");
        assertEquals(1, removed.size());
        service.close();
    }

    @Test
    void aFailingListenerDoesNotStopTheRemovalOrTheOthers() {
        ScsiTargetService service = new ScsiTargetService();
        List<String> removed = new CopyOnWriteArrayList<>();
        service.addTargetListener(name -> {
            throw new IllegalStateException("boom");
        });
        service.addTargetListener(removed::add);
        service.putTarget(target("iqn.2026-11.io.jtgt:c", 1000));
        service.removeTarget("iqn.2026-11.io.jtgt:c");
        assertEquals(List.of("iqn.2026-11.io.jtgt:c"), removed);
        assertEquals(0, service.allTargets().size());
        service.close();
    }
}
