package io.jtgt.shell.completers;

import io.jtgt.scsi.api.AdminService;
import io.jtgt.scsi.config.TargetDefinition;
import java.util.List;
import org.apache.karaf.shell.api.action.lifecycle.Reference;
import org.apache.karaf.shell.api.action.lifecycle.Service;
import org.apache.karaf.shell.api.console.CommandLine;
import org.apache.karaf.shell.api.console.Completer;
import org.apache.karaf.shell.api.console.Session;
import org.apache.karaf.shell.support.completers.StringsCompleter;

/** Completes the names of the configured targets. */
@Service
public class TargetNameCompleter implements Completer {

    @Reference
    AdminService admin;

    @Override
    public int complete(Session session, CommandLine commandLine, List<String> candidates) {
        List<String> names = admin.configuration().targets().stream().map(TargetDefinition::name).toList();
        return new StringsCompleter(names).complete(session, commandLine, candidates);
    }
}
