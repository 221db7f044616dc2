package io.jtgt.shell;

import io.jtgt.shell.completers.TargetNameCompleter;
import java.io.PrintStream;
import org.apache.karaf.shell.api.action.Argument;
import org.apache.karaf.shell.api.action.Command;
import org.apache.karaf.shell.api.action.Completion;
import org.apache.karaf.shell.api.action.lifecycle.Service;

/** {@code jtgt:target-remove}: the target and its access rule; its storages stay. */
@Service
@Command(scope = "jtgt", name = "target-remove", description = "Removes a target and its CHAP/ACL rule; "
        + "its sessions end, its storages stay")
public class TargetRemove extends AdminCommand {

    @Argument(index = 0, name = "NAME", required = true, description = "The target's iSCSI name")
    @Completion(TargetNameCompleter.class)
    String name;

    @Override
    protected void run(PrintStream out) {
        admin.removeTarget(name);
        out.println("Target " + name + " removed");
    }
}
