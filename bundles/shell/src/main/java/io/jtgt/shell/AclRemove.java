package io.jtgt.shell;

import io.jtgt.scsi.api.AdminService.AccessView;
import io.jtgt.shell.completers.AccessTargetCompleter;
import java.io.PrintStream;
import org.apache.karaf.shell.api.action.Argument;
import org.apache.karaf.shell.api.action.Command;
import org.apache.karaf.shell.api.action.Completion;
import org.apache.karaf.shell.api.action.lifecycle.Service;

/** {@code jtgt:acl-remove}: the initiators allowed to log in to a target (none listed = all). */
@Service
@Command(scope = "jtgt", name = "acl-remove", description = "Takes an initiator off the list of a target (an empty list admits every initiator)")
public class AclRemove extends AdminCommand {

    @Argument(index = 0, name = "TARGET", required = true, description = "The target's iSCSI name, or discovery")
    @Completion(AccessTargetCompleter.class)
    String target;

    @Argument(index = 1, name = "INITIATOR", required = true, description = "The initiator's iSCSI name (InitiatorName)")
    String initiator;

    @Override
    protected void run(PrintStream out) {
        AccessView rule = admin.removeInitiator(target, initiator);
        out.println("Target " + rule.target() + ": " + Format.initiators(rule.initiators()));
    }
}
