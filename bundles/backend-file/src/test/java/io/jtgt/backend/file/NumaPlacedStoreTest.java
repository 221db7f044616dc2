package io.jtgt.backend.file;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.jtgt.numa.Affinity;
import io.jtgt.numa.NumaNode;
import io.jtgt.numa.NumaPlacement;
import io.jtgt.numa.NumaSettings;
import io.jtgt.numa.NumaTopology;
import io.jtgt.scsi.spi.BackingStore;
import io.jtgt.scsi.spi.StorageConfig;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** A storage with enableNUMA/numaNode runs its file I/O on threads of its node. */
class NumaPlacedStoreTest {

    @TempDir
    Path dir;

    /** Two pretend nodes of one CPU each, made of this machine's CPUs 0 and (if there) 1. */
    private static NumaPlacement twoNodes() {
        int last = Math.max(0, Runtime.getRuntime().availableProcessors() - 1);
        NumaTopology topology = new NumaTopology(List.of(new NumaNode(0, new int[] {0}, 0),
                new NumaNode(1, new int[] {last}, 0)));
        return new NumaPlacement(topology, new NumaSettings(true, 64, 65536), Affinity.system());
    }

    private StorageConfig config(String name, Map<String, String> options) {
        return new StorageConfig(1000, "file", dir.resolve(name).toString(), 1 << 20, 512, true, false, options);
    }

    @Test
    void ioOfANodeStorageRunsOnThatNodesThreads() throws Exception {
        NumaPlacement numa = twoNodes();
        assertTrue(numa.active(), numa.describe());
        try (FileBackingStoreProvider provider = new FileBackingStoreProvider(2, numa)) {
            BackingStore store = provider.open(config("n1.img", Map.of("enableNUMA", "true", "numaNode", "1")))
                    .get(10, TimeUnit.SECONDS);
            String ioThread = null;
            for (int i = 0; i < 200 && ioThread == null; i++) { // the callback runs on the I/O thread unless already done
                ByteBuf dst = Unpooled.directBuffer(512);
                CompletableFuture<String> where = new CompletableFuture<>();
                store.read(0, dst, 512).whenComplete((v, t) -> where.complete(Thread.currentThread().getName()));
                String name = where.get(10, TimeUnit.SECONDS);
                dst.release();
                if (name.startsWith("jtgt-file-io")) {
                    ioThread = name;
                }
            }
            assertTrue(ioThread != null && ioThread.endsWith("-node1"), "I/O ran on " + ioThread);
            store.close().get(10, TimeUnit.SECONDS);
        }
    }

    @Test
    void aNodeThatDoesNotExistIsAConfigurationError() {
        try (FileBackingStoreProvider provider = new FileBackingStoreProvider(2, twoNodes())) {
            ExecutionException e = assertThrows(ExecutionException.class, () -> provider.open(
                    config("n9.img", Map.of("enableNUMA", "true", "numaNode", "9"))).get(10, TimeUnit.SECONDS));
            assertInstanceOf(IllegalArgumentException.class, e.getCause());
            assertTrue(e.getCause().getMessage().contains("numaNode=9"), e.getCause().getMessage());
        }
    }

    @Test
    void singleNodeMachineIgnoresTheKeys() throws Exception {
        try (FileBackingStoreProvider provider = new FileBackingStoreProvider(2, NumaPlacement.inactive())) {
            BackingStore store = provider.open(config("n0.img", Map.of("enableNUMA", "true", "numaNode", "3")))
                    .get(10, TimeUnit.SECONDS);
            assertEquals(1 << 20, store.size());
            store.close().get(10, TimeUnit.SECONDS);
        }
    }
}
