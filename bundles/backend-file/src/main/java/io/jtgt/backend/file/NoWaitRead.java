package io.jtgt.backend.file;

import com.sun.jna.Native;
import com.sun.jna.NativeLibrary;
import com.sun.jna.Pointer;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;

/**
 * preadv2(2) with RWF_NOWAIT, bound by JNA direct mapping: a static native method, with no proxy,
 * reflection or argument array per call (it runs once per cached READ). errno is read with
 * {@link Native#getLastError()}, so a page-cache miss costs no exception either.
 */
final class NoWaitRead {

    private static final int RWF_NOWAIT = 0x08; // <linux/fs.h>
    private static final int EAGAIN = 11;
    private static final int EINTR = 4;
    private static final int EINVAL = 22; // the kernel does not know RWF_NOWAIT (before 4.14)
    private static final int ENOSYS = 38; // no preadv2 (before 4.6)
    private static final int EOPNOTSUPP = 95; // the filesystem does not offer non-blocking reads

    static {
        Native.register(NoWaitRead.class, NativeLibrary.getInstance("c"));
    }

    private NoWaitRead() {}

    /** ssize_t preadv2(int fd, const struct iovec *iov, int iovcnt, off_t offset, int flags); 64-bit only. */
    private static native long preadv2(int fd, long iov, int iovcnt, long offset, int flags);

    /** One struct iovec per thread, in native memory that lives as long as the thread. */
    private static final ThreadLocal<Iovec> IOVEC = ThreadLocal.withInitial(Iovec::new);

    private static final class Iovec {
        final ByteBuffer memory = ByteBuffer.allocateDirect(16).order(ByteOrder.nativeOrder());
        final long address = Pointer.nativeValue(Native.getDirectBufferPointer(memory));
    }

    /** See {@link LinuxFileCalls#readCached}. */
    static int read(int fd, long address, int length, long offset) throws IOException {
        Iovec iov = IOVEC.get();
        iov.memory.putLong(0, address).putLong(8, length); // iov_base, iov_len
        long n = preadv2(fd, iov.address, 1, offset, RWF_NOWAIT);
        if (n >= 0) {
            return (int) n;
        }
        int errno = Native.getLastError();
        switch (errno) {
            case EAGAIN, EINTR:
                return LinuxFileCalls.NOT_CACHED;
            case EINVAL, ENOSYS, EOPNOTSUPP:
                throw new UnsupportedOperationException("preadv2(RWF_NOWAIT) refused with errno " + errno);
            default:
                throw new NativeCallException("preadv2(RWF_NOWAIT, " + offset + ", " + length + ")", errno, null);
        }
    }
}
