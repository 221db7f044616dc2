package io.jtgt.shell;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.Map;
import org.junit.jupiter.api.Test;

class FormatTest {

    @Test
    void portalGroupsAreSortedByTagWithCommaSeparatedIds() {
        assertEquals("1: 0,2; 3: 1", Format.portalGroups(Map.of(3, java.util.List.of(1), 1, java.util.List.of(0, 2))));
    }

    @Test
    void noPortalGroupsIsADash() {
        assertEquals("-", Format.portalGroups(Map.of()));
    }

    @Test
    void bytesUseBinaryUnits() {
        assertEquals("512 B", Format.bytes(512));
        assertEquals("1.0 GiB", Format.bytes(1L << 30));
        assertEquals("1.5 KiB", Format.bytes(1536));
        assertEquals("-", Format.bytes(-1));
    }
}
