package io.jtgt.scsi.api;

import io.netty.buffer.ByteBuf;

/**
 * The outcome of a SCSI command.
 *
 * @param status SAM-5 status byte (0x00 GOOD, 0x02 CHECK CONDITION, 0x18 RESERVATION CONFLICT …)
 * @param sense sense data (fixed format, SPC-4 4.5.3) for CHECK CONDITION, otherwise empty
 * @param data Data-In produced by the command, or null. Ownership passes to the receiver, who
 *     releases it. Its length is what the command produced (already cut to the CDB's allocation
 *     length); the transport cuts it to the expected transfer length and reports residuals.
 */
public record ScsiResponse(int status, byte[] sense, ByteBuf data) {

    public static final int GOOD = 0x00;
    public static final int CHECK_CONDITION = 0x02;
    public static final int BUSY = 0x08;
    public static final int RESERVATION_CONFLICT = 0x18;
    public static final int TASK_SET_FULL = 0x28;
    public static final int TASK_ABORTED = 0x40;

    private static final byte[] NO_SENSE = new byte[0];

    public static ScsiResponse good(ByteBuf data) {
        return new ScsiResponse(GOOD, NO_SENSE, data);
    }

    /** GOOD without data: one shared instance (a record, so nothing can change it). */
    private static final ScsiResponse GOOD_WITHOUT_DATA = new ScsiResponse(GOOD, NO_SENSE, null);

    public static ScsiResponse good() {
        return GOOD_WITHOUT_DATA;
    }

    public static ScsiResponse checkCondition(byte[] sense) {
        return new ScsiResponse(CHECK_CONDITION, sense, null);
    }
}
