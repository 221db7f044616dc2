package io.jtgt.backend.rbd;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.jtgt.scsi.spi.BackingStore;
import io.jtgt.scsi.spi.BackingStoreException;
import io.jtgt.scsi.spi.BackingStoreException.Kind;
import io.jtgt.scsi.spi.StorageConfig;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.PooledByteBufAllocator;
import io.netty.buffer.Unpooled;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/** The RBD backing store against a real single-node Ceph cluster (scripts/ceph-cluster.sh). */
@ExtendWith(CephCluster.class)
class RbdBackingStoreIT {

    private static final long MIB = 1L << 20;
    private static final AtomicLong IMAGES = new AtomicLong();

    private final CephCluster ceph;
    private final RbdBackingStoreProvider provider = new RbdBackingStoreProvider();
    private final List<BackingStore> stores = new ArrayList<>();

    RbdBackingStoreIT(CephCluster ceph) {
        this.ceph = ceph;
    }

    @BeforeEach
    void checkNothingPending() {
        assertEquals(0, AioCompletions.pending());
    }

    @AfterEach
    void closeAll() throws Exception {
        for (BackingStore store : stores) {
            store.close().get(30, TimeUnit.SECONDS);
        }
        provider.close();
    }

    private static String newImage() {
        return "it-" + ProcessHandle.current().pid() + "-" + IMAGES.incrementAndGet();
    }

    private StorageConfig config(String image, long deviceSize, Map<String, String> extra) {
        Map<String, String> options = new HashMap<>(ceph.storageOptions());
        options.putAll(extra);
        return new StorageConfig(7, "ceph-rbd", "rbd/" + image, deviceSize, 512, true, false, options);
    }

    private BackingStore open(String image, long deviceSize) throws Exception {
        return open(config(image, deviceSize, Map.of()));
    }

    private BackingStore open(StorageConfig config) throws Exception {
        BackingStore store = provider.open(config).get(60, TimeUnit.SECONDS);
        stores.add(store);
        return store;
    }

    private static byte[] pattern(int length, long seed) {
        byte[] data = new byte[length];
        new Random(seed).nextBytes(data);
        return data;
    }

    private static byte[] read(BackingStore store, long offset, int length, boolean direct) throws Exception {
        ByteBuf dst = direct ? PooledByteBufAllocator.DEFAULT.directBuffer(length) : Unpooled.buffer(length);
        try {
            store.read(offset, dst, length).get(30, TimeUnit.SECONDS);
            assertEquals(length, dst.readableBytes());
            byte[] out = new byte[length];
            dst.readBytes(out);
            return out;
        } finally {
            dst.release();
        }
    }

    private static void write(BackingStore store, long offset, byte[] data, boolean direct, boolean fua)
            throws Exception {
        ByteBuf src = direct ? PooledByteBufAllocator.DEFAULT.directBuffer(data.length) : Unpooled.buffer(data.length);
        try {
            src.writeBytes(data);
            store.write(offset, src, fua).get(30, TimeUnit.SECONDS);
            assertEquals(data.length, src.readableBytes(), "reader index untouched");
        } finally {
            src.release();
        }
    }

    private static BackingStoreException failure(CompletableFuture<?> future) {
        ExecutionException e = assertThrows(ExecutionException.class, () -> future.get(60, TimeUnit.SECONDS));
        return assertInstanceOf(BackingStoreException.class, e.getCause());
    }

    @Test
    void createsMissingImageOfDeviceSizeAndReadsZeros() throws Exception {
        String image = newImage();
        BackingStore store = open(image, 64 * MIB);
        assertEquals(64 * MIB, store.size());
        assertTrue(ceph.rbd("info", "rbd/" + image).contains("size 64 MiB"));
        assertArrayEquals(new byte[8192], read(store, 10 * MIB, 8192, true));
        assertTrue(store.capabilities().canUnmap());
        assertEquals(4 * MIB, store.capabilities().optimalIoBytes());
    }

