package io.jtgt.scsi.config;

/** The Config Admin PIDs jtgt reads (factory PIDs for the objects that come in numbers). */
public final class ConfigPids {

    /** Factory PID, one configuration per storage (gotgt {@code storages} entry). */
    public static final String STORAGE = "io.jtgt.storage";
    /** Factory PID, one configuration per portal (gotgt {@code iscsiportals} entry). */
    public static final String PORTAL = "io.jtgt.portal";
    /** Factory PID, one configuration per target (gotgt {@code iscsitargets} entry). */
    public static final String TARGET = "io.jtgt.target";
    /** Singleton PID: the gotgt {@code performance} keys unchanged. */
    public static final String PERFORMANCE = "io.jtgt.performance";
    /** Singleton PID: the target's own iSCSI limits. */
    public static final String ISCSI = "io.jtgt.iscsi";

    private ConfigPids() {}
}
