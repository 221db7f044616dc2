package io.jtgt.itests.e2e;

import java.time.Duration;
import java.util.List;
import java.util.Locale;
import java.util.Optional;

/**
 * The LUN configurations the conformance run starts, each the way an administrator would
 * configure it ({@code io.jtgt.storage} properties), with a check through a real initiator that
 * the target really serves it that way. A configuration the target ignores must not turn into
 * tests quietly skipped: {@link #notInEffect} names what is missing, and the run fails on it.
 */
enum LunProfile {

    /** The everyday LUN: 256 MiB, thin-provisioned, 512-byte blocks. */
    THIN_512("thin-provisioned, 512 B blocks", 1) {
        @Override
        EmbeddedTarget.Lun lun() {
            return EmbeddedTarget.Lun.thin(SIZE);
        }
    },

    /** {@code readOnly=true}: every writing command must end in DATA PROTECT / WRITE PROTECTED. */
    READ_ONLY("read-only (readOnly=true)", 1) {
        @Override
        EmbeddedTarget.Lun lun() {
            return EmbeddedTarget.Lun.thin(SIZE).with("readOnly", true);
        }

        @Override
        Optional<String> notInEffect(EmbeddedTarget target) {
            // QEMU refuses to open a LUN read-write when MODE SENSE reports WP=1 (the bit libiscsi's
            // ReadOnly suite checks before testing anything).
            ExternalCommand.Result qemu = ExternalCommand.run(PROBE_TIMEOUT, "qemu-io", "-f", "raw", "-c", "read 0 512",
                    target.url(0));
            if (qemu.output().toLowerCase(Locale.ROOT).contains("write protected")) {
                return Optional.empty();
            }
            return Optional.of("readOnly=true is not honoured: qemu-io opened the LUN read-write (MODE SENSE reports no"
                    + " WP bit). " + qemu.describe());
        }
    },

    /** {@code removable=true}: INQUIRY RMB=1, START STOP UNIT can eject/load, PREVENT ALLOW applies. */
    REMOVABLE("removable medium (removable=true)", 1) {
        @Override
        EmbeddedTarget.Lun lun() {
            return EmbeddedTarget.Lun.thin(SIZE).with("removable", true);
        }

        @Override
        Optional<String> notInEffect(EmbeddedTarget target) {
            ExternalCommand.Result inq = ExternalCommand.run(PROBE_TIMEOUT, "iscsi-inq", target.url(0));
            return inq.stdout().lines().anyMatch(l -> l.trim().equals("Removable:1")) ? Optional.empty()
                    : Optional.of("removable=true is not honoured: standard INQUIRY reports RMB=0. " + inq.describe());
        }
    },

    /**
     * 512-byte logical blocks on 4 KiB physical blocks ({@code physicalBlockShift=12}): READ
     * CAPACITY(16) LOGICAL BLOCKS PER PHYSICAL BLOCK EXPONENT 3. libiscsi's unaligned-UNMAP and
     * invalid-data-out-size tests of WRITE SAME and COMPARE AND WRITE only run when it is at least 1.
     */
    PHYSICAL_4K("512 B logical / 4 KiB physical blocks (physicalBlockShift=12)", 1) {
        @Override
        EmbeddedTarget.Lun lun() {
            return EmbeddedTarget.Lun.thin(SIZE).with("physicalBlockShift", 12);
        }

        @Override
        Optional<String> notInEffect(EmbeddedTarget target) {
            ExternalCommand.Result rc16 = ExternalCommand.run(PROBE_TIMEOUT, "iscsi-readcapacity16", target.url(0));
            return rc16.stdout().contains("LOGICAL BLOCKS PER PHYSICAL BLOCK EXPONENT:3") ? Optional.empty()
                    : Optional.of("physicalBlockShift=12 is not honoured: READ CAPACITY(16) does not report"
                            + " LOGICAL BLOCKS PER PHYSICAL BLOCK EXPONENT 3. " + rc16.describe());
        }
    },

    /**
     * A small thin LUN whose SANITIZE OVERWRITE is throttled ({@code sanitizeRate=2} MiB/s: 16 MiB
     * take 8 s), as an administrator would keep a sanitize from starving other LUNs. Sanitize.Reset
     * checks SANITIZE IN PROGRESS 3 s after starting one and again after the resets, a reconnect
     * and another second; an unthrottled overwrite has long finished by then. That test then polls
     * completion every 60 s, hence the longer limit.
     */
    SANITIZE("16 MiB thin, SANITIZE OVERWRITE at 2 MiB/s (sanitizeRate=2)", 1) {
        @Override
        EmbeddedTarget.Lun lun() {
            return EmbeddedTarget.Lun.thin(16 * EmbeddedTarget.MIB).with("sanitizeRate", 2);
        }

        @Override
        Duration suiteTimeout() {
            return Duration.ofSeconds(180);
        }
    },

    /** The thin LUN reached through two portals of one target portal group: two paths, one LU. */
    MULTIPATH("thin-provisioned, three portals in two portal groups (two URLs, one per group)", 3) {
        @Override
        EmbeddedTarget.Lun lun() {
            return EmbeddedTarget.Lun.thin(SIZE);
        }
    };

    private static final long SIZE = 256 * EmbeddedTarget.MIB;
    private static final Duration PROBE_TIMEOUT = Duration.ofSeconds(30);
    /** The slowest ordinary suite takes ~12 s (Reserve6: reconnects and resets); a hang costs this much. */
    static final Duration DEFAULT_SUITE_TIMEOUT = Duration.ofSeconds(90);

    private final String description;
    private final int portals;

    LunProfile(String description, int portals) {
        this.description = description;
        this.portals = portals;
    }

    abstract EmbeddedTarget.Lun lun();

    /** What an administrator reads in the table. */
    String description() {
        return description;
    }

    /** A fresh target serving this profile as LUN 0. */
    EmbeddedTarget start() {
        return EmbeddedTarget.builder().lun(0, lun()).portals(portals).portalGroups(portals == 1 ? 1 : 2).start();
    }

    /** How long one suite on this profile may run before it counts as hung. */
    Duration suiteTimeout() {
        return DEFAULT_SUITE_TIMEOUT;
    }

    /** The URLs iscsi-test-cu gets: one per path to LUN 0. */
    List<String> urls(EmbeddedTarget target) {
        // the first portal (group 1) and the last (group 2): paths through two target ports
        return portals == 1 ? List.of(target.url(0)) : List.of(target.url(0, 0), target.url(0, portals - 1));
    }

    /** Empty when the target serves the LUN as configured; otherwise what it got wrong. */
    Optional<String> notInEffect(EmbeddedTarget target) {
        return Optional.empty();
    }
}