    @Test
    void refusesToCreateWhenNotAllowedOrWithoutSize() {
        BackingStoreException refused = failure(provider.open(config(newImage(), 64 * MIB,
                Map.of(RbdSettings.CREATE_IMAGE, "false"))));
        assertEquals(Kind.UNAVAILABLE, refused.kind());
        assertTrue(refused.getMessage().contains("createImage=false"), refused.getMessage());

        BackingStoreException noSize = failure(provider.open(config(newImage(), 0, Map.of())));
        assertTrue(noSize.getMessage().contains("deviceSize"), noSize.getMessage());
    }

    @Test
    void writesAndReadsBackThroughDirectAndHeapBuffers() throws Exception {
        BackingStore store = open(newImage(), 64 * MIB);
        byte[] a = pattern(64 * 1024, 1);
        byte[] b = pattern(4096, 2);
        write(store, 4 * MIB - 8192, a, true, false); // crosses an object boundary
        write(store, 33 * MIB, b, false, true); // heap buffer (staged), FUA
        store.flush().get(30, TimeUnit.SECONDS);
        assertArrayEquals(a, read(store, 4 * MIB - 8192, a.length, false));
        assertArrayEquals(b, read(store, 33 * MIB, b.length, true));
    }

    @Test
    void dataIsInTheImageAsTheRbdCliSeesIt() throws Exception {
        String image = newImage();
        BackingStore store = open(image, 16 * MIB);
        byte[] data = pattern(1 << 20, 3);
        write(store, 2 * MIB, data, true, true);
        java.nio.file.Path exported = java.nio.file.Files.createTempFile("rbd-export", ".img");
        try {
            java.nio.file.Files.delete(exported);
            ceph.rbd("export", "rbd/" + image, exported.toString());
            byte[] all = java.nio.file.Files.readAllBytes(exported);
            assertEquals(16 * MIB, all.length);
            assertArrayEquals(data, java.util.Arrays.copyOfRange(all, (int) (2 * MIB), (int) (3 * MIB)));
        } finally {
            java.nio.file.Files.deleteIfExists(exported);
        }
    }

    @Test
    void manyConcurrentWritesThenReads() throws Exception {
        BackingStore store = open(newImage(), 64 * MIB);
        int count = 64;
        int size = 16 * 1024;
        List<CompletableFuture<Void>> writes = new ArrayList<>();
        List<ByteBuf> buffers = new ArrayList<>();
        for (int i = 0; i < count; i++) {
            ByteBuf src = PooledByteBufAllocator.DEFAULT.directBuffer(size).writeBytes(pattern(size, 100 + i));
            buffers.add(src);
            writes.add(store.write((long) i * 997 * 4096 % (60 * MIB) / 4096 * 4096, src, false));
        }
        CompletableFuture.allOf(writes.toArray(CompletableFuture[]::new)).get(60, TimeUnit.SECONDS);
        buffers.forEach(ByteBuf::release);
        for (int i = 0; i < count; i++) {
            long offset = (long) i * 997 * 4096 % (60 * MIB) / 4096 * 4096;
            assertArrayEquals(pattern(size, 100 + i), read(store, offset, size, i % 2 == 0), "write " + i);
        }
        assertEquals(0, AioCompletions.pending());
    }

    @Test
    void unmapReadsBackZerosIncludingPartialObjects() throws Exception {
        BackingStore store = open(newImage(), 64 * MIB);
        byte[] data = pattern(5 * (int) MIB, 4);
        write(store, 0, data, true, false);
        store.unmap(4096, 8192).get(30, TimeUnit.SECONDS); // inside one object: zeroed, not skipped
        store.unmap(0 + 4 * MIB, 1 * MIB).get(30, TimeUnit.SECONDS); // the tail object, whole
        byte[] back = read(store, 0, data.length, true);
        for (int i = 0; i < data.length; i++) {
            boolean unmapped = (i >= 4096 && i < 4096 + 8192) || i >= 4 * MIB;
            assertEquals(unmapped ? 0 : data[i], back[i], "byte " + i);
        }
    }

    @Test
    void sizeFollowsAResizeMadeElsewhere() throws Exception {
        String image = newImage();
        BackingStore store = open(image, 32 * MIB);
        ceph.rbd("resize", "--size", "48M", "rbd/" + image);
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
        while (store.size() != 48 * MIB && System.nanoTime() < deadline) {
            Thread.sleep(50);
        }
        assertEquals(48 * MIB, store.size(), "header watch saw the resize");
        byte[] data = pattern(4096, 5);
        write(store, 47 * MIB, data, true, true);
        assertArrayEquals(data, read(store, 47 * MIB, 4096, true));
    }

