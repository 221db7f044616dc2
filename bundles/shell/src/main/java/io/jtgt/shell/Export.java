package io.jtgt.shell;

import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import org.apache.karaf.shell.api.action.Argument;
import org.apache.karaf.shell.api.action.Command;
import org.apache.karaf.shell.api.action.lifecycle.Service;
import org.apache.karaf.shell.support.completers.FileCompleter;
import org.apache.karaf.shell.api.action.Completion;

/** {@code jtgt:export}: the configuration as gotgt JSON (CHAP and ACLs are not part of that format). */
@Service
@Command(scope = "jtgt", name = "export", description = "Prints the configuration as gotgt JSON, or writes it to FILE "
        + "(storages, portals, targets, performance; CHAP and ACLs stay in etc/io.jtgt.auth-*.cfg)")
public class Export extends AdminCommand {

    @Argument(index = 0, name = "FILE", description = "Where to write it (on the daemon's machine); default: print it")
    @Completion(FileCompleter.class)
    String file;

    @Override
    protected void run(PrintStream out) throws Exception {
        String json = admin.exportJson();
        if (file == null) {
            out.print(json);
        } else {
            Files.writeString(Path.of(file), json, StandardCharsets.UTF_8);
            out.println("Configuration written to " + Path.of(file).toAbsolutePath());
        }
    }
}
