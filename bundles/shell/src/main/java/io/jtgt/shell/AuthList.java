package io.jtgt.shell;

import io.jtgt.scsi.api.AdminService.AccessView;
import java.io.PrintStream;
import org.apache.karaf.shell.api.action.Command;
import org.apache.karaf.shell.api.action.lifecycle.Service;
import org.apache.karaf.shell.support.table.ShellTable;

/** {@code jtgt:auth-list}: CHAP accounts and initiator lists; secrets are always shown as ****. */
@Service
@Command(scope = "jtgt", name = "auth-list", description = "Lists CHAP accounts (secrets masked) and allowed initiators per target")
public class AuthList extends AdminCommand {

    @Override
    protected void run(PrintStream out) {
        ShellTable table = new ShellTable().emptyTableText("no CHAP accounts or initiator lists: every initiator may log in");
        table.column("Target");
        table.column("CHAP user");
        table.column("Secret");
        table.column("Mutual user");
        table.column("Mutual secret");
        table.column("Initiators");
        for (AccessView rule : admin.accessRules()) {
            table.addRow().addContent(rule.target(), orDash(rule.userName()), rule.chap() ? Format.MASK : "-",
                    orDash(rule.mutualUserName()), rule.mutualUserName() != null ? Format.MASK : "-",
                    Format.initiators(rule.initiators()));
        }
        table.print(out);
    }

    private static String orDash(String value) {
        return value == null ? "-" : value;
    }
}
