package io.jtgt.scsi.core;

import static io.jtgt.scsi.testing.Harness.assertGood;
import static io.jtgt.scsi.testing.Harness.assertSense;
import static io.jtgt.scsi.testing.Harness.data;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.jtgt.scsi.api.ItNexus;
import io.jtgt.scsi.api.ManagementService.LunView;
import io.jtgt.scsi.config.StorageDefinition;
import io.jtgt.scsi.testing.Harness;
import io.jtgt.scsi.testing.MemoryBackingStore;
import io.jtgt.scsi.testing.TestCommand;
import java.util.HashMap;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** deviceSize changed on a live storage: the store grows in place and every nexus hears of it. */
class ResizeTest {

    private static final TestCommand READ_CAPACITY_10 = TestCommand.lun(0, 0x25, 0, 0, 0, 0, 0, 0, 0, 0, 0);

    @Test
    void growingKeepsTheStoreAndRaisesCapacityDataHasChangedOnEveryNexus() {
        try (Harness h = new Harness().ready()) {
            ItNexus other = h.connect();
            assertSense(Harness.run(other, TestCommand.lun(0, 0, 0, 0, 0, 0, 0)), 6, 0x29, 0); // its POWER ON
            MemoryBackingStore store = h.store();
            byte[] block = new byte[512];
            block[0] = 0x5A;
            assertGood(h.run(TestCommand.lun(0, 0x2A, 0, 0, 0, 0, 9, 0, 0, 1, 0).dataOut(block)));

            h.service.putStorage(withSize(4096L << 9));

            assertTrue(h.store() == store && !store.closed, "the same store, not closed and reopened");
            assertSense(h.run(READ_CAPACITY_10), 6, 0x2A, 0x09); // SBC-3: CAPACITY DATA HAS CHANGED
            assertSense(Harness.run(other, TestCommand.lun(0, 0, 0, 0, 0, 0, 0)), 6, 0x2A, 0x09);
            // last LBA 4095, 512-byte blocks
            assertArrayEquals(new byte[] {0, 0, 0x0F, (byte) 0xFF, 0, 0, 2, 0}, data(h.run(READ_CAPACITY_10)));
            assertEquals(0x5A, data(h.run(TestCommand.lun(0, 0x28, 0, 0, 0, 0, 9, 0, 0, 1, 0)))[0], "data kept");
            assertGood(h.run(TestCommand.lun(0, 0x2A, 0, 0, 0, 0x0F, 0xFF, 0, 0, 1, 0).dataOut(block))); // new last block
            LunView lun = h.service.luns().get(0);
            assertEquals(4096L << 9, lun.sizeBytes());
            assertEquals("ONLINE", lun.state());
        }
    }

    @Test
    void aResizeTheBackendSawElsewhereRaisesCapacityDataHasChangedOnEveryNexus() {
        try (Harness h = new Harness().ready()) {
            ItNexus other = h.connect();
            assertSense(Harness.run(other, TestCommand.lun(0, 0, 0, 0, 0, 0, 0)), 6, 0x29, 0); // its POWER ON

            h.store().resizedElsewhere(3072 << 9); // e.g. rbd resize by another client

            assertSense(h.run(READ_CAPACITY_10), 6, 0x2A, 0x09);
            assertSense(Harness.run(other, TestCommand.lun(0, 0, 0, 0, 0, 0, 0)), 6, 0x2A, 0x09);
            assertArrayEquals(new byte[] {0, 0, 0x0B, (byte) 0xFF, 0, 0, 2, 0}, data(h.run(READ_CAPACITY_10)));
            assertGood(h.run(READ_CAPACITY_10)); // reported once per nexus
        }
    }

    @Test
    void aStoreNoLongerInUseRaisesNothing() {
        try (Harness h = new Harness().ready()) {
            MemoryBackingStore old = h.store();
            h.service.putStorage(Harness.storage(1000, "mem:disk2", 2048L << 9, 9, false)); // reopened
            assertTrue(old.closed && h.store() != old);
            assertGood(h.run(READ_CAPACITY_10)); // same geometry: nothing to report
            old.resizedElsewhere(4096 << 9);
            assertArrayEquals(new byte[] {0, 0, 0x07, (byte) 0xFF, 0, 0, 2, 0}, data(h.run(READ_CAPACITY_10)),
                    "no unit attention from the old store");
        }
    }

    @Test
    void shrinkingIsRefusedAndShown() {
        try (Harness h = new Harness().ready()) {
            h.service.putStorage(withSize(1024L << 9));
            assertArrayEquals(new byte[] {0, 0, 0x07, (byte) 0xFF, 0, 0, 2, 0}, data(h.run(READ_CAPACITY_10)),
                    "no unit attention, the old capacity");
            LunView lun = h.service.luns().get(0);
            assertEquals(2048L << 9, lun.sizeBytes());
            assertEquals("ONLINE", lun.state());
            assertTrue(lun.detail().contains("shrinking is refused"), lun.detail());
        }
    }

    private static StorageDefinition withSize(long bytes) {
        Map<String, Object> props = new HashMap<>(Harness.storage(1000, "mem:disk", 2048L << 9, 9, false).toProperties());
        props.put("deviceSize", bytes);
        return StorageDefinition.fromProperties(props);
    }
}
