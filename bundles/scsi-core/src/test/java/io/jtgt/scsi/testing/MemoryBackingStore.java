package io.jtgt.scsi.testing;

import io.jtgt.scsi.spi.AllocationRun;
import io.jtgt.scsi.spi.BackingStore;
import io.jtgt.scsi.spi.BackingStoreException;
import io.jtgt.scsi.spi.Capabilities;
import io.netty.buffer.ByteBuf;
import java.util.ArrayList;
import java.util.BitSet;
import java.util.List;
import java.util.concurrent.CompletableFuture;

/** A BackingStore in a byte array, tracking allocation per block, FUA writes and flushes. */
public final class MemoryBackingStore implements BackingStore {

    public record WriteCall(long offset, int length, boolean fua) {}

    private volatile byte[] data;
    private final int blockSize;
    private final Capabilities capabilities;
    private final BitSet mapped = new BitSet();
    public final List<WriteCall> writes = new ArrayList<>();
    public volatile int flushes;
    public volatile boolean closed;
    public volatile BackingStoreException failNext;

    public MemoryBackingStore(int size, int blockSize, Capabilities capabilities) {
        this.data = new byte[size];
        this.blockSize = blockSize;
        this.capabilities = capabilities;
    }

    public byte[] bytes() {
        return data;
    }

    @Override
    public long size() {
        return data.length;
    }

    @Override
    public Capabilities capabilities() {
        return capabilities;
    }

    private CompletableFuture<Void> failure() {
        BackingStoreException e = failNext;
        if (e != null) {
            failNext = null;
            return CompletableFuture.failedFuture(e);
        }
        return null;
    }

    @Override
    public synchronized CompletableFuture<Void> read(long offset, ByteBuf dst, int length) {
        CompletableFuture<Void> f = failure();
        if (f != null) {
            return f;
        }
        dst.writeBytes(data, (int) offset, length);
        return CompletableFuture.completedFuture(null);
    }

    @Override
    public synchronized CompletableFuture<Void> write(long offset, ByteBuf src, boolean forceUnitAccess) {
        CompletableFuture<Void> f = failure();
        if (f != null) {
            return f;
        }
        int n = src.readableBytes();
        src.getBytes(src.readerIndex(), data, (int) offset, n);
        mapped.set((int) (offset / blockSize), (int) ((offset + n) / blockSize));
        writes.add(new WriteCall(offset, n, forceUnitAccess));
        return CompletableFuture.completedFuture(null);
    }

    @Override
    public CompletableFuture<Void> flush() {
        flushes++;
        return CompletableFuture.completedFuture(null);
    }

    @Override
    public synchronized CompletableFuture<Void> unmap(long offset, long length) {
        java.util.Arrays.fill(data, (int) offset, (int) (offset + length), (byte) 0);
        mapped.clear((int) (offset / blockSize), (int) ((offset + length) / blockSize));
        return CompletableFuture.completedFuture(null);
    }

    @Override
    public synchronized CompletableFuture<AllocationRun> allocation(long offset, long length) {
        int first = (int) (offset / blockSize);
        int last = (int) ((offset + length) / blockSize);
        boolean state = mapped.get(first);
        int end = state ? mapped.nextClearBit(first) : mapped.nextSetBit(first);
        if (end < 0 || end > last) {
            end = last;
        }
        return CompletableFuture.completedFuture(
                new AllocationRun(offset, (long) (end - first) * blockSize, state));
    }

    /** Grows like a file backend: zeros appended; shrinking refused. */
    @Override
    public synchronized CompletableFuture<Void> resize(long newSize) {
        if (newSize < data.length) {
            return CompletableFuture.failedFuture(new BackingStoreException(BackingStoreException.Kind.UNSUPPORTED,
                    "shrinking is refused"));
        }
        data = java.util.Arrays.copyOf(data, Math.toIntExact(newSize));
        return CompletableFuture.completedFuture(null);
    }

    private volatile java.util.function.LongConsumer sizeListener;

    @Override
    public void sizeListener(java.util.function.LongConsumer listener) {
        this.sizeListener = listener;
    }

    /** Grows as if another client resized the storage (e.g. {@code rbd resize}), and says so. */
    public void resizedElsewhere(int newSize) {
        synchronized (this) {
            data = java.util.Arrays.copyOf(data, newSize);
        }
        java.util.function.LongConsumer listener = sizeListener;
        if (listener != null) {
            listener.accept(newSize);
        }
    }

    @Override
    public CompletableFuture<Void> close() {
        closed = true;
        return CompletableFuture.completedFuture(null);
    }
}
