package io.jtgt.scsi.core;

/**
 * A sense key with its additional sense code and qualifier (SPC-4 4.5.6, Annex D). Every sense
 * code jtgt reports is a constant here, so the whole vocabulary is in one place.
 */
public record SenseCode(int key, int asc, int ascq) {

    // Sense keys, SPC-4 Table 47
    public static final int KEY_NO_SENSE = 0x0;
    public static final int KEY_NOT_READY = 0x2;
    public static final int KEY_MEDIUM_ERROR = 0x3;
    public static final int KEY_HARDWARE_ERROR = 0x4;
    public static final int KEY_ILLEGAL_REQUEST = 0x5;
    public static final int KEY_UNIT_ATTENTION = 0x6;
    public static final int KEY_DATA_PROTECT = 0x7;
    public static final int KEY_COPY_ABORTED = 0xA;
    public static final int KEY_ABORTED_COMMAND = 0xB;
    public static final int KEY_MISCOMPARE = 0xE;

    public static final SenseCode NO_SENSE = new SenseCode(KEY_NO_SENSE, 0x00, 0x00);

    /** 04h/01h: the store is being opened; an initiator should retry shortly. */
    public static final SenseCode NOT_READY_BECOMING_READY = new SenseCode(KEY_NOT_READY, 0x04, 0x01);
    /** 04h/03h: an administrator must act (install the backend, set the storage online). */
    public static final SenseCode NOT_READY_MANUAL_INTERVENTION = new SenseCode(KEY_NOT_READY, 0x04, 0x03);
    /** 04h/1Bh: a SANITIZE operation is running (SBC-3 4.11). */
    public static final SenseCode SANITIZE_IN_PROGRESS = new SenseCode(KEY_NOT_READY, 0x04, 0x1B);
    /** 08h/00h: the storage behind the LUN is unreachable. */
    public static final SenseCode NOT_READY_COMMUNICATION_FAILURE = new SenseCode(KEY_NOT_READY, 0x08, 0x00);
    /** 4Ch/00h: opening the store failed; the cause is in the management view. */
    public static final SenseCode NOT_READY_SELF_CONFIGURATION_FAILED = new SenseCode(KEY_NOT_READY, 0x4C, 0x00);

    /** 3Ah/02h: a removable medium was ejected (SBC-3 5.20 LOEJ) and not loaded again. */
    public static final SenseCode MEDIUM_NOT_PRESENT_TRAY_OPEN = new SenseCode(KEY_NOT_READY, 0x3A, 0x02);

    public static final SenseCode WRITE_ERROR = new SenseCode(KEY_MEDIUM_ERROR, 0x0C, 0x00);
    /** 31h/03h: the last SANITIZE failed; the unit is in the sanitize failure mode (SBC-3 4.11). */
    public static final SenseCode SANITIZE_COMMAND_FAILED = new SenseCode(KEY_MEDIUM_ERROR, 0x31, 0x03);
    public static final SenseCode UNRECOVERED_READ_ERROR = new SenseCode(KEY_MEDIUM_ERROR, 0x11, 0x00);

    public static final SenseCode INTERNAL_TARGET_FAILURE = new SenseCode(KEY_HARDWARE_ERROR, 0x44, 0x00);

