package io.jtgt.shell.completers;

import io.jtgt.scsi.api.AdminService;
import java.util.List;
import org.apache.karaf.shell.api.action.lifecycle.Reference;
import org.apache.karaf.shell.api.action.lifecycle.Service;
import org.apache.karaf.shell.api.console.CommandLine;
import org.apache.karaf.shell.api.console.Completer;
import org.apache.karaf.shell.api.console.Session;
import org.apache.karaf.shell.support.completers.StringsCompleter;

/** Completes the deviceIDs of the configured storages. */
@Service
public class DeviceIdCompleter implements Completer {

    @Reference
    AdminService admin;

    @Override
    public int complete(Session session, CommandLine commandLine, List<String> candidates) {
        List<String> ids = admin.configuration().storages().stream().map(s -> String.valueOf(s.deviceId())).toList();
        return new StringsCompleter(ids).complete(session, commandLine, candidates);
    }
}
