package io.jtgt.iscsi.server;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import io.jtgt.scsi.config.TargetLimits;
import java.util.Map;
import org.junit.jupiter.api.Test;

class TransportSettingsTest {

    @Test
    void bothDigestsAreAllowedByDefault() {
        assertEquals(List.of("CRC32C", "None"), TransportSettings.defaults().headerDigests());
        assertEquals(List.of("CRC32C", "None"), TransportSettings.defaults().dataDigests());
    }

    @Test
    void digestListsComeFromCommaSeparatedOrArrayProperties() {
        TransportSettings s = TransportSettings.fromProperties(Map.of("headerDigest", "crc32c",
                "dataDigest", new String[] {"None", " CRC32C "}));
        assertEquals(List.of("CRC32C"), s.headerDigests());
        assertEquals(List.of("None", "CRC32C"), s.dataDigests());
    }

    @Test
    void unknownOrEmptyDigestListsNameTheProperty() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> TransportSettings.fromProperties(Map.of("dataDigest", "CRC32C,MD5")));
        assertTrue(e.getMessage().startsWith("dataDigest") && e.getMessage().contains("MD5"), e.getMessage());
        e = assertThrows(IllegalArgumentException.class,
                () -> TransportSettings.fromProperties(Map.of("headerDigest", " , ")));
        assertTrue(e.getMessage().startsWith("headerDigest"), e.getMessage());
    }

    @Test
    void connectionLimitsComeFromTheSamePidAndNameTheKey() {
        TransportSettings s = TransportSettings.fromProperties(Map.of("loginTimeoutSeconds", "5",
                "maxConnectionsPerAddress", 8, "maxSessionsPerTarget", "3", "maxDataBytes", String.valueOf(2L << 30)));
        assertEquals(5, s.limits().loginTimeoutSeconds());
        assertEquals(8, s.limits().maxConnectionsPerAddress());
        assertEquals(3, s.limits().maxSessionsPerTarget());
        assertEquals(2L << 30, s.limits().maxDataBytes());
        assertEquals(ConnectionLimits.defaults().nopInTimeoutSeconds(), s.limits().nopInTimeoutSeconds());
        assertEquals("loginTimeoutSeconds: 0 is outside 1..3600", assertThrows(IllegalArgumentException.class,
                () -> TransportSettings.fromProperties(Map.of("loginTimeoutSeconds", 0))).getMessage());
        assertEquals("maxConnections: not an integer: 'many'", assertThrows(IllegalArgumentException.class,
                () -> TransportSettings.fromProperties(Map.of("maxConnections", "many"))).getMessage());
        assertTrue(assertThrows(IllegalArgumentException.class, () -> TransportSettings.fromProperties(
                Map.of("maxDataBytesPerConnection", 1L << 31, "maxDataBytes", 1L << 30))).getMessage()
                .startsWith("maxDataBytesPerConnection"));
    }

    @Test
    void aTargetsLimitsReplaceOursAndFirstBurstFollowsMaxBurst() {
        TransportSettings d = TransportSettings.defaults();
        assertEquals(d, d.forTarget(TargetLimits.NONE));
        TransportSettings t = d.forTarget(new TargetLimits(16384, 65536, null, 3, false, true, 1, 7, 0, 11, 12, 2));
        assertEquals(16384, t.maxRecvDataSegmentLength());
        assertEquals(65536, t.maxBurstLength());
        assertEquals(65536, t.firstBurstLength(), "the daemon's 256 KiB would exceed the target's MaxBurstLength");
        assertEquals(3, t.maxOutstandingR2T());
        assertFalse(t.immediateData());
        assertTrue(t.initialR2T());
        assertEquals(7, t.defaultTime2Wait());
        assertEquals(11, t.nopInIntervalSeconds());
        assertEquals(12, t.limits().nopInTimeoutSeconds());
        assertEquals(2, t.limits().maxSessionsPerTarget());
        assertEquals(d.queueDepth(), t.queueDepth());
        assertEquals(d.headerDigests(), t.headerDigests());
    }
}
