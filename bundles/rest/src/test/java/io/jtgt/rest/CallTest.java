package io.jtgt.rest;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class CallTest {

    @Test
    void pathsSplitIntoSegments() {
        assertEquals(List.of("targets", "iqn.2026-11.io.jtgt:x", "luns"), Call.segments("/targets/iqn.2026-11.io.jtgt:x/luns/"));
        assertEquals(List.of(), Call.segments(null));
        assertEquals(List.of(), Call.segments("/"));
        Call call = new Call("GET", Call.segments("/a/b"), Map.of(), null);
        assertTrue(call.matches("a", null));
        assertFalse(call.matches("a"));
        assertFalse(call.matches("b", null));
        assertEquals("/a/b", call.pathText());
    }

    @Test
    void queriesDecodeAndFlagsParse() {
        assertEquals(Map.of("force", "true", "grace", "5", "q", "a b"), Call.query("force=true&grace=5&q=a%20b&grace=9"));
        assertEquals(Map.of("force", ""), Call.query("force"));
        assertEquals(Map.of(), Call.query(null));
        assertEquals("query: '%zz' is not URL-encoded",
                assertThrows(ApiException.class, () -> Call.query("x=%zz")).getMessage());
        assertTrue(new Call("DELETE", List.of(), Map.of("force", ""), "").flag("force"));
        assertFalse(new Call("DELETE", List.of(), Map.of("force", "false"), "").flag("force"));
        assertFalse(new Call("DELETE", List.of(), Map.of(), "").flag("force"));
    }
}
