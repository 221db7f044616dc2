package io.jtgt.backend.file;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.jtgt.scsi.spi.AllocationRun;
import io.jtgt.scsi.spi.BackingStore;
import io.jtgt.scsi.spi.CallbackFormCheck;
import io.jtgt.scsi.spi.BackingStoreException;
import io.jtgt.scsi.spi.StorageConfig;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.CompositeByteBuf;
import io.netty.buffer.PooledByteBufAllocator;
import io.netty.buffer.Unpooled;
import java.io.RandomAccessFile;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Random;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class FileBackingStoreTest {

    private static final int MIB = 1 << 20;

    @TempDir
    Path dir;

    private FileBackingStoreProvider provider;

    @BeforeEach
    void startProvider() {
        provider = new FileBackingStoreProvider(4);
    }

    @AfterEach
    void closeProvider() {
        provider.close();
    }

    private static StorageConfig config(Path path, long deviceSize, boolean thin, boolean readOnly) {
        return new StorageConfig(1000, "file", path.toString(), deviceSize, 512, thin, readOnly, Map.of());
    }

    private static <T> T await(Future<T> future) throws Exception {
        return future.get(30, TimeUnit.SECONDS);
    }

    private static Throwable failureOf(CompletableFuture<?> future) {
        ExecutionException e = assertThrows(ExecutionException.class, () -> future.get(30, TimeUnit.SECONDS));
        return e.getCause();
    }

    private static byte[] pattern(int length, long seed) {
        byte[] bytes = new byte[length];
        new Random(seed).nextBytes(bytes);
        return bytes;
    }

    private static byte[] read(BackingStore store, long offset, int length) throws Exception {
        ByteBuf dst = PooledByteBufAllocator.DEFAULT.directBuffer(length);
        try {
            await(store.read(offset, dst, length));
            assertEquals(length, dst.readableBytes());
            byte[] bytes = new byte[length];
            dst.readBytes(bytes);
            return bytes;
        } finally {
            dst.release();
        }
    }

    private static void write(BackingStore store, long offset, byte[] data, boolean fua) throws Exception {
        ByteBuf src = PooledByteBufAllocator.DEFAULT.directBuffer(data.length).writeBytes(data);
        try {
            await(store.write(offset, src, fua));
            assertEquals(0, src.readerIndex(), "write must not move the reader index");
        } finally {
            src.release();
        }
    }

    @Test
    void createsMissingFileSparseWithParentDirectories() throws Exception {
        Path path = dir.resolve("a/b/disk.img");
        BackingStore store = await(provider.open(config(path, 64L * MIB, true, false)));
        assertEquals(64L * MIB, Files.size(path));
        assertEquals(64L * MIB, store.size());
        assertEquals(new AllocationRun(0, 64L * MIB, false), await(store.allocation(0, 64L * MIB)),
                "a new thin device has no allocated block");
        assertEquals(0, allocatedBlocks(path));
        await(store.close());
    }

    @Test
    void fullyProvisionedDeviceIsPreallocated() throws Exception {
        Path path = dir.resolve("thick.img");
        await(provider.open(config(path, 8L * MIB, false, false))).close().get(30, TimeUnit.SECONDS);
        assertTrue(allocatedBlocks(path) * 512 >= 8L * MIB, "thick device must own its blocks");
    }

    /** st_blocks (512-byte units) as stat(1) reports it; Java has no portable attribute for it. */
    private static long allocatedBlocks(Path path) throws Exception {
        Process stat = new ProcessBuilder("stat", "-c", "%b", path.toString()).redirectErrorStream(true).start();
        assertTrue(stat.waitFor(10, TimeUnit.SECONDS));
        return Long.parseLong(new String(stat.getInputStream().readAllBytes()).trim());
    }

    @Test
    void writesAndReadsBackAtManyOffsetsAndSizes() throws Exception {
        BackingStore store = await(provider.open(config(dir.resolve("rw.img"), 16L * MIB, true, false)));
        long[] offsets = {0, 512, 4096, 1_000_448, 8L * MIB - 512, 12L * MIB};
        int[] sizes = {512, 4096, 65_536, 512, 512, 4 * MIB};
        for (int i = 0; i < offsets.length; i++) {
            byte[] data = pattern(sizes[i], i);
            write(store, offsets[i], data, i % 2 == 0);
            assertArrayEquals(data, read(store, offsets[i], sizes[i]), "offset " + offsets[i]);
        }
        await(store.flush());
        byte[] onDisk = new byte[4 * MIB];
        try (RandomAccessFile file = new RandomAccessFile(dir.resolve("rw.img").toFile(), "r")) {
            file.seek(12L * MIB);
            file.readFully(onDisk);
        }
        assertArrayEquals(pattern(4 * MIB, 5), onDisk, "data must be in the file itself");
        await(store.close());
    }

    @Test
    void growsTheFileKeepingItsDataAndRefusesToShrink() throws Exception {
        Path path = dir.resolve("grow.img");
        BackingStore store = await(provider.open(config(path, 4L * MIB, true, false)));
        byte[] data = pattern(4096, 3);
        write(store, 4L * MIB - 4096, data, false);
        await(store.resize(12L * MIB));
        assertEquals(12L * MIB, store.size());
        assertEquals(12L * MIB, Files.size(path));
        assertArrayEquals(data, read(store, 4L * MIB - 4096, 4096), "data before the old end stays");
        assertArrayEquals(new byte[4096], read(store, 8L * MIB, 4096), "the new range reads as zeros");
        byte[] tail = pattern(512, 4);
        write(store, 12L * MIB - 512, tail, true);
        assertArrayEquals(tail, read(store, 12L * MIB - 512, 512), "the new last block is writable");

        Throwable shrink = failureOf(store.resize(8L * MIB));
        assertInstanceOf(BackingStoreException.class, shrink);
        assertEquals(BackingStoreException.Kind.UNSUPPORTED, ((BackingStoreException) shrink).kind());
        assertTrue(shrink.getMessage().contains("shrinking") && shrink.getMessage().contains("refused"),
                shrink.getMessage());
        assertEquals(12L * MIB, Files.size(path), "a refused shrink changes nothing");
        await(store.resize(12L * MIB)); // same size: nothing to do
        assertInstanceOf(BackingStoreException.class, failureOf(store.resize(12L * MIB + 100)), "not whole blocks");
        await(store.close());
    }

    @Test
    void callbackFormReportsEachIoOnce() throws Exception {
        CallbackFormCheck.reportsOncePerIo(await(provider.open(config(dir.resolve("cb.img"), MIB, true, false))));
    }

    @Test
    void readsIntoAndWritesFromCompositeAndHeapBuffers() throws Exception {
        BackingStore store = await(provider.open(config(dir.resolve("c.img"), MIB, true, false)));
        byte[] data = pattern(8192, 42);
        CompositeByteBuf src = Unpooled.compositeBuffer();
        src.addComponent(true, Unpooled.wrappedBuffer(data, 0, 3000));
        src.addComponent(true, Unpooled.directBuffer(5192).writeBytes(data, 3000, 5192));
        await(store.write(4096, src, false));
        src.release();

        CompositeByteBuf dst = Unpooled.compositeBuffer();
        dst.addComponent(false, Unpooled.buffer(1000, 1000));
        dst.addComponent(false, Unpooled.directBuffer(7192, 7192));
        dst.capacity(8192);
        await(store.read(4096, dst, 8192));
        byte[] back = new byte[8192];
        dst.readBytes(back);
        dst.release();
        assertArrayEquals(data, back);

        ByteBuf heap = Unpooled.buffer(8192).writeByte(7); // reads append at the writer index
        await(store.read(4096, heap, 4096));
        assertEquals(4097, heap.readableBytes());
        assertEquals(7, heap.readByte());
        byte[] firstHalf = new byte[4096];
        heap.readBytes(firstHalf);
        assertArrayEquals(java.util.Arrays.copyOf(data, 4096), firstHalf);
        await(store.close());
    }

    @Test
    void unwrittenRangesAndBytesPastEndOfFileReadAsZeros() throws Exception {
        Path path = dir.resolve("z.img");
        BackingStore store = await(provider.open(config(path, MIB, true, false)));
        write(store, 0, pattern(512, 1), false);
        assertArrayEquals(new byte[65536], read(store, 512, 65536));
        try (RandomAccessFile file = new RandomAccessFile(path.toFile(), "rw")) {
            file.setLength(4096); // shrunk underneath us: the rest reads as zeros, not as an error
        }
        byte[] expected = new byte[8192];
        byte[] got = read(store, 0, 8192);
        System.arraycopy(pattern(512, 1), 0, expected, 0, 512);
        assertArrayEquals(expected, got);
        assertArrayEquals(new byte[4096], read(store, MIB - 4096, 4096));
        await(store.close());
    }

    /**
     * Pool I/O issued from an event loop thread (a FastThreadLocalThread, like every connection's)
     * reuses its transfer objects, though they end on the pool's threads: 200 writes and reads
     * one after the other make a handful, not 400 (Netty's Recycler keeps 1 of every 8 it makes
     * while it has none spare).
     */
    @Test
    void poolIoFromAnEventLoopThreadReusesItsTransferObjects() throws Exception {
        BackingStore store = await(provider.open(config(dir.resolve("r.img"), MIB, true, false)));
        ByteBuf src = Unpooled.directBuffer(65536).writeBytes(pattern(65536, 9));
        ByteBuf dst = Unpooled.directBuffer(65536);
        CompletableFuture<Integer> made = new CompletableFuture<>();
        Thread loop = new io.netty.util.concurrent.FastThreadLocalThread(() -> {
            try {
                int before = FileBackingStore.transfersMade();
                for (int i = 0; i < 200; i++) {
                    await(store.write((i % 16) * 65536L, src, false));
                    dst.clear();
                    await(store.read((i % 16) * 65536L, dst, 65536)); // 64 KiB: past the inline limit, on the pool
                }
                made.complete(FileBackingStore.transfersMade() - before);
            } catch (Throwable t) {
                made.completeExceptionally(t);
            }
        });
        loop.start();
        int count = made.get(30, TimeUnit.SECONDS);
        assertTrue(count <= 16, "transfer objects made for 400 I/Os: " + count);
        assertArrayEquals(pattern(65536, 9), read(store, 0, 65536));
        src.release();
        dst.release();
        await(store.close());
    }

    @Test
    void concurrentWritesLandAtTheirOwnOffsets() throws Exception {
        BackingStore store = await(provider.open(config(dir.resolve("p.img"), 8L * MIB, true, false)));
        List<CompletableFuture<Void>> writes = new ArrayList<>();
        List<ByteBuf> buffers = new ArrayList<>();
        for (int i = 0; i < 64; i++) {
            ByteBuf src = Unpooled.directBuffer(65536).writeBytes(pattern(65536, 100 + i));
            buffers.add(src);
            writes.add(store.write(i * 65536L, src, i % 8 == 0));
        }
        await(CompletableFuture.allOf(writes.toArray(CompletableFuture[]::new)));
        buffers.forEach(ByteBuf::release);
        for (int i = 0; i < 64; i++) {
            assertArrayEquals(pattern(65536, 100 + i), read(store, i * 65536L, 65536), "chunk " + i);
        }
        await(store.close());
    }

    /**
     * A small read the page cache holds is done on the caller's thread (preadv2 RWF_NOWAIT, no hop
     * to the pool and back); a large one still goes to the pool. Both read what was written.
     */
    @Test
    void cachedSmallReadsRunOnTheCallersThreadLargeOnesOnThePool() throws Exception {
        BackingStore store = await(provider.open(config(dir.resolve("c.img"), MIB, true, false)));
        byte[] data = pattern(256 * 1024, 7);
        write(store, 0, data, false); // through the page cache: every page of it is cached now
        String caller = Thread.currentThread().getName();
        for (int length : new int[] {512, 4096, 65536 - 512}) {
            assertEquals(caller, readReportingThread(store, 8192, length, data), length + " bytes");
        }
        String pool = readReportingThread(store, 8192, FileBackingStore.INLINE_READ_LIMIT, data);
        assertTrue(pool.startsWith("jtgt-file-io-"), "a large read ran on " + pool);
        await(store.close());
    }

    /** Reads through the callback form, checks the bytes, and returns the thread that reported the end. */
    private static String readReportingThread(BackingStore store, long offset, int length, byte[] written)
            throws Exception {
        ByteBuf dst = PooledByteBufAllocator.DEFAULT.directBuffer(length);
        CompletableFuture<String> reported = new CompletableFuture<>();
        store.read(offset, dst, length, failure -> {
            if (failure != null) {
                reported.completeExceptionally(failure);
            } else {
                reported.complete(Thread.currentThread().getName());
            }
        });
        try {
            String thread = await(reported);
            byte[] got = new byte[length];
            dst.readBytes(got);
            assertArrayEquals(java.util.Arrays.copyOfRange(written, (int) offset, (int) offset + length), got);
            return thread;
        } finally {
            dst.release();
        }
    }

    @Test
    void ioRunsOnTheProvidersNamedThreads() throws Exception {
        BackingStore store = await(provider.open(config(dir.resolve("t.img"), MIB, true, false)));
        // A buffer that records which thread fills it: the backend's, never the caller's.
        String[] writerThread = new String[1];
        ByteBuf dst = new io.netty.buffer.UnpooledHeapByteBuf(io.netty.buffer.UnpooledByteBufAllocator.DEFAULT, 512, 512) {
            @Override
            public ByteBuf writerIndex(int writerIndex) {
                writerThread[0] = Thread.currentThread().getName();
                return super.writerIndex(writerIndex);
            }
        };
        await(store.read(0, dst, 512));
        assertTrue(writerThread[0].startsWith("jtgt-file-io-"), "ran on " + writerThread[0]);
        dst.release();
        await(store.close());
    }

    @Test
    void existingFileSizeWinsOverDeviceSize() throws Exception {
        Path path = dir.resolve("existing.img");
        try (RandomAccessFile file = new RandomAccessFile(path.toFile(), "rw")) {
            file.setLength(3 * MIB);
        }
        BackingStore store = await(provider.open(config(path, 10L * MIB, true, false)));
        assertEquals(3L * MIB, store.size());
        assertEquals(3L * MIB, Files.size(path), "an existing file is never resized");
        await(store.close());
    }

    @Test
    void missingFileWithoutDeviceSizeIsAConfigurationErrorNamingPathAndField() {
        Path path = dir.resolve("missing.img");
        Throwable failure = failureOf(provider.open(config(path, 0, true, false)));
        IllegalArgumentException e = assertInstanceOf(IllegalArgumentException.class, failure);
        assertTrue(e.getMessage().contains(path.toString()), e.getMessage());
        assertTrue(e.getMessage().contains("deviceSize"), e.getMessage());
        assertFalse(Files.exists(path));
    }

    @Test
    void deviceSizeMustBeWholeBlocks() {
        Throwable failure = failureOf(provider.open(config(dir.resolve("odd.img"), 1000, true, false)));
        assertInstanceOf(IllegalArgumentException.class, failure);
        assertTrue(failure.getMessage().contains("deviceSize 1000"), failure.getMessage());
        assertFalse(Files.exists(dir.resolve("odd.img")));
    }

    @Test
    void readOnlyStoreRefusesWritesAndDoesNotCreateFiles() throws Exception {
        Path path = dir.resolve("ro.img");
        Throwable missing = failureOf(provider.open(config(path, MIB, true, true)));
        assertInstanceOf(IllegalArgumentException.class, missing);
        assertFalse(Files.exists(path));

        Files.write(path, pattern(MIB, 9));
        BackingStore store = await(provider.open(config(path, 0, true, true)));
        assertFalse(store.capabilities().canUnmap());
        BackingStoreException e = assertInstanceOf(BackingStoreException.class,
                failureOf(store.write(0, Unpooled.wrappedBuffer(new byte[512]), false)));
        assertEquals(BackingStoreException.Kind.UNSUPPORTED, e.kind());
        assertArrayEquals(java.util.Arrays.copyOf(pattern(MIB, 9), 512), read(store, 0, 512));
        await(store.flush());
        await(store.close());
        assertArrayEquals(pattern(MIB, 9), Files.readAllBytes(path));
    }

    @Test
    void pathThatIsADirectoryIsRejected() throws Exception {
        Throwable failure = failureOf(provider.open(config(dir, MIB, true, false)));
        assertInstanceOf(IllegalArgumentException.class, failure);
        assertTrue(failure.getMessage().contains("not a regular file"), failure.getMessage());
    }

    @Test
    void unmapPunchesAHoleThatReadsZerosAndShowsInTheAllocationMap() throws Exception {
        Path path = dir.resolve("thin.img");
        BackingStore store = await(provider.open(config(path, 4L * MIB, true, false)));
        assertTrue(store.capabilities().canUnmap(), "Linux with JNA: hole punching expected");
        assertTrue(store.capabilities().unmapReadsZeros());
        assertTrue(store.capabilities().canReportAllocation());
        write(store, 0, pattern(MIB, 3), false);
        await(store.flush());

        await(store.unmap(256 * 1024, 64 * 1024));
        assertArrayEquals(new byte[64 * 1024], read(store, 256 * 1024, 64 * 1024));
        byte[] after = read(store, 320 * 1024, 4096);
        assertArrayEquals(java.util.Arrays.copyOfRange(pattern(MIB, 3), 320 * 1024, 324 * 1024), after);

        assertEquals(new AllocationRun(0, 256 * 1024, true), await(store.allocation(0, 4L * MIB)));
        assertEquals(new AllocationRun(256 * 1024, 64 * 1024, false), await(store.allocation(256 * 1024, 4L * MIB)));
        assertEquals(new AllocationRun(320 * 1024, MIB - 320 * 1024, true), await(store.allocation(320 * 1024, 4L * MIB)));
        assertEquals(new AllocationRun(MIB, 3L * MIB, false), await(store.allocation(MIB, 3L * MIB)));
        assertEquals(new AllocationRun(0, 4096, true), await(store.allocation(0, 4096)), "run is cut to the asked length");
        assertEquals(4L * MIB, Files.size(path), "punching keeps the size");
        await(store.close());
    }

    @Test
    void withoutLibcThereIsNoThinProvisioningAndNothingIsFaked() throws Exception {
        try (FileBackingStoreProvider plain = new FileBackingStoreProvider(2, Optional.empty())) {
            BackingStore store = await(plain.open(config(dir.resolve("plain.img"), MIB, true, false)));
            assertFalse(store.capabilities().canUnmap());
            assertFalse(store.capabilities().canReportAllocation());
            write(store, 0, pattern(4096, 5), false);
            BackingStoreException e = assertInstanceOf(BackingStoreException.class, failureOf(store.unmap(0, 4096)));
            assertEquals(BackingStoreException.Kind.UNSUPPORTED, e.kind());
            assertArrayEquals(pattern(4096, 5), read(store, 0, 4096), "a refused unmap leaves data alone");
            assertInstanceOf(BackingStoreException.class, failureOf(store.allocation(0, 4096)));
            await(store.close());
        }
    }

    @Test
    void closedStoreAndProviderRefuseWork() throws Exception {
        BackingStore store = await(provider.open(config(dir.resolve("closed.img"), MIB, true, false)));
        BackingStore second = await(provider.open(config(dir.resolve("second.img"), MIB, true, false)));
        write(store, 0, pattern(512, 8), false);
        await(store.close());
        await(store.close()); // idempotent
        BackingStoreException e = assertInstanceOf(BackingStoreException.class,
                failureOf(store.read(0, Unpooled.buffer(512), 512)));
        assertEquals(BackingStoreException.Kind.UNAVAILABLE, e.kind());

        provider.close(); // closes the stores still open
        e = assertInstanceOf(BackingStoreException.class, failureOf(second.read(0, Unpooled.buffer(512), 512)));
        assertEquals(BackingStoreException.Kind.UNAVAILABLE, e.kind());
        assertInstanceOf(BackingStoreException.class,
                failureOf(provider.open(config(dir.resolve("late.img"), MIB, true, false))));
    }

    @Test
    void closeWaitsForInFlightIoAndRefusesLaterIo() throws Exception {
        BackingStore store = await(provider.open(config(dir.resolve("busy.img"), 8L * MIB, true, false)));
        write(store, 0, pattern(MIB, 11), false);
        List<CompletableFuture<Void>> reads = new ArrayList<>();
        List<ByteBuf> buffers = new ArrayList<>();
        for (int i = 0; i < 200; i++) {
            ByteBuf dst = Unpooled.directBuffer(MIB);
            buffers.add(dst);
            reads.add(store.read(0, dst, MIB));
        }
        CompletableFuture<Void> closed = store.close();
        await(closed);
        // Everything accepted before close() ran to completion with real data; nothing was cut off.
        for (int i = 0; i < reads.size(); i++) {
            assertTrue(reads.get(i).isDone(), "read " + i + " still pending after close completed");
            await(reads.get(i));
            byte[] got = new byte[MIB];
            buffers.get(i).getBytes(0, got);
            assertArrayEquals(pattern(MIB, 11), got, "read " + i);
        }
        buffers.forEach(ByteBuf::release);
        BackingStoreException late = assertInstanceOf(BackingStoreException.class,
                failureOf(store.write(0, Unpooled.wrappedBuffer(new byte[512]), false)));
        assertEquals(BackingStoreException.Kind.UNAVAILABLE, late.kind());
    }

    @Test
    void errorsAreClassifiedForSenseCodes() {
        assertEquals(BackingStoreException.Kind.NO_SPACE, IoErrors.kindOf(
                new java.io.IOException("No space left on device"), BackingStoreException.Kind.WRITE_ERROR));
        assertEquals(BackingStoreException.Kind.NO_SPACE, IoErrors.kindOf(
                new NativeCallException("fallocate", NativeCallException.ENOSPC, null), BackingStoreException.Kind.WRITE_ERROR));
        assertEquals(BackingStoreException.Kind.READ_ERROR, IoErrors.kindOf(
                new java.io.IOException("Input/output error"), BackingStoreException.Kind.READ_ERROR));
        assertEquals(BackingStoreException.Kind.UNAVAILABLE, IoErrors.kindOf(
                new java.nio.channels.ClosedChannelException(), BackingStoreException.Kind.READ_ERROR));
    }

    @Test
    void ioThreadsChangeLiveWhileTheStoreServes() throws Exception {
        BackingStore store = await(provider.open(config(dir.resolve("threads.img"), 8L * MIB, true, false)));
        for (int threads : new int[] {1, 8, 2}) {
            provider.ioThreads(threads);
            assertEquals(threads, provider.ioThreads());
            List<CompletableFuture<Void>> writes = new ArrayList<>();
            for (int i = 0; i < 16; i++) { // more in flight than threads: the rest wait in the queue
                ByteBuf src = Unpooled.wrappedBuffer(pattern(4096, threads * 100 + i));
                writes.add(store.write(i * 4096L, src, false).whenComplete((v, t) -> src.release()));
            }
            await(CompletableFuture.allOf(writes.toArray(CompletableFuture[]::new)));
            for (int i = 0; i < 16; i++) {
                assertArrayEquals(pattern(4096, threads * 100 + i), read(store, i * 4096L, 4096));
            }
        }
        for (int wrong : new int[] {0, FileBackingStoreProvider.MAX_IO_THREADS + 1}) {
            String message = assertThrows(IllegalArgumentException.class, () -> provider.ioThreads(wrong)).getMessage();
            assertTrue(message.contains("fileIoThreads"), message);
        }
        assertEquals(2, provider.ioThreads());
        await(store.close());
    }
}
