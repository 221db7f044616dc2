package io.jtgt.backend.file;

import io.jtgt.scsi.spi.BackingStoreException;
import io.jtgt.scsi.spi.BackingStoreException.Kind;
import java.io.IOException;
import java.nio.channels.ClosedChannelException;
import java.nio.file.Path;
import java.util.Locale;

/**
 * Classifies I/O failures into {@link Kind}s, from which scsi-core picks the sense code.
 *
 * <p>The JDK reports errno only as the strerror text in the IOException message (e.g.
 * "No space left on device"), so file channel failures are classified by that text; libc calls
 * made through JNA keep the errno itself.
 */
final class IoErrors {

    private IoErrors() {}

    /**
     * @param fallback the kind for an unrecognised failure of this operation (READ_ERROR for
     *     reads, WRITE_ERROR for writes and flushes)
     */
    static BackingStoreException classify(Throwable failure, Kind fallback, Path path, String operation) {
        if (failure instanceof BackingStoreException bse) {
            return bse;
        }
        String message = operation + " on " + path + " failed: " + failure;
        return new BackingStoreException(kindOf(failure, fallback), message, failure);
    }

    static Kind kindOf(Throwable failure, Kind fallback) {
        if (failure instanceof NativeCallException nce) {
            return switch (nce.errno()) {
                case NativeCallException.ENOSPC, NativeCallException.EDQUOT -> Kind.NO_SPACE;
                case NativeCallException.EOPNOTSUPP -> Kind.UNSUPPORTED;
                case NativeCallException.EROFS -> Kind.WRITE_ERROR;
                case NativeCallException.EBADF -> Kind.UNAVAILABLE;
                default -> fallback;
            };
        }
        if (failure instanceof ClosedChannelException) {
            return Kind.UNAVAILABLE; // the store was closed underneath the operation
        }
        if (failure instanceof java.nio.channels.NonWritableChannelException) {
            return Kind.UNSUPPORTED;
        }
        if (failure instanceof IOException) {
            String text = String.valueOf(failure.getMessage()).toLowerCase(Locale.ROOT);
            if (text.contains("no space left on device") || text.contains("disk quota exceeded")
                    || text.contains("file too large")) {
                return Kind.NO_SPACE;
            }
            if (text.contains("stale file handle") || text.contains("no such device")
                    || text.contains("transport endpoint is not connected")) {
                return Kind.UNAVAILABLE;
            }
            return fallback;
        }
        return Kind.INTERNAL;
    }
}
