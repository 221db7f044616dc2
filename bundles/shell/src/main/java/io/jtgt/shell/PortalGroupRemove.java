package io.jtgt.shell;

import io.jtgt.scsi.config.TargetDefinition;
import io.jtgt.shell.completers.PortalIdCompleter;
import io.jtgt.shell.completers.TargetNameCompleter;
import java.io.PrintStream;
import org.apache.karaf.shell.api.action.Argument;
import org.apache.karaf.shell.api.action.Command;
import org.apache.karaf.shell.api.action.Completion;
import org.apache.karaf.shell.api.action.lifecycle.Service;

/** {@code jtgt:portal-group-remove}: portal group membership of one target. */
@Service
@Command(scope = "jtgt", name = "portal-group-remove", description = "Takes a portal out of a target portal group (an empty group goes)")
public class PortalGroupRemove extends AdminCommand {

    @Argument(index = 0, name = "TARGET", required = true, description = "The target's iSCSI name")
    @Completion(TargetNameCompleter.class)
    String target;

    @Argument(index = 1, name = "TAG", required = true, description = "The target portal group tag, 1..65535")
    String tag;

    @Argument(index = 2, name = "PORTAL-ID", required = true, description = "The portal id")
    @Completion(PortalIdCompleter.class)
    String portalId;

    @Override
    protected void run(PrintStream out) {
        TargetDefinition result = admin.removePortalFromGroup(target,
                intNumber("TAG", tag, 1, 65535), intNumber("PORTAL-ID", portalId, 0, 65535));
        out.println("Target " + result.name() + ": portal groups " + Format.portalGroups(result.portalGroups()));
    }
}
