package io.jtgt.scsi.spi;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNull;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.PooledByteBufAllocator;
import java.util.Random;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * What a backend's callback form of read and write ({@link IoCallback}) must do, checked the same
 * way in each backend bundle's tests: every I/O reports exactly once, data written comes back, and
 * a closed store refuses with {@link BackingStoreException.Kind#UNAVAILABLE} through the callback.
 */
public final class CallbackFormCheck {

    private CallbackFormCheck() {
    }

    /** Runs the check on an open, writable store of at least 16 KiB; closes it. */
    public static void reportsOncePerIo(BackingStore store) throws Exception {
        byte[] data = new byte[8192];
        new Random(7).nextBytes(data);
        ByteBuf src = PooledByteBufAllocator.DEFAULT.directBuffer().writeBytes(data);
        ByteBuf dst = PooledByteBufAllocator.DEFAULT.directBuffer(8192);
        AtomicInteger reports = new AtomicInteger();
        try {
            CompletableFuture<Throwable> wrote = new CompletableFuture<>();
            store.write(8192, src, true, failure -> report(reports, wrote, failure));
            assertNull(await(wrote));
            assertEquals(data.length, src.readableBytes(), "the reader index must not move");
            CompletableFuture<Throwable> read = new CompletableFuture<>();
            store.read(8192, dst, 8192, failure -> report(reports, read, failure));
            assertNull(await(read));
            byte[] back = new byte[8192];
            dst.readBytes(back);
            assertArrayEquals(data, back);
            store.close().get(10, TimeUnit.SECONDS);
            CompletableFuture<Throwable> refused = new CompletableFuture<>();
            store.write(0, src, false, failure -> report(reports, refused, failure));
            assertInstanceOf(BackingStoreException.class, await(refused));
            assertEquals(BackingStoreException.Kind.UNAVAILABLE, ((BackingStoreException) await(refused)).kind());
            Thread.sleep(50); // a second report would have arrived by now
            assertEquals(3, reports.get(), "one report per I/O");
        } finally {
            src.release();
            dst.release();
        }
    }

    private static void report(AtomicInteger reports, CompletableFuture<Throwable> into, Throwable failure) {
        reports.incrementAndGet();
        into.complete(failure);
    }

    private static Throwable await(CompletableFuture<Throwable> future) throws Exception {
        return future.get(10, TimeUnit.SECONDS);
    }
}
