package io.jtgt.shell;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.jtgt.scsi.api.ManagementService;
import io.jtgt.scsi.api.ManagementService.SessionView;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class SessionsTest {

    private static final SessionView SESSION = new SessionView("iqn.2026-11.io.jtgt:t", "iqn.2008-11.org.linux-kvm:q",
            "23d000000001", 5, 1, "127.0.0.1:41234", "127.0.0.1:3260", 2,
            Map.of("MaxRecvDataSegmentLength", "262144", "HeaderDigest", "None"));

    @Test
    void tableThenNegotiatedParametersSorted() throws Exception {
        Sessions command = new Sessions();
        command.management = management(new ArrayList<>());
        String out = Printed.by(command::print);
        String row = out.lines().filter(l -> l.contains("iqn.2008-11.org.linux-kvm:q") && l.contains("|")).findFirst()
                .orElseThrow();
        assertTrue(row.matches("\\s*5\\s*\\|\\s*iqn.2026-11.io.jtgt:t\\s*\\|.*23d000000001.*127.0.0.1:41234.*127.0.0.1:3260\\s*\\|\\s*2\\s*"),
                row);
        assertTrue(out.contains("Session 5 (iqn.2008-11.org.linux-kvm:q from 127.0.0.1:41234) negotiated:\n"
                + "  HeaderDigest = None\n  MaxRecvDataSegmentLength = 262144\n"), out);
        command.brief = true;
        assertTrue(!Printed.by(command::print).contains("negotiated"));
    }

    @Test
    void logoutParsesThenAsksTheService() throws Exception {
        List<String> calls = new ArrayList<>();
        SessionLogout command = new SessionLogout();
        command.management = management(calls);
        command.tsih = "5";
        assertEquals("Session 5 (iqn.2008-11.org.linux-kvm:q on iqn.2026-11.io.jtgt:t) asked to log out; dropped in 10 s"
                + " if it has not", Printed.by(command::run).trim());
        command.grace = "30";
        Printed.by(command::run);
        assertEquals(List.of("5/10", "5/30"), calls);

        command.tsih = "x";
        assertEquals("TSIH: 'x' is not a whole number",
                assertThrows(IllegalArgumentException.class, () -> Printed.by(command::run)).getMessage());
        command.tsih = "5";
        command.grace = "0";
        assertEquals("--grace: 0 is out of range (1..3600)",
                assertThrows(IllegalArgumentException.class, () -> Printed.by(command::run)).getMessage());
        assertEquals(2, calls.size(), "nothing asked for bad input");
    }

    private static ManagementService management(List<String> logouts) {
        return new EmptyManagement() {
            @Override
            public List<SessionView> sessions() {
                return List.of(SESSION);
            }

            @Override
            public SessionView logoutSession(int tsih, int graceSeconds) {
                logouts.add(tsih + "/" + graceSeconds);
                return SESSION;
            }
        };
    }
}
