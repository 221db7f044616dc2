package io.jtgt.shell;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.jtgt.scsi.api.ManagementService;
import io.jtgt.scsi.api.ManagementService.SessionView;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class SessionsTest {

    private static final SessionView SESSION = new SessionView("iqn.2026-11.io.jtgt:t", "iqn.2008-11.org.linux-kvm:q",
            "23d000000001", 5, 1, "127.0.0.1:41234", "127.0.0.1:3260", 2,
            Map.of("MaxRecvDataSegmentLength", "262144", "HeaderDigest", "None"));

    @Test
    void tableThenNegotiatedParametersSorted() {
        Sessions command = new Sessions();
        command.management = management(new ArrayList<>());
        String out = print(command::print);
        String row = out.lines().filter(l -> l.contains("iqn.2008-11.org.linux-kvm:q") && l.contains("|")).findFirst()
                .orElseThrow();
        assertTrue(row.matches("\\s*5\\s*\\|\\s*iqn.2026-11.io.jtgt:t\\s*\\|.*23d000000001.*127.0.0.1:41234.*127.0.0.1:3260\\s*\\|\\s*2\\s*"),
                row);
        assertTrue(out.contains("Session 5 (iqn.2008-11.org.linux-kvm:q from 127.0.0.1:41234) negotiated:\n"
                + "  HeaderDigest = None\n  MaxRecvDataSegmentLength = 262144\n"), out);
        command.brief = true;
        assertTrue(!print(command::print).contains("negotiated"));
    }

    @Test
    void logoutParsesThenAsksTheService() {
        List<String> calls = new ArrayList<>();
        SessionLogout command = new SessionLogout();
        command.management = management(calls);
        command.tsih = "5";
        assertEquals("Session 5 (iqn.2008-11.org.linux-kvm:q on iqn.2026-11.io.jtgt:t) asked to log out; dropped in 10 s"
                + " if it has not", print(command::run).trim());
        command.grace = "30";
        print(command::run);
        assertEquals(List.of("5/10", "5/30"), calls);

        command.tsih = "x";
        assertEquals("TSIH: 'x' is not a whole number",
                assertThrows(IllegalArgumentException.class, () -> print(command::run)).getMessage());
        command.tsih = "5";
        command.grace = "0";
        assertEquals("--grace: 0 is out of range (1..3600)",
                assertThrows(IllegalArgumentException.class, () -> print(command::run)).getMessage());
        assertEquals(2, calls.size(), "nothing asked for bad input");
    }

    private static String print(java.util.function.Consumer<PrintStream> printer) {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        printer.accept(new PrintStream(bytes, true, StandardCharsets.UTF_8));
        return bytes.toString(StandardCharsets.UTF_8);
    }

    private static ManagementService management(List<String> logouts) {
        return new ManagementService() {
            @Override
            public List<TargetView> targets() {
                return List.of();
            }

            @Override
            public List<LunView> luns() {
                return List.of();
            }

            @Override
            public List<PortalView> portals() {
                return List.of();
            }

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
