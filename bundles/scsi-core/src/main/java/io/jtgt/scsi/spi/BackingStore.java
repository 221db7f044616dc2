package io.jtgt.scsi.spi;

import io.netty.buffer.ByteBuf;
import java.util.concurrent.CompletableFuture;

/**
 * One opened storage object (a file, an S3 prefix, an RBD image) addressed in bytes.
 *
 * <p>Every method returns immediately; the future completes on whatever thread the backend
 * finishes on. Failures complete the future exceptionally with a {@link BackingStoreException}
 * whose {@link BackingStoreException.Kind} lets the SCSI layer pick the sense code.
 *
 * <p>Offsets and lengths handed in by the SCSI layer are always multiples of the LUN's logical
 * block size and lie within {@link #size()}.
 *
 * <p>Buffer ownership: the caller owns every {@link ByteBuf} it passes and keeps it alive until the
 * future completes; the backend never retains or releases it.
 */
public interface BackingStore {

    /** Current size in bytes. May change when the backend learns of a resize. */
    long size();

    /** What this store can do beyond read and write; constant for the store's lifetime. */
    Capabilities capabilities();

    /**
     * Reads {@code length} bytes at {@code offset} into {@code dst}, starting at its writer index
     * and advancing it by {@code length}. {@code dst} has at least {@code length} writable bytes.
     * Unwritten regions read as zeros.
     */
    CompletableFuture<Void> read(long offset, ByteBuf dst, int length);

    /**
     * Writes all readable bytes of {@code src} at {@code offset}, without moving its reader index.
     *
     * @param forceUnitAccess when true the future completes only once the data is on stable storage
     *     (SBC-3 FUA); when false it may complete once the data is in a volatile cache that
     *     {@link #flush()} will persist.
     */
    CompletableFuture<Void> write(long offset, ByteBuf src, boolean forceUnitAccess);

    /**
     * {@link #read(long, ByteBuf, int)} that reports to {@code done} instead of a future: the form
     * the SCSI layer's READ uses. A backend overrides it to spend nothing per I/O on futures; the
     * default adapts the future form. {@code done} runs exactly once, also when the call fails at
     * once (then possibly before this method returns).
     *
     * @since 1.4
     */
    default void read(long offset, ByteBuf dst, int length, IoCallback done) {
        reportTo(done, () -> read(offset, dst, length));
    }

    /**
     * {@link #write(long, ByteBuf, boolean)} that reports to {@code done} instead of a future, on
     * the same terms as {@link #read(long, ByteBuf, int, IoCallback)}.
     *
     * @since 1.4
     */
    default void write(long offset, ByteBuf src, boolean forceUnitAccess, IoCallback done) {
        reportTo(done, () -> write(offset, src, forceUnitAccess));
    }

    /** The future form's outcome to {@code done}, also when the call throws instead of failing it. */
    private static void reportTo(IoCallback done, java.util.function.Supplier<CompletableFuture<Void>> io) {
        CompletableFuture<Void> started;
        try {
            started = io.get();
        } catch (RuntimeException e) {
            done.ioDone(e);
            return;
        }
        started.whenComplete((ignored, failure) -> done.ioDone(failure));
    }

    /** Completes once every write completed before this call is on stable storage. */
    CompletableFuture<Void> flush();

    /**
     * Deallocates the range; it then reads as zeros if {@link Capabilities#unmapReadsZeros()}.
     * Only called when {@link Capabilities#canUnmap()}.
     */
    default CompletableFuture<Void> unmap(long offset, long length) {
        return CompletableFuture.failedFuture(
                new BackingStoreException(BackingStoreException.Kind.UNSUPPORTED, "unmap not supported"));
    }

    /**
     * Thin-provisioning query: describes the run of bytes starting at {@code offset} (at most
     * {@code length} long) that are all mapped or all unmapped. Only called when
     * {@link Capabilities#canReportAllocation()}.
     */
    default CompletableFuture<AllocationRun> allocation(long offset, long length) {
        return CompletableFuture.completedFuture(new AllocationRun(offset, length, true));
    }

    /**
     * Grows the store to {@code newSize} bytes (a multiple of the LUN's block size); the new range
     * reads as zeros. Once the future completes, {@link #size()} returns {@code newSize}. A backend
     * refuses to shrink (data past the new end would be lost) with {@link
     * BackingStoreException.Kind#UNSUPPORTED} and a message saying so; {@code newSize == size()}
     * succeeds without change. The default cannot resize.
     *
     * @since 1.1
     */
    default CompletableFuture<Void> resize(long newSize) {
        return CompletableFuture.failedFuture(new BackingStoreException(BackingStoreException.Kind.UNSUPPORTED,
                "this backend cannot resize a store"));
    }

    /**
     * Registers whom to tell when the store learns by itself that its size changed: a resize made
     * outside jtgt (e.g. {@code rbd resize} by another client), not one asked for through
     * {@link #resize}. The SCSI layer registers once, right after the open, and raises CAPACITY
     * DATA HAS CHANGED (SBC-3, 2Ah/09h) when called. The listener gets the new size in bytes, may
     * run on any thread, and does not block. The default ignores it: a store whose size changes
     * only through {@link #resize} never calls it.
     *
     * @since 1.2
     */
    default void sizeListener(java.util.function.LongConsumer listener) {
    }

    /** Releases the underlying resources after in-flight I/O finished; idempotent. */
    CompletableFuture<Void> close();
}
