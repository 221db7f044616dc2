package io.jtgt.admin;

import io.jtgt.scsi.config.ConfigPids;
import java.util.Set;

/**
 * Names of the factory configurations the admin service creates. Karaf's file install writes the
 * named factory configuration {@code <factoryPid>~<name>} to {@code etc/<factoryPid>-<name>.cfg},
 * so the name is what an operator sees in etc/: the deviceID, the portal id, the target name.
 */
final class ConfigNames {

    /** Factory PID of the access rules (CHAP, initiator lists) read by the iSCSI transport. */
    static final String AUTH = "io.jtgt.auth";

    private ConfigNames() {}

    static String storage(long deviceId) {
        return String.valueOf(deviceId);
    }

    static String portal(int id) {
        return String.valueOf(id);
    }

    static String target(String name) {
        return safe(name);
    }

    static String auth(String target) {
        return safe(target);
    }

    /**
     * A name that is a plain file name everywhere and holds no '~' (Config Admin's separator of
     * factory PID and name): IQN colons become '_'. Dashes stay: file install splits the file name
     * at its first '-' only, which is the one after the factory PID.
     */
    static String safe(String text) {
        return text.replaceAll("[^A-Za-z0-9._-]", "_");
    }

    /** {@code base}, else {@code base-2}, {@code base-3}... whichever PID is not taken yet. */
    static String free(String factoryPid, String base, Set<String> takenPids) {
        String name = base;
        for (int i = 2; takenPids.contains(factoryPid + "~" + name); i++) {
            name = base + "-" + i;
        }
        return name;
    }

    static boolean isJtgtFactory(String factoryPid) {
        return ConfigPids.STORAGE.equals(factoryPid) || ConfigPids.PORTAL.equals(factoryPid)
                || ConfigPids.TARGET.equals(factoryPid) || AUTH.equals(factoryPid);
    }
}
