package io.jtgt.backend.rbd;

import io.jtgt.scsi.spi.BackingStoreException;
import io.jtgt.scsi.spi.BackingStoreException.Kind;

/** Maps librbd's negative errno results to {@link BackingStoreException} kinds. */
final class RbdErrors {

    // Linux errno values (asm-generic/errno-base.h, errno.h).
    static final int ENOENT = 2;
    static final int EIO = 5;
    static final int ENOMEM = 12;
    static final int EBUSY = 16;
    static final int EEXIST = 17;
    static final int EINVAL = 22;
    static final int ENOSPC = 28;
    static final int EROFS = 30;
    static final int EDQUOT = 122;
    static final int ESHUTDOWN = 108; // librbd: the client was blocklisted
    static final int ETIMEDOUT = 110;
    static final int ENOTCONN = 107;
    static final int ECONNREFUSED = 111;
    static final int ENETUNREACH = 101;
    static final int EHOSTUNREACH = 113;
    static final int EOPNOTSUPP = 95;

    private RbdErrors() {
    }

    /**
     * @param result the negative errno librbd returned
     * @param ioKind the kind for a plain I/O failure (READ_ERROR or WRITE_ERROR)
     */
    static BackingStoreException toException(long result, Kind ioKind, String what) {
        int errno = (int) -result;
        Kind kind = switch (errno) {
            // A timed-out or cut-off write is indeterminate: it may still land on the OSD later.
            // It is reported as failed (never as "not written"); the initiator must retry or read back.
            case ETIMEDOUT, ESHUTDOWN, ENOTCONN, ECONNREFUSED -> Kind.UNAVAILABLE;
            case ENOSPC, EDQUOT -> Kind.NO_SPACE;
            case EOPNOTSUPP -> Kind.UNSUPPORTED;
            case EROFS -> Kind.UNAVAILABLE;
            case EIO -> ioKind;
            default -> ioKind == Kind.READ_ERROR || ioKind == Kind.WRITE_ERROR ? ioKind : Kind.INTERNAL;
        };
        return new BackingStoreException(kind, what + " failed: " + describe(errno));
    }

    static String describe(int errno) {
        String name = switch (errno) {
            case ENOENT -> "ENOENT";
            case EIO -> "EIO";
            case ENOMEM -> "ENOMEM";
            case EBUSY -> "EBUSY";
            case EEXIST -> "EEXIST";
            case EINVAL -> "EINVAL";
            case ENOSPC -> "ENOSPC";
            case EROFS -> "EROFS";
            case EDQUOT -> "EDQUOT";
            case ESHUTDOWN -> "ESHUTDOWN (client blocklisted)";
            case ETIMEDOUT -> "ETIMEDOUT (the operation may still complete on the cluster later)";
            case ENOTCONN -> "ENOTCONN";
            case ECONNREFUSED -> "ECONNREFUSED";
            case EOPNOTSUPP -> "EOPNOTSUPP";
            default -> "errno " + errno;
        };
        return name + " (" + -errno + ")";
    }
}
