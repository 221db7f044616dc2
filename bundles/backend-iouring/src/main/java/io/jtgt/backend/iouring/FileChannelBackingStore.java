package io.jtgt.backend.iouring;

import io.jtgt.scsi.spi.BackingStore;
import io.jtgt.scsi.spi.BackingStoreException;
import io.jtgt.scsi.spi.BackingStoreException.Kind;
import io.jtgt.scsi.spi.Capabilities;
import io.netty.buffer.ByteBuf;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Path;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Executor;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Consumer;

/**
 * The fallback where io_uring is unusable: positional {@link FileChannel} I/O on the provider's
 * blocking pool (jtgt-backend-file exports no API to reuse, so this is a minimal copy of its
 * approach). FUA is write + fdatasync; no unmap (no hole punching without native calls).
 */
final class FileChannelBackingStore implements BackingStore {

    @FunctionalInterface
    private interface IoTask {
        void run() throws IOException;
    }

    private final Path path;
    private final FileChannel channel;
    private final boolean readOnly;
    private final long size;
    private final Executor executor;
    private final Consumer<FileChannelBackingStore> onClosed;
    private final Capabilities capabilities;
    private final AtomicInteger inFlight = new AtomicInteger();
    private final AtomicBoolean released = new AtomicBoolean();
    private final CompletableFuture<Void> closed = new CompletableFuture<>();
    private volatile boolean closing;

    FileChannelBackingStore(Path path, FileChannel channel, boolean readOnly, long size, Executor executor,
            Consumer<FileChannelBackingStore> onClosed) {
        this.path = path;
        this.channel = channel;
        this.readOnly = readOnly;
        this.size = size;
        this.executor = executor;
        this.onClosed = onClosed;
        this.capabilities = new Capabilities(false, false, false, !readOnly, 0, 1);
    }

    @Override
    public long size() {
        return size;
    }

    @Override
    public Capabilities capabilities() {
        return capabilities;
    }

    @Override
    public CompletableFuture<Void> read(long offset, ByteBuf dst, int length) {
        if (dst.writableBytes() < length) {
            return CompletableFuture.failedFuture(new IllegalArgumentException(
                    "read of " + length + " bytes into a buffer with " + dst.writableBytes() + " writable"));
        }
        return submit("read", Kind.READ_ERROR, () -> {
            int start = dst.writerIndex();
            long position = offset;
            for (ByteBuffer target : dst.nioBuffers(start, length)) {
                while (target.hasRemaining()) {
                    int n = channel.read(target, position);
                    if (n < 0) {
                        break;
                    }
                    position += n;
                }
            }
            int done = (int) (position - offset);
            if (done < length) {
                dst.setZero(start + done, length - done); // past EOF: zeros, like a hole
            }
            dst.writerIndex(start + length);
        });
    }

    @Override
    public CompletableFuture<Void> write(long offset, ByteBuf src, boolean forceUnitAccess) {
        if (readOnly) {
            return CompletableFuture.failedFuture(new BackingStoreException(Kind.UNSUPPORTED,
                    "write to " + path + " refused: the store is read-only"));
        }
        return submit(forceUnitAccess ? "FUA write" : "write", Kind.WRITE_ERROR, () -> {
            long position = offset;
            for (ByteBuffer source : src.nioBuffers(src.readerIndex(), src.readableBytes())) {
                while (source.hasRemaining()) {
                    int n = channel.write(source, position);
                    if (n <= 0) {
                        throw new IOException("positional write made no progress at " + position);
                    }
                    position += n;
                }
            }
            if (forceUnitAccess) {
                channel.force(false);
            }
        });
    }

    @Override
    public CompletableFuture<Void> flush() {
        if (readOnly) {
            return CompletableFuture.completedFuture(null);
        }
        return submit("flush", Kind.WRITE_ERROR, () -> channel.force(false));
    }

    @Override
    public CompletableFuture<Void> close() {
        closing = true;
        if (inFlight.get() == 0) {
            try {
                executor.execute(this::release);
            } catch (RejectedExecutionException e) {
                release();
            }
        }
        return closed;
    }

    private CompletableFuture<Void> submit(String operation, Kind kind, IoTask task) {
        CompletableFuture<Void> result = new CompletableFuture<>();
        inFlight.incrementAndGet();
        if (closing) {
            finishOne();
            result.completeExceptionally(new BackingStoreException(Kind.UNAVAILABLE, path + " is closed"));
            return result;
        }
        try {
            executor.execute(() -> {
                try {
                    task.run();
                    result.complete(null);
                } catch (Throwable t) {
                    result.completeExceptionally(IoErrors.classify(t, kind, path, operation));
                } finally {
                    finishOne();
                }
            });
        } catch (RejectedExecutionException e) {
            finishOne();
            result.completeExceptionally(IoErrors.classify(e, Kind.UNAVAILABLE, path, operation));
        }
        return result;
    }

    private void finishOne() {
        if (inFlight.decrementAndGet() == 0 && closing) {
            release();
        }
    }

    private void release() {
        if (!released.compareAndSet(false, true)) {
            return;
        }
        try {
            if (!readOnly) {
                channel.force(false);
            }
            channel.close();
            closed.complete(null);
        } catch (IOException e) {
            closed.completeExceptionally(IoErrors.classify(e, Kind.WRITE_ERROR, path, "close"));
        } finally {
            onClosed.accept(this);
        }
    }

    @Override
    public String toString() {
        return "FileChannelBackingStore[" + path + ", " + size + " bytes, io_uring fallback]";
    }
}
