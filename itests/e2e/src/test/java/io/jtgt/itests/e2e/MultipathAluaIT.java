package io.jtgt.itests.e2e;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import java.util.List;
import java.util.stream.Collectors;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;

/**
 * One LUN behind three portals in two target portal groups, as libiscsi's tools see it on each
 * path: SendTargets names every portal with its group's tag, INQUIRY says implicit ALUA (TPGS),
 * and VPD 83h carries the same logical unit designators on every path but the relative target
 * port and target port group of the path taken (SPC-4 7.8.6), which is how multipath tells one
 * disk reached two ways from two disks. (libiscsi's MultipathIO suite runs across the groups in
 * the conformance run.)
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class MultipathAluaIT {

    private static final Duration TOOL_TIMEOUT = Duration.ofSeconds(30);

    private EmbeddedTarget target;

    @BeforeAll
    void start() {
        target = EmbeddedTarget.builder().lun(0, EmbeddedTarget.Lun.thin(64 * EmbeddedTarget.MIB))
                .portals(3).portalGroups(2).start();
    }

    @AfterAll
    void stop() {
        if (target != null) {
            target.close();
        }
    }

    private static String ok(String... command) {
        return ExternalCommand.ok(TOOL_TIMEOUT, command).stdout();
    }

    @Test
    void sendTargetsListsEveryPortalWithItsGroupTag() {
        String out = ok("iscsi-ls", "-s", target.portalUrl(2));
        for (int portal = 0; portal < 3; portal++) {
            String address = target.portalUrl(portal).substring("iscsi://".length());
            int tag = portal < 2 ? 1 : 2;
            assertTrue(out.contains(address + "," + tag), "portal " + address + ",tag " + tag + " in:\n" + out);
        }
    }

    @Test
    void everyPathShowsTheSameLogicalUnitThroughItsOwnTargetPortGroup() {
        List<String> paths = List.of(target.url(0, 0), target.url(0, 1), target.url(0, 2));
        String logicalUnit = null;
        for (int i = 0; i < paths.size(); i++) {
            String standard = ok("iscsi-inq", paths.get(i));
            assertTrue(standard.contains("TPGS:1"), () -> "implicit ALUA in standard INQUIRY:\n" + standard);
            String page = ok("iscsi-inq", "-e", "1", "-c", "131", paths.get(i));
            List<String> designators = designators(page);
            String lu = designators.stream().filter(d -> d.contains("LOGICAL_UNIT")).collect(Collectors.joining("\n"));
            if (logicalUnit == null) {
                logicalUnit = lu;
            }
            assertEquals(logicalUnit, lu, "the same logical unit on path " + i);
            int group = i < 2 ? 1 : 2;
            // iscsi-inq prints binary designators raw; their values are checked in scsi-core's SpcTest
            assertTrue(page.contains("Designator Type:(5) TARGET_PORT_GROUP"), () -> "a target port group:\n" + page);
            assertTrue(page.contains("Designator Type:(4) RELATIVE_TARGET_PORT"), () -> "a relative port:\n" + page);
            String port = "Designator:[" + target.targetName() + ",t,0x000" + group + "]";
            assertTrue(page.contains(port), () -> "the target port of group " + group + " on path " + paths + ":\n" + page);
        }
        assertNotEquals("", logicalUnit);
    }

    /** "DEVICE DESIGNATOR #n" blocks of iscsi-inq's VPD 83h output, one string each. */
    private static List<String> designators(String output) {
        return List.of(output.split("DEVICE DESIGNATOR #")).stream().skip(1).map(String::trim).toList();
    }
}
