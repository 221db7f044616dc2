package io.jtgt.shell;

import io.jtgt.scsi.api.ManagementService;
import io.jtgt.scsi.api.ManagementService.LunView;
import io.jtgt.scsi.api.ManagementService.PortalView;
import io.jtgt.scsi.api.ManagementService.SessionView;
import io.jtgt.scsi.api.ManagementService.TargetView;
import java.io.PrintStream;
import org.apache.karaf.shell.api.action.Action;
import org.apache.karaf.shell.api.action.Command;
import org.apache.karaf.shell.api.action.lifecycle.Reference;
import org.apache.karaf.shell.api.action.lifecycle.Service;
import org.apache.karaf.shell.support.table.ShellTable;

/**
 * {@code jtgt:list}: the running configuration as four tables (targets, LUNs, portals, sessions),
 * the counterpart of gotgt's {@code gotgt list}. Reads {@link ManagementService} only.
 */
@Service
@Command(scope = "jtgt", name = "list", description = "Lists targets, LUNs (with backend and state), portals and sessions")
public class List implements Action {

    @Reference
    ManagementService management;

    @Override
    public Object execute() {
        PrintStream out = System.out; // Karaf redirects System.out to the calling session
        printTargets(out);
        printLuns(out);
        printPortals(out);
        printSessions(out);
        return null;
    }

    private void printTargets(PrintStream out) {
        ShellTable table = new ShellTable().emptyTableText("no targets");
        table.column("Target");
        table.column("Portal groups (tpgt: portal ids)");
        table.column("LUNs").alignRight();
        table.column("Sessions").alignRight();
        for (TargetView target : management.targets()) {
            table.addRow().addContent(target.name(), Format.portalGroups(target.portalGroups()),
                    target.lunCount(), target.sessionCount());
        }
        section(out, "Targets", table);
    }

    private void printLuns(PrintStream out) {
        ShellTable table = new ShellTable().emptyTableText("no LUNs");
        table.column("Target");
        table.column("LUN").alignRight();
        table.column("Device").alignRight();
        table.column("Backend");
        table.column("Location");
        table.column("Size").alignRight();
        table.column("Block").alignRight();
        table.column("State");
        table.column("Detail");
        for (LunView lun : management.luns()) {
            table.addRow().addContent(lun.target(), lun.lun(), lun.deviceId(), lun.backendType(),
                    lun.location(), Format.bytes(lun.sizeBytes()), lun.blockSize(), lun.state(),
                    lun.detail() == null ? "" : lun.detail());
        }
        section(out, "LUNs", table);
    }

    private void printPortals(PrintStream out) {
        ShellTable table = new ShellTable().emptyTableText("no portals");
        table.column("Id").alignRight();
        table.column("Address");
        table.column("Listening");
        for (PortalView portal : management.portals()) {
            table.addRow().addContent(portal.id(), portal.address(), portal.listening() ? "yes" : "no");
        }
        section(out, "Portals", table);
    }

    private void printSessions(PrintStream out) {
        ShellTable table = new ShellTable().emptyTableText("no sessions");
        table.column("Target");
        table.column("Initiator");
        table.column("ISID");
        table.column("TSIH").alignRight();
        table.column("TPGT").alignRight();
        table.column("From");
        table.column("Portal");
        table.column("In flight").alignRight();
        for (SessionView session : management.sessions()) {
            table.addRow().addContent(session.target(), session.initiatorName(), session.isid(),
                    session.tsih(), session.tpgt(), session.initiatorAddress(), session.portalAddress(),
                    session.commandsInFlight());
        }
        section(out, "Sessions", table);
    }

    private static void section(PrintStream out, String title, ShellTable table) {
        out.println(title);
        table.print(out);
        out.println();
    }
}
