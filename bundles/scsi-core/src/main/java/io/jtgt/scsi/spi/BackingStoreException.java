package io.jtgt.scsi.spi;

/** A backend failure, classified so the SCSI layer can answer with the right sense code. */
public class BackingStoreException extends RuntimeException {

    private static final long serialVersionUID = 1L;

    /** How the failure should be reported to the initiator. */
    public enum Kind {
        /** A read could not return the data (MEDIUM ERROR / UNRECOVERED READ ERROR). */
        READ_ERROR,
        /** A write could not be stored (MEDIUM ERROR / WRITE ERROR). */
        WRITE_ERROR,
        /** The storage is unreachable or timed out (NOT READY / LOGICAL UNIT COMMUNICATION FAILURE). */
        UNAVAILABLE,
        /** No space left (DATA PROTECT / SPACE ALLOCATION FAILED WRITE PROTECT). */
        NO_SPACE,
        /** The operation is not supported by this store (ILLEGAL REQUEST). */
        UNSUPPORTED,
        /** Anything else (HARDWARE ERROR / INTERNAL TARGET FAILURE). */
        INTERNAL
    }

    private final Kind kind;

    public BackingStoreException(Kind kind, String message) {
        super(message);
        this.kind = kind;
    }

    public BackingStoreException(Kind kind, String message, Throwable cause) {
        super(message, cause);
        this.kind = kind;
    }

    public Kind kind() {
        return kind;
    }
}
