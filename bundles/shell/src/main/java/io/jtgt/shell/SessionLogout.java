package io.jtgt.shell;

import io.jtgt.scsi.api.ManagementService;
import io.jtgt.scsi.api.ManagementService.SessionView;
import io.jtgt.shell.completers.SessionTsihCompleter;
import java.io.PrintStream;
import org.apache.karaf.shell.api.action.Action;
import org.apache.karaf.shell.api.action.Argument;
import org.apache.karaf.shell.api.action.Command;
import org.apache.karaf.shell.api.action.Completion;
import org.apache.karaf.shell.api.action.Option;
import org.apache.karaf.shell.api.action.lifecycle.Reference;
import org.apache.karaf.shell.api.action.lifecycle.Service;

/**
 * {@code jtgt:session-logout}: asks a session's initiator to log out (iSCSI Async Message,
 * RFC 7143 11.9.1 AsyncEvent 1) and drops the session after the grace period if it has not.
 */
@Service
@Command(scope = "jtgt", name = "session-logout", description = "Forces a session to log out: the initiator is asked"
        + " to, and dropped after the grace period if it has not (it may log in again as a new session)")
public class SessionLogout implements Action {

    @Reference
    ManagementService management;

    @Argument(index = 0, name = "TSIH", required = true, description = "The session's TSIH (see jtgt:sessions)")
    @Completion(SessionTsihCompleter.class)
    String tsih;

    @Option(name = "--grace", description = "Seconds the initiator gets to log out before the session is dropped"
            + " (1..3600, default 10)")
    String grace;

    @Override
    public Object execute() {
        run(System.out); // Karaf redirects System.out to the calling session
        return null;
    }

    /** Parses like the configuration commands (one line naming the argument), then calls the service. */
    void run(PrintStream out) {
        int id = AdminCommand.intNumber("TSIH", tsih, 1, 0xFFFF);
        int seconds = grace == null ? ManagementService.LOGOUT_GRACE_SECONDS
                : AdminCommand.intNumber("--grace", grace, 1, 3600);
        SessionView s = management.logoutSession(id, seconds);
        out.println("Session " + id + " (" + s.initiatorName() + " on " + s.target() + ") asked to log out; dropped in "
                + seconds + " s if it has not");
    }
}
