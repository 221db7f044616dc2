package io.jtgt.shell.completers;

import io.jtgt.scsi.api.ManagementService;
import java.util.List;
import org.apache.karaf.shell.api.action.lifecycle.Reference;
import org.apache.karaf.shell.api.action.lifecycle.Service;
import org.apache.karaf.shell.api.console.CommandLine;
import org.apache.karaf.shell.api.console.Completer;
import org.apache.karaf.shell.api.console.Session;
import org.apache.karaf.shell.support.completers.StringsCompleter;

/** Completes the TSIHs of the live sessions. */
@Service
public class SessionTsihCompleter implements Completer {

    @Reference
    ManagementService management;

    @Override
    public int complete(Session session, CommandLine commandLine, List<String> candidates) {
        List<String> tsihs = management.sessions().stream().map(s -> String.valueOf(s.tsih())).toList();
        return new StringsCompleter(tsihs).complete(session, commandLine, candidates);
    }
}
