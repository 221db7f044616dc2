package io.jtgt.scsi.core;

/**
 * The changeable mode parameters of one logical unit (SPC-4 7.5): shared by every I_T nexus (no
 * per-initiator mode pages). Current values are what commands obey; saved values (SPC-4 6.9, SP=1)
 * are kept durably by {@link ModeParameterFiles} when the service has a state directory, and are
 * the current values whenever the unit is opened (SPC-4 7.5.1: after power on, the saved values,
 * or the defaults when nothing was saved).
 */
public final class ModeParameters {

    /**
     * One set of values of every changeable parameter.
     *
     * @param writeCacheEnabled caching page WCE (SBC-3 6.4.5)
     * @param softwareWriteProtect control page SWP (SPC-4 7.5.8)
     */
    public record Values(boolean writeCacheEnabled, boolean softwareWriteProtect) {

        /** The default values: write-back caching on (where the store has a cache), not write protected. */
        public static final Values DEFAULTS = new Values(true, false);
    }

    private final boolean saveable;
    private volatile boolean writeCacheEnabled;
    private volatile boolean softwareWriteProtect;
    private volatile Values saved;

    /** Parameters that cannot be saved: current values start at the defaults. */
    public ModeParameters() {
        this(false, Values.DEFAULTS);
    }

    /** {@code saved} (the defaults when nothing was saved) becomes the current values. */
    public ModeParameters(boolean saveable, Values saved) {
        this.saveable = saveable;
        this.saved = saved;
        this.writeCacheEnabled = saved.writeCacheEnabled();
        this.softwareWriteProtect = saved.softwareWriteProtect();
    }

    /** Whether MODE SELECT with SP=1 can save the values (PS bit of the pages, SPC-4 7.5.7). */
    public boolean saveable() {
        return saveable;
    }

    /** The saved values (MODE SENSE PC=11b); the defaults while nothing was saved. */
    public Values saved() {
        return saved;
    }

    void saved(Values values) {
        this.saved = values;
    }

    /** The current values as one consistent snapshot (what SP=1 saves). */
    public synchronized Values current() {
        return new Values(writeCacheEnabled, softwareWriteProtect);
    }

    /** Control page SWP (SPC-4 7.5.8): when set, commands that write the medium fail with WRITE PROTECTED. */
    public boolean softwareWriteProtect() {
        return softwareWriteProtect;
    }

    public synchronized void softwareWriteProtect(boolean value) {
        this.softwareWriteProtect = value;
    }

    /** Caching page WCE (SBC-3 6.4.5): when false every write is forced to stable storage. */
    public boolean writeCacheEnabled() {
        return writeCacheEnabled;
    }

    public synchronized void writeCacheEnabled(boolean value) {
        this.writeCacheEnabled = value;
    }
}
