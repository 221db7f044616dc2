package io.jtgt.backend.rbd;

import com.sun.jna.Callback;
import com.sun.jna.Library;
import com.sun.jna.Native;
import com.sun.jna.Pointer;
import com.sun.jna.ptr.LongByReference;
import com.sun.jna.ptr.PointerByReference;

/**
 * The part of librbd's C API (librbd/librbd.h) that rados-java 0.6.0 does not bind: asynchronous
 * I/O with completions, the image size, and header-update watches. Every function works on the
 * {@code rbd_image_t} that rados-java's {@code RbdImage.getPointer()} returns.
 *
 * <p>{@code size_t}/{@code ssize_t}/{@code uint64_t} are mapped to Java {@code long}: this backend
 * only targets LP64 Linux, where all three are 64 bits.
 */
public interface LibRbd extends Library {

    /** {@code typedef void (*rbd_callback_t)(rbd_completion_t cb, void *arg);} */
    interface CompletionCallback extends Callback {
        void invoke(Pointer completion, Pointer arg);
    }

    /** {@code typedef void (*rbd_update_callback_t)(void *arg);} */
    interface UpdateCallback extends Callback {
        void invoke(Pointer arg);
    }

    int rbd_aio_create_completion(Pointer cbArg, CompletionCallback complete, PointerByReference completion);

    int rbd_aio_write(Pointer image, long offset, long length, Pointer buf, Pointer completion);

    int rbd_aio_read(Pointer image, long offset, long length, Pointer buf, Pointer completion);

    int rbd_aio_discard(Pointer image, long offset, long length, Pointer completion);

    int rbd_aio_flush(Pointer image, Pointer completion);

    /** The operation's result: bytes read for a read, 0 for others, or a negative errno. */
    long rbd_aio_get_return_value(Pointer completion);

    void rbd_aio_release(Pointer completion);

    int rbd_get_size(Pointer image, LongByReference size);

    int rbd_update_watch(Pointer image, LongByReference handle, UpdateCallback callback, Pointer arg);

    int rbd_update_unwatch(Pointer image, long handle);

    /** Loads librbd.so.1 (Debian package librbd1); throws {@link UnsatisfiedLinkError} when absent. */
    static LibRbd load() {
        return Native.load("rbd", LibRbd.class);
    }
}
