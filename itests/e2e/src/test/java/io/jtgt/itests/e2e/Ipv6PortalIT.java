package io.jtgt.itests.e2e;

import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;

/**
 * A portal on the IPv6 loopback ({@code [::1]:port}) as libiscsi's tools and QEMU use it:
 * discovery answers with a bracketed TargetAddress (RFC 7143 13.8, RFC 3986 3.2.2), and a
 * session logs in, reads the capacity and writes and reads back data.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class Ipv6PortalIT {

    private static final Duration TOOL_TIMEOUT = Duration.ofSeconds(60);
    private static final long SIZE = 64 * EmbeddedTarget.MIB;

    private EmbeddedTarget target;

    @BeforeAll
    void start() {
        target = EmbeddedTarget.builder().host("::1").lun(0, EmbeddedTarget.Lun.thin(SIZE)).start();
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
    void discoveryAndASessionOverIpv6() {
        String portal = target.portalUrl(0);
        assertTrue(portal.startsWith("iscsi://[::1]:") || portal.startsWith("iscsi://[0:0:0:0:0:0:0:1]:"), portal);
        String listing = ok("iscsi-ls", "-s", portal);
        assertTrue(listing.contains("Target:" + target.targetName()), listing);
        assertTrue(listing.contains("[") && listing.contains("]:" + target.port() + ",1"),
                () -> "bracketed IPv6 TargetAddress with its tag:\n" + listing);
        String capacity = ok("iscsi-readcapacity16", target.url(0));
        assertTrue(capacity.contains("Total size:" + SIZE), capacity);
        String io = ok("qemu-io", "-f", "raw", "-c", "write -P 0x5a 0 1M", "-c", "read -P 0x5a 0 1M", target.url(0));
        assertTrue(!io.contains("Pattern verification failed"), io);
    }
}
