package io.jtgt.scsi.core;

/** How the dispatcher treats a command before it reaches its handler. */
public enum CommandFlag {
    /** Needs an opened store: otherwise CHECK CONDITION NOT READY (SPC-4 6.37 / SBC-3 4.x). */
    NEEDS_MEDIUM,
    /** Neither reports nor clears unit attentions: INQUIRY, REPORT LUNS, REQUEST SENSE (SAM-5 5.14). */
    NO_UNIT_ATTENTION,
    /** Valid for a LUN that is not configured (SPC-4 4.6.4: INQUIRY, REPORT LUNS, REQUEST SENSE). */
    ANY_LUN,
    /** Reads the medium or its settings: conflicts with exclusive-access reservations (SPC-4 5.9.1). */
    MEDIUM_READ,
    /** Changes the medium or its settings: conflicts with any reservation held by another nexus. */
    MEDIUM_WRITE,
    /** Writes or deallocates blocks: refused with DATA PROTECT, WRITE PROTECTED while SWP is set (SPC-4 7.5.8). */
    WRITES_BLOCKS,
    /** Processed while a SANITIZE runs: INQUIRY, REPORT LUNS, REQUEST SENSE (SBC-3 4.11.1). */
    ALLOWED_DURING_SANITIZE,
    /** Allowed even when another nexus holds an SPC-2 RESERVE (SPC-2 5.5.1). */
    LEGACY_RESERVATION_EXEMPT
}
