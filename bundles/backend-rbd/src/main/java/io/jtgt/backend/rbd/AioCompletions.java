package io.jtgt.backend.rbd;

import com.sun.jna.CallbackThreadInitializer;
import com.sun.jna.Native;
import com.sun.jna.Pointer;
import com.sun.jna.ptr.PointerByReference;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.ToIntFunction;

/**
 * Turns librbd completions into {@link CompletableFuture}s without a thread waiting per I/O.
 *
 * <p>One callback serves every completion, so that JNA creates a single native trampoline and the
 * callback can never be garbage-collected while librbd still holds its address (a per-call JNA
 * callback object would have to be kept alive by hand for each in-flight operation). The pending
 * futures are keyed by the completion pointer, which is unique while the completion is alive.
 *
 * <p>Futures complete on librbd's finisher thread; whatever the caller chains on them runs there
 * (librbd allows new aio submissions from a completion callback, as tcmu-runner does).
 */
final class AioCompletions {

    private static final Map<Long, Pending> PENDING = new ConcurrentHashMap<>();

    private static final LibRbd.CompletionCallback CALLBACK = AioCompletions::completed;

    static {
        // Keep librbd's callback threads attached to the JVM instead of attaching and detaching
        // them on every completion (JNA's default), which costs more than the I/O bookkeeping.
        Native.setCallbackThreadInitializer(CALLBACK, new CallbackThreadInitializer(true, false, "jtgt-rbd-aio"));
    }

    private record Pending(LibRbd lib, CompletableFuture<Long> future) {
    }

    private AioCompletions() {
    }

    /**
     * Creates a completion, hands it to {@code submit} (one rbd_aio_* call returning 0 or -errno)
     * and returns a future of the operation's return value: bytes read for a read, 0 otherwise, or
     * a negative errno (also when the submission itself was refused).
     */
    static CompletableFuture<Long> submit(LibRbd lib, ToIntFunction<Pointer> submit) {
        CompletableFuture<Long> future = new CompletableFuture<>();
        PointerByReference ref = new PointerByReference();
        int rc = lib.rbd_aio_create_completion(null, CALLBACK, ref);
        if (rc < 0) {
            future.complete((long) rc);
            return future;
        }
        Pointer completion = ref.getValue();
        long key = Pointer.nativeValue(completion);
        PENDING.put(key, new Pending(lib, future)); // before submitting: the callback may come first
        try {
            rc = submit.applyAsInt(completion);
        } catch (Throwable t) {
            PENDING.remove(key);
            lib.rbd_aio_release(completion);
            future.completeExceptionally(t);
            return future;
        }
        if (rc < 0) { // not queued: librbd will never call back
            PENDING.remove(key);
            lib.rbd_aio_release(completion);
            future.complete((long) rc);
        }
        return future;
    }

    /** Operations librbd still owes a callback for (for diagnostics and tests). */
    static int pending() {
        return PENDING.size();
    }

    private static void completed(Pointer completion, Pointer arg) {
        Pending pending = PENDING.remove(Pointer.nativeValue(completion));
        if (pending == null) {
            return; // cannot happen: every completion is registered before it is submitted
        }
        long result;
        try {
            result = pending.lib.rbd_aio_get_return_value(completion);
        } finally {
            pending.lib.rbd_aio_release(completion);
        }
        try {
            pending.future.complete(result);
        } catch (Throwable t) {
            // never let an exception unwind into librbd's thread
        }
    }
}
