package io.jtgt.iscsi.server;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
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
}
