package io.jtgt.backend.file;

import java.io.IOException;

/** A failed libc call, keeping its errno so the failure can be classified. */
final class NativeCallException extends IOException {

    private static final long serialVersionUID = 1L;

    static final int EIO = 5;
    static final int ENXIO = 6;
    static final int EBADF = 9;
    static final int EINVAL = 22;
    static final int ENOSPC = 28;
    static final int EROFS = 30;
    static final int EOPNOTSUPP = 95;
    static final int EDQUOT = 122;

    private final int errno;

    NativeCallException(String message, int errno, Throwable cause) {
        super(message, cause);
        this.errno = errno;
    }

    int errno() {
        return errno;
    }
}
