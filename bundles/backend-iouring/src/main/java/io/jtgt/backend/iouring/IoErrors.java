package io.jtgt.backend.iouring;

import io.jtgt.scsi.spi.BackingStoreException;
import io.jtgt.scsi.spi.BackingStoreException.Kind;
import java.nio.file.Path;
import java.util.concurrent.CompletionException;
import java.util.concurrent.RejectedExecutionException;

/** Maps I/O failures to the SPI's classified exception, naming file and operation. */
final class IoErrors {

    private IoErrors() {
    }

    static BackingStoreException classify(Throwable failure, Kind kind, Path path, String operation) {
        Throwable t = failure;
        while (t instanceof CompletionException && t.getCause() != null) {
            t = t.getCause();
        }
        if (t instanceof BackingStoreException) {
            return (BackingStoreException) t;
        }
        Kind k = kind;
        if (t instanceof ErrnoException) {
            int errno = ((ErrnoException) t).errno();
            if (errno == ErrnoException.ENOSPC || errno == ErrnoException.EDQUOT) {
                k = Kind.NO_SPACE;
            }
        } else if (t instanceof java.io.IOException && String.valueOf(t.getMessage()).contains("No space left")) {
            k = Kind.NO_SPACE;
        } else if (t instanceof RejectedExecutionException) {
            k = Kind.UNAVAILABLE;
        }
        return new BackingStoreException(k, operation + " on " + path + " failed: " + t.getMessage(), t);
    }
}
