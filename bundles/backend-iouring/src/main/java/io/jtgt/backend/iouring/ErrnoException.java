package io.jtgt.backend.iouring;

import java.io.IOException;

/** A negative io_uring completion ({@code res = -errno}). */
final class ErrnoException extends IOException {

    private static final long serialVersionUID = 1L;

    static final int EIO = 5;
    static final int EINVAL = 22;
    static final int ENOSPC = 28;
    static final int EDQUOT = 122;

    private final int errno;

    ErrnoException(String operation, int errno) {
        super(operation + " failed: errno " + errno + name(errno));
        this.errno = errno;
    }

    int errno() {
        return errno;
    }

    private static String name(int errno) {
        switch (errno) {
            case EIO: return " (EIO)";
            case EINVAL: return " (EINVAL)";
            case ENOSPC: return " (ENOSPC)";
            case EDQUOT: return " (EDQUOT)";
            case 2: return " (ENOENT)";
            case 9: return " (EBADF)";
            case 13: return " (EACCES)";
            default: return "";
        }
    }
}
