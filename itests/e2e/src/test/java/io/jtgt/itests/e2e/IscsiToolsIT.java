package io.jtgt.itests.e2e;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Collectors;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;

/** Discovery, INQUIRY and READ CAPACITY(16) as libiscsi's command-line tools see them. */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class IscsiToolsIT {

    private static final Duration TOOL_TIMEOUT = Duration.ofSeconds(30);
    private static final long THIN_SIZE = 256 * EmbeddedTarget.MIB;
    private static final long THICK_SIZE = 64 * EmbeddedTarget.MIB;

    private EmbeddedTarget target;

    @BeforeAll
    void start() {
        target = EmbeddedTarget.builder()
                .lun(0, EmbeddedTarget.Lun.thin(THIN_SIZE))
                .lun(1, EmbeddedTarget.Lun.thick(THICK_SIZE).withBlockShift(12))
                .start();
    }

    @AfterAll
    void stop() {
        if (target != null) {
            target.close();
        }
    }

    private static ExternalCommand.Result ok(String... command) {
        return ExternalCommand.ok(TOOL_TIMEOUT, command);
    }

    /** "Key:Value" lines as printed by iscsi-inq and iscsi-readcapacity16. */
    private static Map<String, String> fields(String output) {
        return output.lines().filter(l -> l.contains(":"))
                .collect(Collectors.toMap(l -> l.substring(0, l.indexOf(':')).trim(),
                        l -> l.substring(l.indexOf(':') + 1).trim(), (first, second) -> first));
    }

    @Test
    void sendTargetsDiscoveryReportsTheTargetAtItsRealPortAndItsLuns() {
        ExternalCommand.Result result = ok("iscsi-ls", "-s", target.portalUrl());
        String out = result.stdout();
        // RFC 7143 12.3 / Appendix C: TargetAddress=host:port,tpgt with the bound port, never 0.
        assertTrue(out.contains("Target:" + target.targetName() + " Portal:127.0.0.1:" + target.port() + ",1"),
                () -> "target/portal missing:\n" + result.describe());
        assertTrue(Pattern.compile("(?m)^Lun:0\\s+Type:DIRECT_ACCESS").matcher(out).find(), result::describe);
        assertTrue(Pattern.compile("(?m)^Lun:1\\s+Type:DIRECT_ACCESS").matcher(out).find(), result::describe);
    }

    @Test
    void standardInquiryDescribesAConnectedDisk() {
        ExternalCommand.Result result = ok("iscsi-inq", target.url(0));
        Map<String, String> f = fields(result.stdout());
        assertEquals("CONNECTED", f.get("Peripheral Qualifier"), result::describe);
        assertEquals("DIRECT_ACCESS", f.get("Peripheral Device Type"), result::describe);
        assertEquals("2", f.get("ReponseDataFormat"), result::describe); // SPC-4 6.6.2: always 2
        assertEquals("1", f.get("CmdQue"), result::describe);
        assertTrue(f.getOrDefault("Vendor", "").length() > 0, result::describe);
        assertTrue(f.getOrDefault("Product", "").length() > 0, result::describe);
    }

    @Test
    void vpdPagesListAndDeviceIdentification() {
        ExternalCommand.Result supported = ok("iscsi-inq", "-e", "1", "-c", "0", target.url(0));
        // SPC-4 7.8.13: page 00h lists itself; 83h (device identification) is mandatory.
        assertTrue(supported.stdout().contains("Page:0x00 SUPPORTED_VPD_PAGES"), supported::describe);
        assertTrue(supported.stdout().contains("Page:0x83 DEVICE_IDENTIFICATION"), supported::describe);
        // SBC-3 6.6.4: a thin-provisioned LU reports the LOGICAL BLOCK PROVISIONING page.
        assertTrue(supported.stdout().contains("Page:0xb2 LOGICAL_BLOCK_PROVISIONING"), supported::describe);

        ExternalCommand.Result identification = ok("iscsi-inq", "-e", "1", "-c", "131", target.url(0));
        assertTrue(identification.stdout().contains("DEVICE DESIGNATOR #0"), identification::describe);
        assertTrue(identification.stdout().contains("Association:(0) LOGICAL_UNIT"), identification::describe);

        ExternalCommand.Result otherLun = ok("iscsi-inq", "-e", "1", "-c", "131", target.url(1));
        assertTrue(!designators(identification.stdout()).equals(designators(otherLun.stdout())),
                () -> "two LUNs must not share their identifiers:\n" + identification.describe() + otherLun.describe());
    }

    private static String designators(String output) {
        return output.lines().filter(l -> l.startsWith("Designator:")).collect(Collectors.joining("\n"));
    }

    @Test
    void readCapacity16MatchesTheConfiguredSizeAndBlockSize() {
        assertCapacity(0, THIN_SIZE, 512, "1");
        assertCapacity(1, THICK_SIZE, 4096, "0");
    }

    private void assertCapacity(int lun, long size, int blockSize, String lbpme) {
        ExternalCommand.Result result = ok("iscsi-readcapacity16", target.url(lun));
        Map<String, String> f = fields(result.stdout());
        // SBC-3 5.16.2: RETURNED LOGICAL BLOCK ADDRESS is the last LBA, not the count.
        assertEquals(String.valueOf(size / blockSize - 1), f.get("RETURNED LOGICAL BLOCK ADDRESS"), result::describe);
        assertEquals(String.valueOf(blockSize), f.get("LOGICAL BLOCK LENGTH IN BYTES"), result::describe);
        assertEquals(String.valueOf(size), f.get("Total size"), result::describe);
        Matcher m = Pattern.compile("LBPME:(\\d)").matcher(result.stdout());
        assertTrue(m.find(), result::describe);
        assertEquals(lbpme, m.group(1), () -> "LBPME for " + (lbpme.equals("1") ? "thin" : "thick") + " LUN " + lun
                + ":\n" + result.describe());
    }
}
