package io.jtgt.backend.rbd;

import io.jtgt.scsi.spi.BackingStoreException;

/**
 * Opening failed because the cluster did not answer in time (monitor or OSD unreachable, stopped,
 * or restarting): worth trying again later, unlike a wrong key, pool or image.
 */
final class ClusterUnreachableException extends BackingStoreException {

    private static final long serialVersionUID = 1L;

    ClusterUnreachableException(String message, Throwable cause) {
        super(Kind.UNAVAILABLE, message, cause);
    }

    /** librados/librbd results that mean "no answer", not "wrong request". */
    static boolean isUnreachable(int rc) {
        int errno = -rc;
        return errno == RbdErrors.ETIMEDOUT || errno == RbdErrors.ENOTCONN || errno == RbdErrors.ECONNREFUSED
                || errno == RbdErrors.EHOSTUNREACH || errno == RbdErrors.ENETUNREACH;
    }
}
