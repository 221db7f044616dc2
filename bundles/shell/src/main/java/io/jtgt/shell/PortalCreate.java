package io.jtgt.shell;

import io.jtgt.scsi.config.PortalDefinition;
import java.io.PrintStream;
import org.apache.karaf.shell.api.action.Argument;
import org.apache.karaf.shell.api.action.Command;
import org.apache.karaf.shell.api.action.lifecycle.Service;

/** {@code jtgt:portal-create}: a listening address, gotgt {@code iscsiportals}. */
@Service
@Command(scope = "jtgt", name = "portal-create", description = "Creates a portal (an address the target listens on); "
        + "add it to targets with portal-group-add")
public class PortalCreate extends AdminCommand {

    @Argument(index = 0, name = "ID", required = true, description = "The portal id, 0..65535")
    String id;

    @Argument(index = 1, name = "ADDRESS", required = true, description = "host:port, IPv6 as [addr]:port (port default 3260)")
    String address;

    @Override
    protected void run(PrintStream out) {
        PortalDefinition portal = admin.createPortal(intNumber("ID", id, 0, 65535), address);
        out.println("Portal " + portal.id() + " created: " + portal.address());
    }
}