    public static final SenseCode PARAMETER_LIST_LENGTH_ERROR = new SenseCode(KEY_ILLEGAL_REQUEST, 0x1A, 0x00);
    public static final SenseCode INVALID_COMMAND_OPERATION_CODE = new SenseCode(KEY_ILLEGAL_REQUEST, 0x20, 0x00);
    public static final SenseCode LBA_OUT_OF_RANGE = new SenseCode(KEY_ILLEGAL_REQUEST, 0x21, 0x00);
    public static final SenseCode INVALID_FIELD_IN_CDB = new SenseCode(KEY_ILLEGAL_REQUEST, 0x24, 0x00);
    public static final SenseCode LOGICAL_UNIT_NOT_SUPPORTED = new SenseCode(KEY_ILLEGAL_REQUEST, 0x25, 0x00);
    public static final SenseCode INVALID_FIELD_IN_PARAMETER_LIST = new SenseCode(KEY_ILLEGAL_REQUEST, 0x26, 0x00);
    /** 26h/06h, 26h/07h, 26h/08h, 26h/09h: EXTENDED COPY parameter list problems (SPC-4 6.3). */
    public static final SenseCode TOO_MANY_TARGET_DESCRIPTORS = new SenseCode(KEY_ILLEGAL_REQUEST, 0x26, 0x06);
    public static final SenseCode UNSUPPORTED_TARGET_DESCRIPTOR_TYPE = new SenseCode(KEY_ILLEGAL_REQUEST, 0x26, 0x07);
    public static final SenseCode TOO_MANY_SEGMENT_DESCRIPTORS = new SenseCode(KEY_ILLEGAL_REQUEST, 0x26, 0x08);
    public static final SenseCode UNSUPPORTED_SEGMENT_DESCRIPTOR_TYPE = new SenseCode(KEY_ILLEGAL_REQUEST, 0x26, 0x09);
    /** 26h/04h: RELEASE with a TYPE other than the reservation's (SPC-4 5.9.11.2). */
    public static final SenseCode INVALID_RELEASE_OF_PERSISTENT_RESERVATION = new SenseCode(KEY_ILLEGAL_REQUEST, 0x26, 0x04);
    /** 53h/02h: LOEJ while PREVENT ALLOW MEDIUM REMOVAL prevents removal (SBC-3 5.20, SPC-4 6.13). */
    public static final SenseCode MEDIUM_REMOVAL_PREVENTED = new SenseCode(KEY_ILLEGAL_REQUEST, 0x53, 0x02);
    public static final SenseCode SAVING_PARAMETERS_NOT_SUPPORTED = new SenseCode(KEY_ILLEGAL_REQUEST, 0x39, 0x00);

    public static final SenseCode POWER_ON_RESET = new SenseCode(KEY_UNIT_ATTENTION, 0x29, 0x00);
    /** 29h/03h: LOGICAL UNIT RESET (or a target reset) reached the unit (SAM-5 7.7). */
    public static final SenseCode BUS_DEVICE_RESET = new SenseCode(KEY_UNIT_ATTENTION, 0x29, 0x03);
    public static final SenseCode MODE_PARAMETERS_CHANGED = new SenseCode(KEY_UNIT_ATTENTION, 0x2A, 0x01);
    public static final SenseCode CAPACITY_DATA_CHANGED = new SenseCode(KEY_UNIT_ATTENTION, 0x2A, 0x09);
    public static final SenseCode RESERVATIONS_PREEMPTED = new SenseCode(KEY_UNIT_ATTENTION, 0x2A, 0x03);
    public static final SenseCode RESERVATIONS_RELEASED = new SenseCode(KEY_UNIT_ATTENTION, 0x2A, 0x04);
    public static final SenseCode REGISTRATIONS_PREEMPTED = new SenseCode(KEY_UNIT_ATTENTION, 0x2A, 0x05);
    /** 2Fh/00h: CLEAR TASK SET from another I_T nexus aborted this nexus's tasks (SAM-5 7.5, TAS=0). */
    public static final SenseCode COMMANDS_CLEARED_BY_ANOTHER_INITIATOR = new SenseCode(KEY_UNIT_ATTENTION, 0x2F, 0x00);
    public static final SenseCode REPORTED_LUNS_DATA_CHANGED = new SenseCode(KEY_UNIT_ATTENTION, 0x3F, 0x0E);

    public static final SenseCode WRITE_PROTECTED = new SenseCode(KEY_DATA_PROTECT, 0x27, 0x00);
    public static final SenseCode SPACE_ALLOCATION_FAILED_WRITE_PROTECT = new SenseCode(KEY_DATA_PROTECT, 0x27, 0x07);

    /** COPY ABORTED, 0Dh/02h: an EXTENDED COPY source or destination cannot be reached (SPC-4 6.3.x). */
    public static final SenseCode COPY_TARGET_NOT_REACHABLE = new SenseCode(KEY_COPY_ABORTED, 0x0D, 0x02);
    /** COPY ABORTED without further code: a segment could not be processed (beyond the capacity, I/O error). */
    public static final SenseCode COPY_ABORTED = new SenseCode(KEY_COPY_ABORTED, 0x00, 0x00);

    /** 4Bh/00h: the Data-Out could not be fetched (the connection failed during the data phase). */
    public static final SenseCode DATA_PHASE_ERROR = new SenseCode(KEY_ABORTED_COMMAND, 0x4B, 0x00);

    public static final SenseCode MISCOMPARE_DURING_VERIFY = new SenseCode(KEY_MISCOMPARE, 0x1D, 0x00);

    /** Fixed-format sense data for this code without further fields. */
    public byte[] toSense() {
        return SenseData.of(this).build();
    }
}
