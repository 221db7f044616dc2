package io.jtgt.scsi.core;

import static io.jtgt.scsi.testing.Harness.assertGood;
import static io.jtgt.scsi.testing.Harness.assertSense;
import static io.jtgt.scsi.testing.Harness.data;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.jtgt.scsi.api.ItNexus;
import io.jtgt.scsi.api.NexusInfo;
import io.jtgt.scsi.api.ScsiResponse;
import io.jtgt.scsi.api.TaskAttribute;
import io.jtgt.scsi.config.StorageDefinition;
import io.jtgt.scsi.config.TargetDefinition;
import io.jtgt.scsi.spi.AllocationRun;
import io.jtgt.scsi.spi.BackingStore;
import io.jtgt.scsi.spi.BackingStoreProvider;
import io.jtgt.scsi.spi.Capabilities;
import io.jtgt.scsi.spi.StorageConfig;
import io.jtgt.scsi.testing.Harness;
import io.jtgt.scsi.testing.MemoryBackingStore;
import io.jtgt.scsi.testing.TestCommand;
import io.netty.buffer.ByteBuf;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * A LUN removed while commands are in flight on it (a forced lun-unmap, its storage or its target
 * removed): every one of them ends with CHECK CONDITION, ILLEGAL REQUEST, LOGICAL UNIT NOT
 * SUPPORTED (25h/00h) — one still waiting in the task set never runs, one running is answered once
 * its backend I/O ended — and every nexus of the target hears REPORTED LUNS DATA HAS CHANGED
 * (3Fh/0Eh) on the LUNs that stay. Commands on LUNs the change does not concern finish as usual.
 */
class LunRemovalTest {

    private static final String TARGET = "iqn.2026-11.io.jtgt:removal";
    private static final TestCommand TEST_UNIT_READY = TestCommand.lun(0, 0, 0, 0, 0, 0, 0);

    private final ScsiTargetService service = new ScsiTargetService();
    private final HeldProvider provider = new HeldProvider();

    LunRemovalTest() {
        service.addProvider(provider);
        service.putStorage(held(1000));
        service.putStorage(held(1001));
        service.putTarget(new TargetDefinition(TARGET, Map.of(1, List.of(0)), Map.of(0, 1000L, 1, 1001L)));
        assertTrue(service.luns().stream().allMatch(l -> "ONLINE".equals(l.state())), service.luns().toString());
    }

    private static StorageDefinition held(long deviceId) {
        return StorageDefinition.fromProperties(Map.of(StorageDefinition.DEVICE_ID, deviceId, StorageDefinition.PATH,
                "disk" + deviceId, StorageDefinition.BACKEND_TYPE, "held", StorageDefinition.DEVICE_SIZE, 2048L << 9));
    }

    @AfterEach
    void close() {
        provider.release();
        service.close();
    }

    private ItNexus connect(long isid) {
        ItNexus n = service.target(TARGET).orElseThrow().connect(new NexusInfo("iqn.1994-05.com.example:init", isid,
                1, 1, "127.0.0.1:50000", "127.0.0.1:3260", Map::of, () -> 0));
        for (int lun : new int[] {0, 1}) {
            assertSense(Harness.run(n, TestCommand.lun(lun, 0, 0, 0, 0, 0, 0)), 6, 0x29, 0); // POWER ON
        }
        return n;
    }

    private static TestCommand write(int lun, int lba, byte fill) {
        byte[] block = new byte[512];
        Arrays.fill(block, fill);
        return TestCommand.lun(lun, 0x2A, 0, 0, 0, 0, lba, 0, 0, 1, 0).dataOut(block);
    }

    private static TestCommand read(int lun, int lba) {
        return TestCommand.lun(lun, 0x28, 0, 0, 0, 0, lba, 0, 0, 1, 0).expect(512);
    }

    private static ScsiResponse await(CompletableFuture<ScsiResponse> f) throws Exception {
        return f.get(5, TimeUnit.SECONDS);
    }

    private void unmapLunZero() {
        service.putTarget(new TargetDefinition(TARGET, Map.of(1, List.of(0)), Map.of(1, 1001L)));
    }

    @Test
    void runningCommandsEndWithLogicalUnitNotSupportedOnceTheirIoEnded() throws Exception {
        ItNexus nexus = connect(1);
        ItNexus other = connect(2);
        assertGood(Harness.run(nexus, write(0, 7, (byte) 0x5A))); // acknowledged before the removal
        provider.hold();
        CompletableFuture<ScsiResponse> writing = nexus.execute(write(0, 8, (byte) 0x66));
        CompletableFuture<ScsiResponse> reading = other.execute(read(0, 7));
        CompletableFuture<ScsiResponse> otherLun = nexus.execute(read(1, 0));

        unmapLunZero();
        assertFalse(writing.isDone() || reading.isDone(), "no answer while the backend still has the I/O");
        provider.release();

        assertSense(await(writing), 5, 0x25, 0);
        ScsiResponse read = await(reading);
        assertSense(read, 5, 0x25, 0);
        assertEquals(null, read.data(), "the Data-In of a task whose LUN went is dropped");
        assertGood(await(otherLun)); // the change does not concern LUN 1
        // Both nexuses hear of the new inventory on the LUN that stays (SPC-4 6.33), once.
        assertSense(Harness.run(nexus, TestCommand.lun(1, 0, 0, 0, 0, 0, 0)), 6, 0x3F, 0x0E);
        assertSense(Harness.run(other, TestCommand.lun(1, 0, 0, 0, 0, 0, 0)), 6, 0x3F, 0x0E);
        assertGood(Harness.run(nexus, TestCommand.lun(1, 0, 0, 0, 0, 0, 0)));
        assertSense(Harness.run(nexus, TEST_UNIT_READY), 5, 0x25, 0);

        // Mapped again, the unit still holds what was acknowledged.
        service.putTarget(new TargetDefinition(TARGET, Map.of(1, List.of(0)), Map.of(0, 1000L, 1, 1001L)));
        assertSense(Harness.run(nexus, read(0, 7)), 6, 0x3F, 0x0E);
        byte[] kept = data(Harness.run(nexus, read(0, 7)));
        byte[] expected = new byte[512];
        Arrays.fill(expected, (byte) 0x5A);
        assertArrayEquals(expected, kept);
    }

