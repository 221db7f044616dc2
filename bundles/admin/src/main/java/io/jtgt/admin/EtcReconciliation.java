package io.jtgt.admin;

import java.io.IOException;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import org.osgi.framework.InvalidSyntaxException;
import org.osgi.service.cm.Configuration;
import org.osgi.service.cm.ConfigurationAdmin;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Makes etc/ the source of truth at start: deletes the jtgt configurations ({@code io.jtgt.*}) that
 * came from a {@code .cfg} file which is gone. Felix file install deletes the configuration of a
 * file removed while it runs, but it keeps no list of the files it had seen: a file deleted while
 * the daemon was down leaves its configuration in Config Admin's own store under data/, and it
 * came back at every start.
 *
 * <p>Only a configuration that names its file ({@value CfgFiles#FILENAME}) is looked at, and only
 * when neither that file nor a file of the same name in etc/ exists (a distribution folder moved
 * elsewhere still names the old path; file install reads the moved file again). Every writer
 * writes the file before it gives the configuration that property (file install reads it from the
 * file, {@link CfgFiles} and Karaf's {@code config:*} write it first), so a new configuration whose
 * file is on its way is never taken for a stale one. Configurations without the property (made
 * through Config Admin only, or by the {@code jtgt.config} JSON importer) are left alone.
 */
public final class EtcReconciliation {

    private static final Logger LOG = LoggerFactory.getLogger(EtcReconciliation.class);
    private static final String FILTER = "(&(" + CfgFiles.FILENAME + "=*)(|(service.pid=io.jtgt.*)"
            + "(service.factoryPid=io.jtgt.*)))";

    private final ConfigurationAdmin configAdmin;
    private final Path etcDir;

    /** @param etcDir the folder file install watches (Karaf's etc/) */
    public EtcReconciliation(ConfigurationAdmin configAdmin, Path etcDir) {
        this.configAdmin = Objects.requireNonNull(configAdmin, "configAdmin");
        this.etcDir = Objects.requireNonNull(etcDir, "etcDir");
    }

    /**
     * Deletes the configurations whose file is gone, one log line each.
     *
     * @return their PIDs
     */
    public List<String> run() {
        List<String> deleted = new ArrayList<>();
        for (Configuration c : list(FILTER)) {
            try {
                String pid = c.getPid(); // a deleted configuration's methods throw (Config Admin 104.15.3)
                Object fileName = c.getProperties() == null ? null : c.getProperties().get(CfgFiles.FILENAME);
                long changeCount = c.getChangeCount();
                if (fileName == null || fileExists(fileName.toString())) {
                    continue;
                }
                // Looked at again just before the delete: whatever changed it meanwhile (a command, file
                // install reading a file dropped in now) wins.
                Configuration now = current(pid);
                if (now == null || now.getChangeCount() != changeCount || fileExists(fileName.toString())) {
                    continue;
                }
                now.delete();
                deleted.add(pid);
                LOG.info("configuration {} deleted: its file {} was removed while jtgt was not running", pid, fileName);
            } catch (IllegalStateException e) {
                LOG.debug("deleted meanwhile by someone else, as wanted: {}", e.getMessage());
            } catch (IOException e) {
                LOG.warn("a configuration whose file is gone could not be deleted: {}", e.getMessage());
            }
        }
        return deleted;
    }

    /**
     * True unless the value names a file that exists neither where it says nor under the same name
     * in etc/; a value that names no file at all counts as existing (it is not ours to judge).
     */
    private boolean fileExists(String fileName) {
        Path file;
        try {
            file = fileName.startsWith("file:") ? Path.of(URI.create(fileName)) : Path.of(fileName);
        } catch (IllegalArgumentException | java.nio.file.FileSystemNotFoundException e) { // InvalidPathException too
            return true;
        }
        Path name = file.getFileName();
        return name == null || Files.exists(file) || Files.exists(etcDir.resolve(name.toString()));
    }

    private Configuration current(String pid) {
        // RFC 4515 3: a file name may put any character into a PID
        String escaped = pid.replace("\\", "\\5c").replace("*", "\\2a").replace("(", "\\28").replace(")", "\\29");
        Configuration[] found = list("(service.pid=" + escaped + ")").toArray(Configuration[]::new);
        return found.length == 1 ? found[0] : null;
    }

    private List<Configuration> list(String filter) {
        try {
            Configuration[] found = configAdmin.listConfigurations(filter);
            return found == null ? List.of() : List.of(found);
        } catch (IOException e) {
            LOG.warn("cannot list the jtgt configurations to check their files: {}", e.getMessage());
            return List.of();
        } catch (InvalidSyntaxException e) {
            throw new IllegalStateException(e);
        }
    }
}
