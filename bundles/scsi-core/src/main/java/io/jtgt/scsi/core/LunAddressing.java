package io.jtgt.scsi.core;

/**
 * SAM-5 4.6 single-level LUN addressing: peripheral device addressing (4.6.6, LUN 0..255) and
 * flat space addressing (4.6.8, LUN 0..16383). REPORT LUNS encodes with the same rules the
 * command path decodes with.
 */
public final class LunAddressing {

    /** Returned by {@link #decode} for a LUN field jtgt does not address. */
    public static final int UNSUPPORTED = -1;

    private LunAddressing() {}

    /** The 8-byte LUN field for {@code lun}: peripheral for 0..255, flat space above. */
    public static long encode(int lun) {
        if (lun < 0 || lun > 16383) {
            throw new IllegalArgumentException("LUN out of range: " + lun);
        }
        long firstLevel = lun < 256 ? lun : 0x4000L | lun; // address method 00b or 01b
        return firstLevel << 48;
    }

    /** The LUN number, or {@link #UNSUPPORTED} for another address method or a second level. */
    public static int decode(long field) {
        if ((field & 0x0000_FFFF_FFFF_FFFFL) != 0) {
            return UNSUPPORTED; // second to fourth level: hierarchical addressing is not offered
        }
        int firstLevel = (int) (field >>> 48);
        int method = firstLevel >>> 14;
        return switch (method) {
            case 0 -> (firstLevel & 0x3F00) == 0 ? firstLevel & 0xFF : UNSUPPORTED; // bus 0 only
            case 1 -> firstLevel & 0x3FFF;
            default -> UNSUPPORTED; // logical unit addressing and extended (well-known) LUNs
        };
    }
}
