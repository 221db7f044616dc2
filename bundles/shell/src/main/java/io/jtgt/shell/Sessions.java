package io.jtgt.shell;

import io.jtgt.scsi.api.ManagementService;
import io.jtgt.scsi.api.ManagementService.SessionView;
import java.io.PrintStream;
import java.util.Map;
import java.util.TreeMap;
import org.apache.karaf.shell.api.action.Action;
import org.apache.karaf.shell.api.action.Command;
import org.apache.karaf.shell.api.action.Option;
import org.apache.karaf.shell.api.action.lifecycle.Reference;
import org.apache.karaf.shell.api.action.lifecycle.Service;
import org.apache.karaf.shell.support.table.ShellTable;

/**
 * {@code jtgt:sessions}: the logged-in sessions (one connection each) with initiator, ISID, TSIH,
 * addresses and commands in flight, then each session's negotiated parameters (RFC 7143 13).
 * Reads {@link ManagementService#sessions()} only.
 */
@Service
@Command(scope = "jtgt", name = "sessions", description = "Shows sessions and their connections: initiator, ISID, TSIH,"
        + " addresses, commands in flight and negotiated parameters")
public class Sessions implements Action {

    @Reference
    ManagementService management;

    @Option(name = "--brief", description = "Only the table, without each session's negotiated parameters")
    boolean brief;

    @Override
    public Object execute() {
        print(System.out); // Karaf redirects System.out to the calling session
        return null;
    }

    void print(PrintStream out) {
        java.util.List<SessionView> sessions = management.sessions();
        ShellTable table = new ShellTable().emptyTableText("no sessions");
        table.column("TSIH").alignRight();
        table.column("Target");
        table.column("Initiator");
        table.column("ISID");
        table.column("TPGT").alignRight();
        table.column("From");
        table.column("Portal");
        table.column("In flight").alignRight();
        for (SessionView s : sessions) {
            table.addRow().addContent(s.tsih(), s.target(), s.initiatorName(), s.isid(), s.tpgt(),
                    s.initiatorAddress(), s.portalAddress(), s.commandsInFlight());
        }
        table.print(out);
        if (brief) {
            return;
        }
        for (SessionView s : sessions) {
            out.println();
            out.println("Session " + s.tsih() + " (" + s.initiatorName() + " from " + s.initiatorAddress()
                    + ") negotiated:");
            Map<String, String> params = new TreeMap<>(s.parameters());
            if (params.isEmpty()) {
                out.println("  (the transport shows none)");
            }
            params.forEach((k, v) -> out.println("  " + k + " = " + v));
        }
    }
}
