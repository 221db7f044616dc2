package io.jtgt.scsi.core.spc;

import io.jtgt.scsi.core.Device;
import io.jtgt.scsi.core.Medium;
import io.jtgt.scsi.core.ModeParameters;

/**
 * The mode pages jtgt has (SPC-4 7.5, SBC-3 6.4), as current, changeable, default and saved
 * values. Saved values exist when the service keeps state ({@link ModeParameters#saveable()}):
 * then the pages with a changeable parameter carry PS=1 (SPC-4 7.5.7) and PC 11b shows what
 * MODE SELECT SP=1 last saved (the defaults before that); without, PC 11b is refused by MODE SENSE.
 */
public final class ModePages {

    public static final int CACHING = 0x08;
    public static final int CONTROL = 0x0A;
    public static final int INFORMATIONAL_EXCEPTIONS = 0x1C;
    public static final int ALL = 0x3F;

    /** Page codes in the order MODE SENSE returns them for 3Fh. */
    public static final int[] CODES = {CACHING, CONTROL, INFORMATIONAL_EXCEPTIONS};

    public static final int PC_CURRENT = 0;
    public static final int PC_CHANGEABLE = 1;
    public static final int PC_DEFAULT = 2;
    public static final int PC_SAVED = 3;

    /** SPC-4 7.5.7: PARAMETERS SAVEABLE, bit 7 of a page's first byte (reserved in MODE SELECT data). */
    private static final int PS = 0x80;

    private ModePages() {}

    public static boolean exists(int code) {
        return code == CACHING || code == CONTROL || code == INFORMATIONAL_EXCEPTIONS;
    }

    /** Whether WCE can be changed with MODE SELECT: only a store with a volatile cache has one to switch. */
    public static boolean writeCacheChangeable(Medium m) {
        return m != null && m.capabilities().volatileCache();
    }

    /** Whether saved values exist at all for this unit (MODE SENSE PC 11b, MODE SELECT SP=1). */
    public static boolean savingSupported(Device device) {
        return device.modeParameters().saveable();
    }

    /** The page bytes (header included) for a page control value. */
    public static byte[] page(int code, int pc, Device device, Medium medium) {
        return switch (code) {
            case CACHING -> caching(pc, device, medium);
            case CONTROL -> control(pc, device);
            case INFORMATIONAL_EXCEPTIONS -> informationalExceptions(pc);
            default -> throw new IllegalArgumentException("no mode page " + code);
        };
    }

    /** SBC-3 6.4.5 Caching mode page: WCE reflects whether writes may sit in a volatile cache. */
    private static byte[] caching(int pc, Device device, Medium medium) {
        byte[] p = new byte[20];
        ModeParameters params = device.modeParameters();
        boolean changeable = writeCacheChangeable(medium);
        p[0] = (byte) (CACHING | (params.saveable() && changeable ? PS : 0));
        p[1] = 0x12;
        boolean volatileCache = medium != null && medium.capabilities().volatileCache();
        switch (pc) {
            case PC_CHANGEABLE -> p[2] = (byte) (changeable ? 0x04 : 0);
            case PC_DEFAULT -> p[2] = (byte) (volatileCache ? 0x04 : 0);
            case PC_SAVED -> p[2] = (byte) (volatileCache && params.saved().writeCacheEnabled() ? 0x04 : 0);
            default -> p[2] = (byte) (volatileCache && params.writeCacheEnabled() ? 0x04 : 0);
        }
        return p;
    }

    /**
     * SPC-4 7.5.8 Control mode page: TST 000b (one task set), QUEUE ALGORITHM MODIFIER 1
     * (unrestricted reordering: commands run concurrently), QERR 00b, fixed-format sense
     * (D_SENSE 0), GLTSD 1 (no log pages saved). SWP (software write protect) is changeable.
     */
    private static byte[] control(int pc, Device device) {
        byte[] p = new byte[12];
        ModeParameters params = device.modeParameters();
        p[0] = (byte) (CONTROL | (params.saveable() ? PS : 0));
        p[1] = 0x0A;
        if (pc == PC_CHANGEABLE) {
            p[4] = 0x08; // SWP
        } else {
            boolean swp = switch (pc) {
                case PC_CURRENT -> params.softwareWriteProtect();
                case PC_SAVED -> params.saved().softwareWriteProtect();
                default -> false;
            };
            if (swp) {
                p[4] = 0x08;
            }
            p[2] = 0x02; // GLTSD
            p[3] = 0x10; // QUEUE ALGORITHM MODIFIER = 1
            p[8] = (byte) 0xFF; // BUSY TIMEOUT PERIOD: unlimited
            p[9] = (byte) 0xFF;
        }
        return p;
    }

    /** SPC-4 7.5.11 Informational Exceptions Control page: exceptions disabled (DEXCPT 1), MRIE 0; nothing saveable. */
    private static byte[] informationalExceptions(int pc) {
        byte[] p = new byte[12];
        p[0] = INFORMATIONAL_EXCEPTIONS;
        p[1] = 0x0A;
        if (pc != PC_CHANGEABLE) {
            p[2] = 0x08; // DEXCPT
        }
        return p;
    }
}
