package io.jtgt.shell;

import io.jtgt.scsi.api.AdminService.AccessView;
import io.jtgt.shell.completers.AccessTargetCompleter;
import java.io.PrintStream;
import org.apache.karaf.shell.api.action.Argument;
import org.apache.karaf.shell.api.action.Command;
import org.apache.karaf.shell.api.action.Completion;
import org.apache.karaf.shell.api.action.Option;
import org.apache.karaf.shell.api.action.lifecycle.Reference;
import org.apache.karaf.shell.api.action.lifecycle.Service;
import org.apache.karaf.shell.api.console.Session;

/**
 * {@code jtgt:chap-set}: CHAP account of a target. Without SECRET the secret is asked for with
 * echo off, so it stays out of the shell history; it is never printed.
 */
@Service
@Command(scope = "jtgt", name = "chap-set", description = "Requires CHAP on a target (or discovery); without SECRET "
        + "it is asked for, unechoed. Secrets: 12..255 bytes")
public class ChapSet extends AdminCommand {

    @Argument(index = 0, name = "TARGET", required = true, description = "The target's iSCSI name, or discovery")
    @Completion(AccessTargetCompleter.class)
    String target;

    @Argument(index = 1, name = "USER", required = true, description = "The CHAP name the initiator must use")
    String user;

    @Argument(index = 2, name = "SECRET", description = "The CHAP secret (asked for when absent)")
    String secret;

    @Option(name = "--mutual-user", description = "The target's own CHAP name, for mutual CHAP")
    String mutualUser;

    @Option(name = "--mutual-secret", description = "The target's own CHAP secret (asked for when --mutual-user is given without it)")
    String mutualSecret;

    @Reference
    Session session;

    @Override
    protected void run(PrintStream out) throws Exception {
        // Karaf names the thread of a piped command after the command line, and log lines show the
        // thread: with the secret as an argument, any log line written during this call would leak it.
        Thread thread = Thread.currentThread();
        String threadName = thread.getName();
        thread.setName("jtgt:chap-set");
        try {
            setChap(out);
        } finally {
            thread.setName(threadName);
        }
    }

    private void setChap(PrintStream out) throws Exception {
        String key = secret != null ? secret : ask("CHAP secret for " + user + ": ");
        String mutualKey = mutualSecret;
        if (mutualUser != null && mutualKey == null) {
            mutualKey = ask("Mutual CHAP secret for " + mutualUser + ": ");
        }
        AccessView rule = admin.setChap(target, user, key, mutualUser, mutualKey);
        out.println("Target " + rule.target() + ": " + Format.chap(rule));
    }

    private String ask(String prompt) throws Exception {
        String answer = session.readLine(prompt, '*');
        if (answer == null || answer.isEmpty()) {
            throw new IllegalArgumentException("SECRET: none given");
        }
        return answer;
    }
}
