package io.jtgt.shell;

import io.jtgt.scsi.api.AdminService.AccessView;
import io.jtgt.shell.completers.AccessTargetCompleter;
import java.io.PrintStream;
import org.apache.karaf.shell.api.action.Argument;
import org.apache.karaf.shell.api.action.Command;
import org.apache.karaf.shell.api.action.Completion;
import org.apache.karaf.shell.api.action.lifecycle.Service;

/** {@code jtgt:chap-remove}: no more CHAP on a target; its initiator list stays. */
@Service
@Command(scope = "jtgt", name = "chap-remove", description = "Stops requiring CHAP on a target (its initiator list stays)")
public class ChapRemove extends AdminCommand {

    @Argument(index = 0, name = "TARGET", required = true, description = "The target's iSCSI name, or discovery")
    @Completion(AccessTargetCompleter.class)
    String target;

    @Override
    protected void run(PrintStream out) {
        AccessView rule = admin.removeChap(target);
        out.println("Target " + rule.target() + ": " + Format.chap(rule));
    }
}
