package io.jtgt.scsi.core;

import static io.jtgt.scsi.testing.Harness.assertGood;
import static io.jtgt.scsi.testing.Harness.assertSense;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.jtgt.scsi.api.ItNexus;
import io.jtgt.scsi.api.ManagementService.LunView;
import io.jtgt.scsi.api.NexusInfo;
import io.jtgt.scsi.config.TargetDefinition;
import io.jtgt.scsi.spi.Capabilities;
import io.jtgt.scsi.testing.Harness;
import io.jtgt.scsi.testing.MemoryProvider;
import io.jtgt.scsi.testing.TestCommand;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

class ProviderLifecycleTest {

    private static final String TARGET = "iqn.2026-11.io.jtgt:life";
    private ScsiTargetService service;
    private ItNexus nexus;

    @BeforeEach
    void setUp() {
        service = new ScsiTargetService();
        service.putStorage(Harness.storage(1000, "disk", 1 << 20, 9, false));
        service.putTarget(new TargetDefinition(TARGET, Map.of(1, List.of(0)), Map.of(0, 1000L)));
        nexus = service.target(TARGET).orElseThrow().connect(new NexusInfo("iqn.1994-05.com.example:i", 1, 1, 1,
                "127.0.0.1:1", "127.0.0.1:3260", Map::of, () -> 0));
        assertSense(Harness.run(nexus, tur()), 6, 0x29, 0);
    }

    @AfterEach
    void tearDown() {
        nexus.close();
        service.close();
    }

    private static TestCommand tur() {
        return TestCommand.lun(0, 0, 0, 0, 0, 0, 0);
    }

    private LunView lun() {
        return service.luns().get(0);
    }

    @Test
    void notReadyUntilTheProviderComesThenOnlineThenNotReadyAgain() {
        assertSense(Harness.run(nexus, tur()), 2, 0x04, 0x03);
        assertEquals("NO_BACKEND", lun().state());
        // INQUIRY still answers, the LUN exists, and its block pages describe no optional limits yet
        assertGood(Harness.run(nexus, TestCommand.lun(0, 0x12, 0, 0, 0, 36, 0)));
        byte[] limits = Harness.data(Harness.run(nexus, TestCommand.lun(0, 0x12, 1, 0xB0, 0, 64, 0)));
        assertEquals(64, limits.length);
        assertEquals(0, limits[23], "no UNMAP limits without a store");
        byte[] lbp = Harness.data(Harness.run(nexus, TestCommand.lun(0, 0x12, 1, 0xB2, 0, 64, 0)));
        assertEquals(0, lbp[5]);
        MemoryProvider p = new MemoryProvider("mem", Capabilities.BASIC);
        p.hold();
        service.addProvider(p);
        assertEquals("OPENING", lun().state());
        assertSense(Harness.run(nexus, tur()), 2, 0x04, 0x01);
        p.release();
        assertGood(Harness.run(nexus, tur()));
        assertEquals("ONLINE", lun().state());
        assertEquals(1 << 20, lun().sizeBytes());
        service.removeProvider(p);
        assertTrue(p.stores.get(1000L).closed, "store closed with its provider");
        assertSense(Harness.run(nexus, tur()), 2, 0x04, 0x03);
        assertEquals("NO_BACKEND", lun().state());
        MemoryProvider again = new MemoryProvider("mem", Capabilities.BASIC);
        service.addProvider(again);
        assertGood(Harness.run(nexus, tur()));
    }

    @Test
    void openFailureIsVisibleAndNotThrown() {
        service.putStorage(Harness.storage(1000, "missing.img", 1 << 20, 9, false));
        service.addProvider(new MemoryProvider("mem", Capabilities.BASIC));
        assertEquals("FAILED", lun().state());
        assertTrue(lun().detail().contains("no such file"), lun().detail());
        assertSense(Harness.run(nexus, tur()), 2, 0x4C, 0x00);
        byte[] sense = Harness.data(Harness.run(nexus, TestCommand.lun(0, 0x03, 0, 0, 0, 18, 0)));
        assertEquals(0x4C, sense[12], "REQUEST SENSE tells why");
    }

    @Test
    void offlineStorageIsConfiguredButNotReady() {
        service.addProvider(new MemoryProvider("mem", Capabilities.BASIC));
        assertGood(Harness.run(nexus, tur()));
        service.putStorage(Harness.storage(1000, "disk", 1 << 20, 9, false).withOnline(false));
        assertSense(Harness.run(nexus, tur()), 2, 0x04, 0x03);
        assertEquals("OFFLINE", lun().state());
        service.putStorage(Harness.storage(1000, "disk", 1 << 20, 9, false));
        assertGood(Harness.run(nexus, tur()));
    }

    @Test
    void resizedStorageRaisesCapacityDataHasChanged() {
        service.addProvider(new MemoryProvider("mem", Capabilities.BASIC));
        assertGood(Harness.run(nexus, tur()));
        service.putStorage(Harness.storage(1000, "disk", 2 << 20, 9, false));
        assertSense(Harness.run(nexus, tur()), 6, 0x2A, 0x09);
        assertGood(Harness.run(nexus, tur()));
        service.putStorage(Harness.storage(1000, "disk", 2 << 20, 9, false).withOnline(false));
        service.putStorage(Harness.storage(1000, "disk", 2 << 20, 9, false));
        assertGood(Harness.run(nexus, tur())); // same geometry after restarting the store: no unit attention
    }

    @Test
    void removedStorageAndTargetDisappear() {
        service.addProvider(new MemoryProvider("mem", Capabilities.BASIC));
        service.removeStorage(1000);
        assertSense(Harness.run(nexus, tur()), 5, 0x25, 0);
        service.removeTarget(TARGET);
        assertTrue(service.target(TARGET).isEmpty());
        assertEquals(0, service.targets().size());
    }
}