    @Test
    void aTaskStillWaitingInTheTaskSetNeverRuns() throws Exception {
        ItNexus nexus = connect(1);
        provider.hold();
        CompletableFuture<ScsiResponse> running = nexus.execute(write(0, 1, (byte) 0x11));
        CompletableFuture<ScsiResponse> ordered = nexus.execute(write(0, 2, (byte) 0x22).attribute(TaskAttribute.ORDERED));
        assertFalse(ordered.isDone());

        unmapLunZero();
        provider.release();

        assertSense(await(running), 5, 0x25, 0);
        assertSense(await(ordered), 5, 0x25, 0);
        byte[] lba2 = Arrays.copyOfRange(provider.stores.get(1000L).bytes(), 2 * 512, 3 * 512);
        assertArrayEquals(new byte[512], lba2, "the ORDERED WRITE, enabled after its LUN went, wrote nothing");
        assertEquals(0, service.device(1000).taskSet().running());
    }

    @Test
    void removingTheStorageOrTheTargetEndsItsTasksToo() throws Exception {
        ItNexus nexus = connect(1);
        provider.hold();
        CompletableFuture<ScsiResponse> onRemovedStorage = nexus.execute(read(1, 0));
        service.removeStorage(1001);
        provider.release();
        assertSense(await(onRemovedStorage), 5, 0x25, 0);
        assertSense(Harness.run(nexus, TEST_UNIT_READY), 6, 0x3F, 0x0E);

        provider.hold();
        CompletableFuture<ScsiResponse> onRemovedTarget = nexus.execute(read(0, 0));
        service.removeTarget(TARGET);
        provider.release();
        assertSense(await(onRemovedTarget), 5, 0x25, 0);
    }

    @Test
    void changesThatDoNotRemoveTheLunLetItsTasksFinish() throws Exception {
        ItNexus nexus = connect(1);
        service.putStorage(held(1002));
        provider.hold();
        CompletableFuture<ScsiResponse> writing = nexus.execute(write(0, 3, (byte) 0x33));
        // Another LUN added and removed, the unit's own definition changed in deviceSize only.
        service.putTarget(new TargetDefinition(TARGET, Map.of(1, List.of(0)), Map.of(0, 1000L, 1, 1001L, 2, 1002L)));
        service.putTarget(new TargetDefinition(TARGET, Map.of(1, List.of(0)), Map.of(0, 1000L, 1, 1001L)));
        provider.release();
        assertGood(await(writing));
        assertEquals(0x33, provider.stores.get(1000L).bytes()[3 * 512]);
    }

    /** Opens MemoryBackingStores whose reads and writes complete only while not held. */
    private static final class HeldProvider implements BackingStoreProvider {
        final Map<Long, MemoryBackingStore> stores = new java.util.concurrent.ConcurrentHashMap<>();
        private volatile CompletableFuture<Void> gate = CompletableFuture.completedFuture(null);

        void hold() {
            gate = new CompletableFuture<>();
        }

        void release() {
            gate.complete(null);
        }

        @Override
        public String backendType() {
            return "held";
        }

        @Override
        public CompletableFuture<BackingStore> open(StorageConfig config) {
            MemoryBackingStore memory = new MemoryBackingStore((int) config.deviceSize(), config.blockSize(),
                    Capabilities.BASIC);
            stores.put(config.deviceId(), memory);
            return CompletableFuture.completedFuture(new BackingStore() {
                @Override
                public long size() {
                    return memory.size();
                }

                @Override
                public Capabilities capabilities() {
                    return memory.capabilities();
                }

                @Override
                public CompletableFuture<Void> read(long offset, ByteBuf dst, int length) {
                    return gate.thenCompose(v -> memory.read(offset, dst, length));
                }

                @Override
                public CompletableFuture<Void> write(long offset, ByteBuf src, boolean fua) {
                    return gate.thenCompose(v -> memory.write(offset, src, fua));
                }

                @Override
                public CompletableFuture<Void> flush() {
                    return gate.thenCompose(v -> memory.flush());
                }

                @Override
                public CompletableFuture<AllocationRun> allocation(long offset, long length) {
                    return memory.allocation(offset, length);
                }

                @Override
                public CompletableFuture<Void> close() {
                    return gate.thenCompose(v -> memory.close()); // after the I/O in flight, as the SPI asks
                }
            });
        }
    }
}
