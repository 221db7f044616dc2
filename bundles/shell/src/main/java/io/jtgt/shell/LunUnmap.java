package io.jtgt.shell;

import io.jtgt.scsi.config.TargetDefinition;
import io.jtgt.shell.completers.TargetNameCompleter;
import java.io.PrintStream;
import org.apache.karaf.shell.api.action.Argument;
import org.apache.karaf.shell.api.action.Command;
import org.apache.karaf.shell.api.action.Completion;
import org.apache.karaf.shell.api.action.Option;
import org.apache.karaf.shell.api.action.lifecycle.Service;

/**
 * {@code jtgt:lun-unmap}: the LUN goes, its storage stays. Refused while sessions are logged in to
 * the target, unless forced (their commands in flight on the LUN then end with CHECK CONDITION).
 */
@Service
@Command(scope = "jtgt", name = "lun-unmap", description = "Unmaps a LUN of a target (the storage stays); refused "
        + "while sessions are logged in to the target unless --force")
public class LunUnmap extends AdminCommand {

    @Argument(index = 0, name = "TARGET", required = true, description = "The target's iSCSI name")
    @Completion(TargetNameCompleter.class)
    String target;

    @Argument(index = 1, name = "LUN", required = true, description = "The LUN number")
    String lun;

    @Option(name = "-f", aliases = "--force", description = "Unmap it even while sessions are logged in to the target: "
            + "its commands in flight fail (LOGICAL UNIT NOT SUPPORTED), the sessions get REPORTED LUNS DATA HAS CHANGED")
    boolean force;

    @Override
    protected void run(PrintStream out) {
        int number = intNumber("LUN", lun, 0, TargetDefinition.MAX_LUN);
        admin.unmapLun(target, number, force);
        out.println("LUN " + number + " of " + target + " unmapped");
    }
}
