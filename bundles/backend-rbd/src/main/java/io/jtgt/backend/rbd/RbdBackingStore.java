package io.jtgt.backend.rbd;

import com.sun.jna.CallbackThreadInitializer;
import com.sun.jna.Native;
import com.sun.jna.Pointer;
import com.sun.jna.ptr.LongByReference;
import io.jtgt.scsi.spi.BackingStore;
import io.jtgt.scsi.spi.BackingStoreException;
import io.jtgt.scsi.spi.BackingStoreException.Kind;
import io.jtgt.scsi.spi.Capabilities;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufAllocator;
import io.netty.buffer.PooledByteBufAllocator;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Executor;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Consumer;
import java.util.function.LongConsumer;
import java.util.function.ToIntFunction;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One open RBD image. All I/O goes through librbd's asynchronous API ({@link AioCompletions}): no
 * thread waits for an operation. Buffers are handed to librbd by address when they are direct
 * and contiguous, otherwise staged through a pooled direct buffer.
 *
 * <p>With librbd's cache off (the default, see {@link RbdSettings}) a write completes once the OSD
 * committed it; should an administrator turn {@code rbd_cache} on, writes without FUA may sit in
 * it, so FUA writes and {@link #flush()} still end with {@code rbd_aio_flush}.
 *
 * <p>A failed write may be indeterminate: after ETIMEDOUT ({@code rados_osd_op_timeout}) or a
 * lost connection the OSD may still apply it later. It is reported as failed (UNAVAILABLE →
 * NOT READY / LOGICAL UNIT COMMUNICATION FAILURE), never as "not written".
 *
 * <p>The size follows resizes made elsewhere ({@code rbd resize}): librbd's header watch marks
 * the cached size stale and the new size is read on the provider's executor, so {@link #size()}
 * never blocks; the {@link #sizeListener} then tells scsi-core, which raises CAPACITY DATA HAS
 * CHANGED on every nexus of the LUN.
 */
final class RbdBackingStore implements BackingStore {

    private static final Logger LOG = LoggerFactory.getLogger(RbdBackingStore.class);

    private final LibRbd lib;
    private final RbdConnection connection;
    private final Pointer image;
    private final String name;
    private final Executor blocking;
    private final Consumer<RbdBackingStore> onClosed;
    private final ByteBufAllocator staging = PooledByteBufAllocator.DEFAULT;
    private final Capabilities capabilities;

    private final AtomicInteger inFlight = new AtomicInteger();
    private final CompletableFuture<Void> drained = new CompletableFuture<>();
    private final CompletableFuture<Void> closeFuture = new CompletableFuture<>();
    private volatile boolean closed;

    private volatile long size;
    private volatile LongConsumer sizeListener = newSize -> { };
    private final AtomicInteger sizeChangesReported = new AtomicInteger();
    private final AtomicBoolean refreshing = new AtomicBoolean();
    private final LibRbd.UpdateCallback headerUpdated; // strongly held while the watch exists
    private final long watchHandle;

    RbdBackingStore(LibRbd lib, RbdConnection connection, String name, Executor blocking,
            Consumer<RbdBackingStore> onClosed) {
        this.lib = lib;
        this.connection = connection;
        this.image = connection.image.getPointer();
        this.name = name;
        this.blocking = blocking;
        this.onClosed = onClosed;
        this.size = readSize();
        this.capabilities = new Capabilities(true, true, false, true,
                (int) Math.min(Integer.MAX_VALUE, Math.max(0, connection.objectSize)), 1);
        this.headerUpdated = arg -> refreshSize();
        Native.setCallbackThreadInitializer(headerUpdated,
                new CallbackThreadInitializer(true, false, "jtgt-rbd-watch"));
        LongByReference handle = new LongByReference();
        int rc = lib.rbd_update_watch(image, handle, headerUpdated, null);
        if (rc < 0) { // still correct: the size is then re-read after every flush
            LOG.warn("RBD {}: header watch failed ({}); resizes are seen on the next flush", name,
                    RbdErrors.describe(-rc));
            this.watchHandle = -1;
        } else {
            this.watchHandle = handle.getValue();
        }
    }

    @Override
    public long size() {
        return size;
    }

    /** Told when the header watch (or a flush) finds a size this store did not set itself. */
    @Override
    public void sizeListener(LongConsumer listener) {
        this.sizeListener = listener;
    }

    /** How many size changes made elsewhere were reported to the listener (for diagnostics and tests). */
    int sizeChangesReported() {
        return sizeChangesReported.get();
    }

    @Override
    public Capabilities capabilities() {
        return capabilities;
    }

    @Override
    public CompletableFuture<Void> read(long offset, ByteBuf dst, int length) {
        if (length == 0) {
            return CompletableFuture.completedFuture(null);
        }
        int index = dst.writerIndex();
        boolean direct = dst.hasMemoryAddress();
        ByteBuf target = direct ? dst : staging.directBuffer(length);
        int targetIndex = direct ? index : 0;
        Pointer buf = address(target, targetIndex, length);
        return io(Kind.READ_ERROR, "read of " + length + " bytes at " + offset,
                c -> lib.rbd_aio_read(image, offset, length, buf, c))
                .handle((result, failure) -> {
                    try {
                        if (failure != null) {
                            throw failure instanceof RuntimeException r ? r : new RuntimeException(failure);
                        }
                        int got = (int) Math.min(length, Math.max(0, result));
                        if (got < length) { // beyond the image end (a shrink raced with us): zeros
                            target.setZero(targetIndex + got, length - got);
                        }
                        if (direct) {
                            dst.writerIndex(index + length);
                        } else {
                            dst.writeBytes(target, 0, length);
                        }
                        return null;
                    } finally {
                        if (!direct) {
                            target.release();
                        }
                    }
                });
    }

    @Override
    public CompletableFuture<Void> write(long offset, ByteBuf src, boolean forceUnitAccess) {
        int length = src.readableBytes();
        if (length == 0) {
            return forceUnitAccess ? flush() : CompletableFuture.completedFuture(null);
        }
        boolean direct = src.hasMemoryAddress();
        ByteBuf source;
        if (direct) {
            source = src;
        } else {
            source = staging.directBuffer(length);
            source.writeBytes(src, src.readerIndex(), length);
        }
        Pointer buf = address(source, direct ? src.readerIndex() : 0, length);
        CompletableFuture<Void> written = io(Kind.WRITE_ERROR, "write of " + length + " bytes at " + offset,
                c -> lib.rbd_aio_write(image, offset, length, buf, c))
                .thenApply(result -> (Void) null);
        if (!direct) {
            written.whenComplete((r, t) -> source.release());
        }
        // SBC-3 5.40: FUA — the data must be on the medium before GOOD; librbd persists it on flush.
        return forceUnitAccess ? written.thenCompose(v -> flush()) : written;
    }

    @Override
    public CompletableFuture<Void> flush() {
        CompletableFuture<Void> flushed = io(Kind.WRITE_ERROR, "flush", c -> lib.rbd_aio_flush(image, c))
                .thenApply(result -> (Void) null);
        flushed.whenComplete((r, t) -> refreshSize()); // cheap, and covers a missed header watch
        return flushed;
    }

    @Override
    public CompletableFuture<Void> unmap(long offset, long length) {
        // rbd_skip_partial_discard=false (RbdSettings): partial objects are zeroed, whole ones removed.
        return io(Kind.WRITE_ERROR, "discard of " + length + " bytes at " + offset,
                c -> lib.rbd_aio_discard(image, offset, length, c))
                .thenApply(result -> (Void) null);
    }

    /**
     * Grows the image ({@code rbd_resize} through rados-java, on the provider's executor: it
     * blocks on the cluster). Shrinking is refused: librbd would discard the data past the end.
     */
    @Override
    public CompletableFuture<Void> resize(long newSize) {
        long current = size;
        if (newSize == current) {
            return CompletableFuture.completedFuture(null);
        }
        if (newSize < current) {
            return CompletableFuture.failedFuture(new BackingStoreException(Kind.UNSUPPORTED,
                    "RBD " + name + ": shrinking from " + current + " to " + newSize
                            + " bytes would discard data; refused"));
        }
        if (closed) {
            return CompletableFuture.failedFuture(new BackingStoreException(Kind.UNAVAILABLE,
                    "RBD " + name + " is closed"));
        }
        CompletableFuture<Void> resized = new CompletableFuture<>();
        try {
            blocking.execute(() -> {
                try {
                    connection.image.resize(newSize);
                    size = readSize();
                    LOG.info("RBD {}: resized to {} bytes", name, size);
                    resized.complete(null);
                } catch (com.ceph.rbd.RbdException e) {
                    resized.completeExceptionally(RbdErrors.toException(e.getReturnValue(), Kind.INTERNAL,
                            "RBD " + name + ": resize to " + newSize));
                } catch (Throwable t) {
                    resized.completeExceptionally(t instanceof BackingStoreException b ? b
                            : new BackingStoreException(Kind.INTERNAL, "RBD " + name + ": resize failed: " + t, t));
                }
            });
        } catch (RuntimeException rejected) {
            resized.completeExceptionally(new BackingStoreException(Kind.UNAVAILABLE,
                    "RBD " + name + ": backend is shut down", rejected));
        }
        return resized;
    }

    /** Submits one aio operation, counting it as in flight until its callback. */
    private CompletableFuture<Long> io(Kind failureKind, String what, ToIntFunction<Pointer> submit) {
        inFlight.incrementAndGet();
        if (closed) {
            leave();
            return CompletableFuture.failedFuture(new BackingStoreException(Kind.UNAVAILABLE,
                    "RBD " + name + " is closed"));
        }
        CompletableFuture<Long> result;
        try {
            result = AioCompletions.submit(lib, submit);
        } catch (Throwable t) {
            leave();
            return CompletableFuture.failedFuture(new BackingStoreException(Kind.INTERNAL,
                    "RBD " + name + ": " + what + " could not be submitted: " + t, t));
        }
        return result.handle((rc, failure) -> {
            leave();
            if (failure != null) {
                throw new BackingStoreException(Kind.INTERNAL, "RBD " + name + ": " + what + " failed: " + failure,
                        failure);
            }
            if (rc < 0) {
                throw RbdErrors.toException(rc, failureKind, "RBD " + name + ": " + what);
            }
            return rc;
        });
    }

    private void leave() {
        if (inFlight.decrementAndGet() == 0 && closed) {
            drained.complete(null);
        }
    }

    private long readSize() {
        LongByReference value = new LongByReference();
        int rc = lib.rbd_get_size(image, value);
        if (rc < 0) {
            throw RbdErrors.toException(rc, Kind.UNAVAILABLE, "RBD " + name + ": size");
        }
        return value.getValue();
    }

    /** Re-reads the size off the I/O path (rbd_get_size may refresh the header over the network). */
    private void refreshSize() {
        if (closed || !refreshing.compareAndSet(false, true)) {
            return;
        }
        try {
            blocking.execute(() -> {
                try {
                    if (!closed) {
                        long now = readSize();
                        if (now != size) {
                            LOG.info("RBD {}: size changed from {} to {} bytes", name, size, now);
                            size = now; // first: whoever hears of the change reads the new size
                            sizeListener.accept(now); // scsi-core: CAPACITY DATA HAS CHANGED
                            sizeChangesReported.incrementAndGet();
                        }
                    }
                } catch (RuntimeException e) {
                    LOG.debug("RBD {}: size refresh failed: {}", name, e.toString());
                } finally {
                    refreshing.set(false);
                }
            });
        } catch (RuntimeException rejected) { // provider shutting down
            refreshing.set(false);
        }
    }

    private static Pointer address(ByteBuf buf, int index, int length) {
        if (buf.hasMemoryAddress()) {
            return new Pointer(buf.memoryAddress() + index);
        }
        return Native.getDirectBufferPointer(buf.nioBuffer(index, length));
    }

    /** Waits (without blocking a thread) for in-flight I/O, then closes the image on the executor. */
    @Override
    public CompletableFuture<Void> close() {
        if (closed) {
            return closeFuture;
        }
        closed = true;
        if (inFlight.get() == 0) {
            drained.complete(null);
        }
        drained.thenRunAsync(() -> {
            if (watchHandle >= 0) {
                int rc = lib.rbd_update_unwatch(image, watchHandle);
                if (rc < 0) {
                    LOG.debug("RBD {}: unwatch failed: {}", name, RbdErrors.describe(-rc));
                }
            }
            connection.close();
            onClosed.accept(this);
            closeFuture.complete(null);
        }, blocking).exceptionally(t -> {
            closeFuture.complete(null);
            return null;
        });
        return closeFuture;
    }

    @Override
    public String toString() {
        return "RbdBackingStore[" + name + "]";
    }
}
