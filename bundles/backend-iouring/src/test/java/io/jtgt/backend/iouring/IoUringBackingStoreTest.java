package io.jtgt.backend.iouring;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import io.jtgt.scsi.spi.BackingStore;
import io.jtgt.scsi.spi.BackingStoreException;
import io.jtgt.scsi.spi.CallbackFormCheck;
import io.jtgt.scsi.spi.StorageConfig;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.CompositeByteBuf;
import io.netty.buffer.PooledByteBufAllocator;
import io.netty.buffer.Unpooled;
import java.io.RandomAccessFile;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Random;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class IoUringBackingStoreTest {

    private static final int MIB = 1 << 20;

    @TempDir
    Path dir;

    private final List<IoUringBackingStoreProvider> providers = new ArrayList<>();

    @AfterEach
    void closeProviders() {
        providers.forEach(IoUringBackingStoreProvider::close);
    }

    private IoUringBackingStoreProvider ringProvider(int depth) {
        IoUringBackingStoreProvider provider = new IoUringBackingStoreProvider(depth, 2);
        providers.add(provider);
        assumeTrue(provider.usesIoUring(), "io_uring not usable on this machine");
        return provider;
    }

    private IoUringBackingStoreProvider fallbackProvider() {
        IoUringBackingStoreProvider provider = new IoUringBackingStoreProvider(64, 1, Optional.of("forced by test"));
        providers.add(provider);
        return provider;
    }

    private static StorageConfig config(Path file, long size, Map<String, String> options) {
        return new StorageConfig(1000, "iouring", file.toString(), size, 512, true, false, options);
    }

    private static <T> T await(CompletableFuture<T> future) throws Exception {
        return future.get(10, TimeUnit.SECONDS);
    }

    private static byte[] random(int length, long seed) {
        byte[] data = new byte[length];
        new Random(seed).nextBytes(data);
        return data;
    }

    private static byte[] read(BackingStore store, long offset, int length) throws Exception {
        ByteBuf dst = PooledByteBufAllocator.DEFAULT.directBuffer(length);
        try {
            await(store.read(offset, dst, length));
            assertEquals(length, dst.readableBytes());
            byte[] out = new byte[length];
            dst.readBytes(out);
            return out;
        } finally {
            dst.release();
        }
    }

    private void roundTrip(BackingStore store) throws Exception {
        byte[] data = random(128 * 1024, 1);
        ByteBuf src = PooledByteBufAllocator.DEFAULT.directBuffer().writeBytes(data);
        try {
            await(store.write(4096, src, false));
            assertEquals(data.length, src.readableBytes(), "the reader index must not move");
        } finally {
            src.release();
        }
        assertArrayEquals(data, read(store, 4096, data.length));
        // Heap destination: goes through a bounce buffer and lands at the writer index.
        ByteBuf heap = Unpooled.buffer(8 + 4096).writeLong(42);
        await(store.read(4096, heap, 4096));
        assertEquals(8 + 4096, heap.writerIndex());
        heap.skipBytes(8);
        byte[] first = new byte[4096];
        heap.readBytes(first);
        assertArrayEquals(java.util.Arrays.copyOf(data, 4096), first);
    }

    @Test
    void createsSparseImageOfDeviceSizeAndRoundTrips() throws Exception {
        Path file = dir.resolve("sub/disk.img");
        BackingStore store = await(ringProvider(64).open(config(file, 64 * MIB, Map.of())));
        assertEquals(64 * MIB, store.size());
        assertEquals(64 * MIB, Files.size(file));
        roundTrip(store);
        assertArrayEquals(new byte[4096], read(store, 32 * MIB, 4096), "unwritten blocks read as zeros");
        await(store.close());
    }

    @Test
    void existingImageIsNeverTruncated() throws Exception {
        Path file = dir.resolve("keep.img");
        byte[] data = random(MIB, 7);
        Files.write(file, data);
        BackingStore store = await(ringProvider(64).open(config(file, 4 * MIB, Map.of())));
        assertEquals(MIB, store.size(), "the file's size wins over deviceSize");
        assertArrayEquals(data, read(store, 0, MIB));
        await(store.close());
        assertArrayEquals(data, Files.readAllBytes(file));
    }

    @Test
    void heapAndCompositeSourcesAreWritten() throws Exception {
        BackingStore store = await(ringProvider(64).open(config(dir.resolve("c.img"), 4 * MIB, Map.of())));
        byte[] a = random(4096, 2);
        byte[] b = random(8192, 3);
        CompositeByteBuf composite = Unpooled.compositeBuffer()
                .addComponent(true, Unpooled.wrappedBuffer(a))
                .addComponent(true, Unpooled.directBuffer(8192).writeBytes(b));
        try {
            await(store.write(MIB, composite, true)); // FUA: RWF_DSYNC
        } finally {
            composite.release();
        }
        byte[] both = new byte[a.length + b.length];
        System.arraycopy(a, 0, both, 0, a.length);
        System.arraycopy(b, 0, both, a.length, b.length);
        assertArrayEquals(both, read(store, MIB, both.length));
        await(store.close());
    }

    @Test
    void flushCompletesOnlyAfterTheWritesInFlight() throws Exception {
        BackingStore store = await(ringProvider(8).open(config(dir.resolve("f.img"), 16 * MIB, Map.of())));
        List<CompletableFuture<Void>> writes = new ArrayList<>();
        List<ByteBuf> buffers = new ArrayList<>();
        for (int i = 0; i < 64; i++) { // more than the queue depth: some wait outside the ring
            ByteBuf src = PooledByteBufAllocator.DEFAULT.directBuffer(64 * 1024).writeBytes(random(64 * 1024, i));
            buffers.add(src);
            writes.add(store.write((long) i * 64 * 1024, src, false));
        }
        await(store.flush());
        for (CompletableFuture<Void> w : writes) {
            assertTrue(w.isDone() && !w.isCompletedExceptionally(), "flush overtook a write");
        }
        buffers.forEach(ByteBuf::release);
        for (int i = 0; i < 64; i += 9) {
            assertArrayEquals(random(64 * 1024, i), read(store, (long) i * 64 * 1024, 64 * 1024));
        }
        await(store.close());
    }

    @Test
    void readPastEndOfAShrunkenFileGivesZeros() throws Exception {
        Path file = dir.resolve("short.img");
        BackingStore store = await(ringProvider(64).open(config(file, 2 * MIB, Map.of())));
        ByteBuf src = Unpooled.directBuffer(MIB).writeBytes(random(MIB, 5));
        await(store.write(MIB, src, false));
        src.release();
        try (RandomAccessFile raf = new RandomAccessFile(file.toFile(), "rw")) {
            raf.setLength(MIB + 1000); // someone shrank it behind our back: the read ends short
        }
        byte[] got = read(store, MIB, 8192);
        byte[] expected = new byte[8192];
        System.arraycopy(random(MIB, 5), 0, expected, 0, 1000);
        assertArrayEquals(expected, got);
        await(store.close());
    }

    @Test
    void directIoRoundTripsWithMisalignedBuffers() throws Exception {
        Map<String, String> options = new HashMap<>();
        options.put("direct", "true");
        options.put("ioUringQueueDepth", "4");
        IoUringBackingStore store = (IoUringBackingStore) await(
                ringProvider(64).open(config(dir.resolve("d.img"), 8 * MIB, options)));
        byte[] data = random(64 * 1024, 9);
        ByteBuf src = Unpooled.directBuffer(64 * 1024 + 3).writeBytes(new byte[3]).writeBytes(data);
        src.skipBytes(3); // address no longer 4 KiB aligned: must be bounced
        await(store.write(4096, src, false));
        src.release();
        assertArrayEquals(data, read(store, 4096, data.length));
        await(store.close());
    }

    @Test
    void unmapPunchesAHoleThatReadsZeros() throws Exception {
        BackingStore store = await(ringProvider(64).open(config(dir.resolve("u.img"), 8 * MIB, Map.of())));
        assumeTrue(store.capabilities().canUnmap(), "filesystem cannot punch holes");
        ByteBuf src = Unpooled.directBuffer(MIB).writeBytes(random(MIB, 11));
        await(store.write(0, src, false));
        src.release();
        await(store.unmap(0, 512 * 1024));
        assertArrayEquals(new byte[512 * 1024], read(store, 0, 512 * 1024));
        assertArrayEquals(java.util.Arrays.copyOfRange(random(MIB, 11), 512 * 1024, MIB), read(store, 512 * 1024, 512 * 1024));
        await(store.close());
    }

    @Test
    void callbackFormReportsEachIoOnce() throws Exception {
        CallbackFormCheck.reportsOncePerIo(await(ringProvider(64).open(config(dir.resolve("cb.img"), MIB, Map.of()))));
    }

    @Test
    void closedStoreRefusesIo() throws Exception {
        BackingStore store = await(ringProvider(64).open(config(dir.resolve("x.img"), MIB, Map.of())));
        await(store.close());
        ByteBuf dst = Unpooled.directBuffer(512);
        ExecutionException e = assertThrows(ExecutionException.class, () -> await(store.read(0, dst, 512)));
        assertInstanceOf(BackingStoreException.class, e.getCause());
        dst.release();
    }

    @Test
    void configurationErrorsNameTheField() throws Exception {
        IoUringBackingStoreProvider provider = fallbackProvider();
        ExecutionException depth = assertThrows(ExecutionException.class, () -> await(provider.open(
                config(dir.resolve("q.img"), MIB, Map.of("ioUringQueueDepth", "lots")))));
        assertTrue(depth.getCause().getMessage().contains("ioUringQueueDepth"), depth.getCause().getMessage());
        ExecutionException size = assertThrows(ExecutionException.class, () -> await(provider.open(
                config(dir.resolve("nosize.img"), 0, Map.of()))));
        assertTrue(size.getCause().getMessage().contains("deviceSize"), size.getCause().getMessage());
        assertFalse(Files.exists(dir.resolve("nosize.img")));
    }

    @Test
    void fallbackServesTheSameImageThroughTheFileBackend() throws Exception {
        IoUringBackingStoreProvider provider = fallbackProvider();
        assertFalse(provider.usesIoUring());
        // this backend's own options are accepted (direct is served buffered) and not passed on
        BackingStore store = await(provider.open(config(dir.resolve("fb.img"), 4 * MIB,
                Map.of("ioUringQueueDepth", "8", "direct", "true"))));
        assertEquals("io.jtgt.backend.file.FileBackingStore", store.getClass().getName());
        roundTrip(store);
        ByteBuf src = Unpooled.buffer(4096).writeBytes(random(4096, 4));
        await(store.write(0, src, true));
        await(store.flush());
        assertArrayEquals(random(4096, 4), read(store, 0, 4096));
        // thin provisioning as on a file LUN: UNMAP punches a hole that reads as zeros
        assertTrue(store.capabilities().canUnmap() && store.capabilities().canReportAllocation(), store.capabilities().toString());
        await(store.unmap(0, 4096));
        assertArrayEquals(new byte[4096], read(store, 0, 4096));
        await(store.close());
        // close() of the provider closes what the file backend still has open
        BackingStore open = await(provider.open(config(dir.resolve("fb2.img"), MIB, Map.of())));
        provider.close();
        ExecutionException refused = assertThrows(ExecutionException.class, () -> read(open, 0, 512));
        assertTrue(refused.getCause().getMessage().contains("closed"), refused.getCause().getMessage());
    }

    @Test
    void aNumaStorageGetsRingsPinnedToItsNode() throws Exception {
        int last = Math.max(0, Runtime.getRuntime().availableProcessors() - 1);
        io.jtgt.numa.NumaPlacement numa = new io.jtgt.numa.NumaPlacement(new io.jtgt.numa.NumaTopology(List.of(
                new io.jtgt.numa.NumaNode(0, new int[] {0}, 0), new io.jtgt.numa.NumaNode(1, new int[] {last}, 0))),
                new io.jtgt.numa.NumaSettings(true, 64, 65536), io.jtgt.numa.Affinity.system());
        IoUringBackingStoreProvider provider = new IoUringBackingStoreProvider(64, 2,
                IoUringAvailability.unusableReason(), numa);
        providers.add(provider);
        assumeTrue(provider.usesIoUring(), "io_uring not usable on this machine");
        IoUringBackingStore store = (IoUringBackingStore) await(provider.open(config(dir.resolve("numa.img"), MIB,
                Map.of("enableNUMA", "true", "numaNode", "1"))));
        String ringThread = null;
        for (int i = 0; i < 200 && ringThread == null; i++) { // completions run on the ring's loop
            ByteBuf dst = Unpooled.directBuffer(512);
            CompletableFuture<String> where = new CompletableFuture<>();
            store.read(0, dst, 512).whenComplete((v, t) -> where.complete(Thread.currentThread().getName()));
            String name = await(where);
            dst.release();
            if (name.startsWith("jtgt-iouring")) {
                ringThread = name;
            }
        }
        assertTrue(ringThread != null && ringThread.endsWith("-node1"), "ring thread " + ringThread);
        // submitted from a connection's io_uring loop, the I/O still runs on the node's rings
        io.netty.channel.MultiThreadIoEventLoopGroup connections = new io.netty.channel.MultiThreadIoEventLoopGroup(1,
                io.netty.channel.uring.IoUringIoHandler.newFactory());
        try {
            ByteBuf dst = Unpooled.directBuffer(512);
            int loops = store.loopCount();
            await(onLoop(connections.next(), () -> store.read(0, dst, 512)));
            dst.release();
            assertEquals(loops, store.loopCount(), "no handle on the connection's loop");
        } finally {
            connections.shutdownGracefully(0, 1, TimeUnit.SECONDS).awaitUninterruptibly(10, TimeUnit.SECONDS);
        }
        ExecutionException bad = assertThrows(ExecutionException.class, () -> await(provider.open(
                config(dir.resolve("numa9.img"), MIB, Map.of("enableNUMA", "true", "numaNode", "9")))));
        assertTrue(bad.getCause().getMessage().contains("numaNode=9"), bad.getCause().getMessage());
        await(store.close());
    }

    @Test
    void disabledByPropertyFallsBackWithOneLogLineSayingWhy() throws Exception {
        java.io.PrintStream stderr = System.err;
        java.io.ByteArrayOutputStream captured = new java.io.ByteArrayOutputStream();
        String previous = System.getProperty(IoUringAvailability.DISABLE_PROPERTY);
        System.setProperty(IoUringAvailability.DISABLE_PROPERTY, "true");
        IoUringBackingStoreProvider provider;
        try {
            System.setErr(new java.io.PrintStream(captured, true, java.nio.charset.StandardCharsets.UTF_8));
            provider = new IoUringBackingStoreProvider(64, 2); // the public constructor: real probe
            providers.add(provider);
            BackingStore store = await(provider.open(config(dir.resolve("prop.img"), MIB, Map.of())));
            roundTrip(store);
            await(store.close());
        } finally {
            System.setErr(stderr);
            if (previous == null) {
                System.clearProperty(IoUringAvailability.DISABLE_PROPERTY);
            } else {
                System.setProperty(IoUringAvailability.DISABLE_PROPERTY, previous);
            }
        }
        assertFalse(provider.usesIoUring());
        List<String> why = captured.toString(java.nio.charset.StandardCharsets.UTF_8).lines()
                .filter(l -> l.contains("falls back to the file backend's I/O")).toList();
        assertEquals(1, why.size(), "exactly one fallback line: " + why);
        assertTrue(why.get(0).contains("WARN") && why.get(0).contains("disabled by the system property jtgt.iouring.disable"),
                why.get(0));
    }

    @Test
    void queueDepthIsHonouredAndTheRestWaitsInOrder() throws Exception {
        IoUringBackingStore store = (IoUringBackingStore) await(ringProvider(64).open(
                config(dir.resolve("qd.img"), 4 * MIB, Map.of("ioUringQueueDepth", "3"))));
        byte[] data = random(256 * 1024, 21);
        ByteBuf src = Unpooled.directBuffer(data.length).writeBytes(data);
        await(store.write(0, src, false));
        src.release();
        List<CompletableFuture<Void>> reads = new ArrayList<>();
        List<ByteBuf> buffers = new ArrayList<>();
        for (int i = 0; i < 64; i++) { // far more than 2 rings x depth 3
            ByteBuf dst = Unpooled.directBuffer(4096);
            buffers.add(dst);
            reads.add(store.read((long) i * 4096, dst, 4096));
        }
        for (int i = 0; i < 64; i++) {
            await(reads.get(i));
            byte[] got = new byte[4096];
            buffers.get(i).readBytes(got);
            assertArrayEquals(java.util.Arrays.copyOfRange(data, i * 4096, (i + 1) * 4096), got, "read " + i);
            buffers.get(i).release();
        }
        assertTrue(store.peakInRing() <= 3, "peak " + store.peakInRing() + " > ioUringQueueDepth 3");
        assertEquals(3, store.peakInRing(), "64 concurrent reads fill the depth");
        await(store.close());
    }

    /**
     * A command decoded on an io_uring loop (an iSCSI connection on the io_uring transport) has its
     * I/O submitted to that loop and completed there: the answer leaves from the same thread.
     */
    @Test
    void opsFromAnIoUringLoopRunOnThatLoopAndSurviveItsEnd() throws Exception {
        IoUringBackingStore store = (IoUringBackingStore) await(ringProvider(64).open(
                config(dir.resolve("loop.img"), 4 * MIB, Map.of("ioUringQueueDepth", "8"))));
        io.netty.channel.MultiThreadIoEventLoopGroup connections = new io.netty.channel.MultiThreadIoEventLoopGroup(2,
                new io.netty.util.concurrent.DefaultThreadFactory("connection-loop", true),
                io.netty.channel.uring.IoUringIoHandler.newFactory());
        try {
            io.netty.channel.EventLoop first = connections.next();
            io.netty.channel.EventLoop second = connections.next();
            byte[] data = random(64 * 1024, 31);
            ByteBuf src = Unpooled.directBuffer(data.length).writeBytes(data);
            String firstThread = first.submit(() -> Thread.currentThread().getName()).get(10, TimeUnit.SECONDS);
            String secondThread = second.submit(() -> Thread.currentThread().getName()).get(10, TimeUnit.SECONDS);
            assertEquals(firstThread, await(onLoop(first, () -> store.write(0, src, false))));
            src.release();
            // flush from the other loop covers the write made on the first (one store, one fd)
            assertEquals(secondThread, await(onLoop(second, store::flush)));
            ByteBuf dst = Unpooled.directBuffer(data.length);
            assertEquals(secondThread, await(onLoop(second, () -> store.read(0, dst, data.length))));
            byte[] got = new byte[data.length];
            dst.readBytes(got);
            dst.release();
            assertArrayEquals(data, got);
            assertEquals(2 + 2, store.loopCount(), "the provider's two rings and the two connection loops");
        } finally {
            connections.shutdownGracefully(0, 1, TimeUnit.SECONDS).awaitUninterruptibly(10, TimeUnit.SECONDS);
        }
        // the connection loops are gone: the store serves from its own rings and closes normally
        assertArrayEquals(new byte[4096], read(store, 2 * MIB, 4096));
        await(store.close());
    }

    /**
     * I/O started on a connection loop, each from the previous one's completion, reuses the op
     * objects of that loop's ring: after 200 writes and reads, a handful were made, and every
     * block reads back what was written to it.
     */
    @Test
    void readsAndWritesOnALoopReuseTheirOps() throws Exception {
        IoUringBackingStore store = (IoUringBackingStore) await(ringProvider(64).open(
                config(dir.resolve("reuse.img"), 4 * MIB, Map.of())));
        io.netty.channel.MultiThreadIoEventLoopGroup connections = new io.netty.channel.MultiThreadIoEventLoopGroup(1,
                new io.netty.util.concurrent.DefaultThreadFactory("connection-loop", true),
                io.netty.channel.uring.IoUringIoHandler.newFactory());
        try {
            io.netty.channel.EventLoop loop = connections.next();
            CompletableFuture<Void> all = new CompletableFuture<>();
            List<String> mismatches = new java.util.concurrent.CopyOnWriteArrayList<>();
            loop.execute(() -> writeThenRead(store, 0, 100, mismatches, all));
            await(all);
            assertEquals(List.of(), mismatches);
            assertTrue(store.transfersMade() <= 4, "ops made for 200 I/Os: " + store.transfersMade());
            await(onLoop(loop, store::flush));
        } finally {
            connections.shutdownGracefully(0, 1, TimeUnit.SECONDS).awaitUninterruptibly(10, TimeUnit.SECONDS);
        }
        for (int i = 0; i < 100; i += 7) {
            assertArrayEquals(random(4096, 1000 + i), read(store, (long) i * 4096, 4096));
        }
        await(store.close());
    }

    /** Block {@code i}: write, read back, compare, then block {@code i + 1} from the read's callback. */
    private static void writeThenRead(BackingStore store, int i, int count, List<String> mismatches,
            CompletableFuture<Void> all) {
        if (i == count) {
            all.complete(null);
            return;
        }
        byte[] data = random(4096, 1000 + i);
        ByteBuf src = PooledByteBufAllocator.DEFAULT.directBuffer(4096).writeBytes(data);
        store.write((long) i * 4096, src, false, written -> {
            src.release();
            if (written != null) {
                all.completeExceptionally(written);
                return;
            }
            ByteBuf dst = PooledByteBufAllocator.DEFAULT.directBuffer(4096);
            store.read((long) i * 4096, dst, 4096, read -> {
                byte[] got = new byte[4096];
                dst.readBytes(got);
                dst.release();
                if (read != null) {
                    all.completeExceptionally(read);
                    return;
                }
                if (!java.util.Arrays.equals(data, got)) {
                    mismatches.add("block " + i);
                }
                writeThenRead(store, i + 1, count, mismatches, all);
            });
        });
    }

    /** Runs {@code io} on {@code loop}; completes with the name of the thread that saw the I/O complete. */
    private static CompletableFuture<String> onLoop(io.netty.channel.EventLoop loop,
            java.util.function.Supplier<CompletableFuture<Void>> io) {
        CompletableFuture<String> where = new CompletableFuture<>();
        loop.execute(() -> io.get().whenComplete((v, failure) -> {
            if (failure != null) {
                where.completeExceptionally(failure);
            } else {
                where.complete(Thread.currentThread().getName());
            }
        }));
        return where;
    }
}
