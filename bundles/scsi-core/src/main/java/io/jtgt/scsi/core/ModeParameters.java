package io.jtgt.scsi.core;

/**
 * The changeable mode parameters of one logical unit (SPC-4 7.5): shared by every I_T nexus
 * (no per-initiator mode pages), lost on restart (saved values are not supported).
 */
public final class ModeParameters {

    private volatile boolean writeCacheEnabled = true;
    private volatile boolean softwareWriteProtect;

    /** Control page SWP (SPC-4 7.5.8): when set, commands that write the medium fail with WRITE PROTECTED. */
    public boolean softwareWriteProtect() {
        return softwareWriteProtect;
    }

    public void softwareWriteProtect(boolean value) {
        this.softwareWriteProtect = value;
    }

    /** Caching page WCE (SBC-3 6.4.5): when false every write is forced to stable storage. */
    public boolean writeCacheEnabled() {
        return writeCacheEnabled;
    }

    public void writeCacheEnabled(boolean value) {
        this.writeCacheEnabled = value;
    }
}