    @Test
    void resizeGrowsTheImageAndRefusesToShrink() throws Exception {
        String image = newImage();
        BackingStore store = open(image, 16 * MIB);
        byte[] data = pattern(4096, 11);
        write(store, 15 * MIB, data, true, true);
        store.resize(40 * MIB).get(30, TimeUnit.SECONDS);
        assertEquals(40 * MIB, store.size());
        assertTrue(ceph.rbd("info", "rbd/" + image).contains("size 40 MiB"));
        assertArrayEquals(new byte[4096], read(store, 39 * MIB, 4096, true), "the new range reads zeros");
        assertArrayEquals(data, read(store, 15 * MIB, 4096, true));
        store.resize(40 * MIB).get(30, TimeUnit.SECONDS); // same size: no change
        assertEquals(Kind.UNSUPPORTED, failure(store.resize(8 * MIB)).kind());
        assertEquals(40 * MIB, store.size());
    }

    @Test
    void opensAnExistingImageAndTwoStoresAtOnce() throws Exception {
        String image = newImage();
        ceph.rbd("create", "--size", "8M", "rbd/" + image);
        BackingStore existing = open(config(image, 0, Map.of(RbdSettings.CREATE_IMAGE, "false")));
        assertEquals(8 * MIB, existing.size());
        BackingStore other = open(newImage(), 8 * MIB);
        byte[] a = pattern(4096, 6);
        byte[] b = pattern(4096, 7);
        write(existing, 0, a, true, false);
        write(other, 0, b, true, false);
        assertArrayEquals(a, read(existing, 0, 4096, true));
        assertArrayEquals(b, read(other, 0, 4096, true));
    }

    @Test
    void missingPoolIsUnavailableAndBadPathIsAConfigError() throws Exception {
        StorageConfig noPool = new StorageConfig(7, "ceph-rbd", "nosuchpool/x", MIB, 512, true, false,
                ceph.storageOptions());
        BackingStoreException missing = failure(provider.open(noPool));
        assertEquals(Kind.UNAVAILABLE, missing.kind());
        assertTrue(missing.getMessage().contains("nosuchpool"), missing.getMessage());

        StorageConfig bad = new StorageConfig(7, "ceph-rbd", "justanimage", MIB, 512, true, false,
                ceph.storageOptions());
        ExecutionException e = assertThrows(ExecutionException.class, () -> provider.open(bad).get(5, TimeUnit.SECONDS));
        assertInstanceOf(IllegalArgumentException.class, e.getCause());
    }

    @Test
    void aStoppedOsdTimesOutAsUnavailableAndTheStoreRecoversAfterwards() throws Exception {
        BackingStore store = open(config(newImage(), 16 * MIB, Map.of("rados_osd_op_timeout", "3")));
        byte[] before = pattern(4096, 8);
        write(store, 0, before, true, true);
        long osd = ceph.osdPid();
        ceph.run(10, "kill", "-STOP", String.valueOf(osd));
        try {
            ByteBuf src = PooledByteBufAllocator.DEFAULT.directBuffer(4096).writeBytes(pattern(4096, 9));
            try {
                long t0 = System.nanoTime();
                // The write is indeterminate once it timed out: reported failed, may still land.
                BackingStoreException timedOut = failure(store.write(8192, src, true));
                double seconds = (System.nanoTime() - t0) / 1e9;
                assertEquals(Kind.UNAVAILABLE, timedOut.kind(), timedOut.getMessage());
                assertTrue(timedOut.getMessage().contains("ETIMEDOUT"), timedOut.getMessage());
                assertTrue(seconds < 20, "bounded wait, took " + seconds + " s");
            } finally {
                src.release();
            }
        } finally {
            ceph.run(10, "kill", "-CONT", String.valueOf(osd));
        }
        byte[] after = pattern(4096, 10);
        write(store, 16384, after, true, true);
        assertArrayEquals(after, read(store, 16384, 4096, true));
        assertArrayEquals(before, read(store, 0, 4096, true));
    }
}
