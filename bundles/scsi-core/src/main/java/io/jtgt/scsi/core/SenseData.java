package io.jtgt.scsi.core;

/**
 * Builds fixed-format sense data (SPC-4 4.5.3, response code 70h = current error). The single
 * place where sense bytes are laid out.
 */
public final class SenseData {

    /** Fixed-format sense data is 18 bytes: 8 header + ADDITIONAL SENSE LENGTH 10. */
    public static final int LENGTH = 18;

    private final SenseCode code;
    private Long information;
    private int senseKeySpecific = -1;

    private SenseData(SenseCode code) {
        this.code = code;
    }

    public static SenseData of(SenseCode code) {
        return new SenseData(code);
    }

    /** The INFORMATION field (e.g. the first LBA that failed, or the miscompare offset); sets VALID. */
    public SenseData information(long value) {
        this.information = value;
        return this;
    }

    /**
     * SPC-4 4.5.2.4.2 field pointer: the byte (and bit, or -1 for none) of the CDB ({@code inCdb})
     * or parameter list that is wrong. Only meaningful with ILLEGAL REQUEST.
     */
    public SenseData fieldPointer(boolean inCdb, int byteIndex, int bit) {
        int b = 0x80 | (inCdb ? 0x40 : 0) | (bit >= 0 ? 0x08 | (bit & 0x7) : 0);
        this.senseKeySpecific = (b << 16) | (byteIndex & 0xFFFF);
        return this;
    }

    public SenseCode code() {
        return code;
    }

    public byte[] build() {
        byte[] s = new byte[LENGTH];
        s[0] = (byte) (0x70 | (information != null ? 0x80 : 0)); // VALID + current, fixed format
        s[2] = (byte) (code.key() & 0x0F);
        if (information != null) {
            long v = information;
            s[3] = (byte) (v >>> 24);
            s[4] = (byte) (v >>> 16);
            s[5] = (byte) (v >>> 8);
            s[6] = (byte) v;
        }
        s[7] = (byte) (LENGTH - 8); // ADDITIONAL SENSE LENGTH
        s[12] = (byte) code.asc();
        s[13] = (byte) code.ascq();
        if (senseKeySpecific >= 0) {
            s[15] = (byte) (senseKeySpecific >>> 16);
            s[16] = (byte) (senseKeySpecific >>> 8);
            s[17] = (byte) senseKeySpecific;
        }
        return s;
    }
}
