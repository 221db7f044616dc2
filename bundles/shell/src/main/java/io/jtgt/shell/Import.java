package io.jtgt.shell;

import io.jtgt.scsi.config.JtgtConfiguration;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import org.apache.karaf.shell.api.action.Argument;
import org.apache.karaf.shell.api.action.Command;
import org.apache.karaf.shell.api.action.Completion;
import org.apache.karaf.shell.api.action.Option;
import org.apache.karaf.shell.api.action.lifecycle.Service;
import org.apache.karaf.shell.support.completers.FileCompleter;

/** {@code jtgt:import}: a gotgt JSON file into the running configuration. */
@Service
@Command(scope = "jtgt", name = "import", description = "Imports a gotgt JSON file: creates or updates its storages, "
        + "portals and targets (--replace also removes those it does not name); a broken file changes nothing")
public class Import extends AdminCommand {

    @Argument(index = 0, name = "FILE", required = true, description = "The gotgt JSON file (on the daemon's machine)")
    @Completion(FileCompleter.class)
    String file;

    @Option(name = "--replace", description = "Remove the storages, portals and targets the file does not name")
    boolean replace;

    @Override
    protected void run(PrintStream out) throws Exception {
        String json;
        try {
            json = Files.readString(Path.of(file), StandardCharsets.UTF_8);
        } catch (NoSuchFileException e) {
            throw new IllegalArgumentException("FILE: " + file + " not found");
        }
        JtgtConfiguration config;
        try {
            config = admin.importJson(json, replace);
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException(file + ": " + e.getMessage(), e);
        }
        out.println("Imported " + file + (replace ? " (replacing)" : "") + ": " + config.storages().size()
                + " storages, " + config.portals().size() + " portals, " + config.targets().size() + " targets");
    }
}
