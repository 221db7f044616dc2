package io.jtgt.scsi.core;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import io.jtgt.scsi.api.ItNexus;
import io.jtgt.scsi.api.ManagementService.SessionView;
import io.jtgt.scsi.api.NexusInfo;
import io.jtgt.scsi.testing.Harness;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class SessionLogoutTest {

    @Test
    void theSessionWithThatTsihIsAskedThroughItsTransport() {
        try (Harness h = new Harness()) {
            List<Integer> asked = new ArrayList<>();
            ItNexus controlled = h.service.target(Harness.TARGET).orElseThrow().connect(new NexusInfo(
                    "iqn.1994-05.com.example:other", 0x400000000001L, 7, 1, "127.0.0.1:50001", "127.0.0.1:3260",
                    () -> Map.of("MaxBurstLength", "262144"), () -> 3, null, asked::add));
            SessionView v = h.service.logoutSession(7, 30);
            assertEquals(List.of(30), asked);
            assertEquals("iqn.1994-05.com.example:other", v.initiatorName());
            assertEquals("400000000001", v.isid());
            assertEquals(3, v.commandsInFlight());
            assertEquals(Map.of("MaxBurstLength", "262144"), v.parameters());

            h.service.logoutSession(7);
            assertEquals(List.of(30, io.jtgt.scsi.api.ManagementService.LOGOUT_GRACE_SECONDS), asked);

            controlled.close();
            assertEquals("TSIH 7: no such session",
                    assertThrows(IllegalArgumentException.class, () -> h.service.logoutSession(7)).getMessage());
        }
    }

    @Test
    void refusedWithoutTransportSupportOrWithABadGracePeriod() {
        try (Harness h = new Harness()) {
            // the harness's nexus (TSIH 1) comes from the 8-argument constructor: no SessionControl
            assertEquals("TSIH 1: the transport of this session cannot end it",
                    assertThrows(IllegalArgumentException.class, () -> h.service.logoutSession(1)).getMessage());
            assertEquals("grace period: 0 s is out of range (1..3600)",
                    assertThrows(IllegalArgumentException.class, () -> h.service.logoutSession(1, 0)).getMessage());
        }
    }
}
