package io.jtgt.shell;

import io.jtgt.shell.completers.PortalIdCompleter;
import java.io.PrintStream;
import org.apache.karaf.shell.api.action.Argument;
import org.apache.karaf.shell.api.action.Command;
import org.apache.karaf.shell.api.action.Completion;
import org.apache.karaf.shell.api.action.Option;
import org.apache.karaf.shell.api.action.lifecycle.Service;

/** {@code jtgt:portal-remove}: refused while a portal group names it, unless forced. */
@Service
@Command(scope = "jtgt", name = "portal-remove", description = "Removes a portal; refused while a target portal group "
        + "names it unless --force (which takes it out of those groups first)")
public class PortalRemove extends AdminCommand {

    @Argument(index = 0, name = "ID", required = true, description = "The portal id")
    @Completion(PortalIdCompleter.class)
    String id;

    @Option(name = "-f", aliases = "--force", description = "Take it out of every portal group, then remove it")
    boolean force;

    @Override
    protected void run(PrintStream out) {
        int portal = intNumber("ID", id, 0, 65535);
        admin.removePortal(portal, force);
        out.println("Portal " + portal + " removed");
    }
}
