package io.jtgt.admin;

import java.io.IOException;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.Map;
import java.util.TreeMap;

/**
 * The {@code .cfg} files of Karaf's etc/ folder, written the way Karaf's own {@code config:edit}
 * does it. Felix file install only writes a configuration back to a file it already knows (the
 * {@code felix.fileinstall.filename} property); a configuration created through Config Admin
 * would live in Config Admin's private store and vanish with a clean data/ folder. So a new
 * configuration's file is written here first, and the configuration then carries its name: file
 * install treats it as its own from then on (updates written back, the file's removal deletes the
 * configuration, and the other way round).
 */
final class CfgFiles {

    /** The property through which file install ties a configuration to its file. */
    static final String FILENAME = "felix.fileinstall.filename";

    private final Path dir;

    CfgFiles(Path dir) {
        this.dir = dir;
    }

    /**
     * {@code <dir>/<factoryPid>-<name>.cfg}, the file file install maps to PID
     * {@code <factoryPid>~<name>}; for a singleton ({@code name} null) {@code <dir>/<pid>.cfg}.
     */
    Path file(String pid, String name) {
        return dir.resolve(pid + (name == null ? "" : "-" + name) + ".cfg");
    }

    boolean exists(String factoryPid, String name) {
        return Files.exists(file(factoryPid, name));
    }

    /**
     * Writes the file atomically (a hidden temporary file that file install's {@code *.cfg} filter
     * does not match, then a rename), so file install never reads half of it.
     *
     * @param name the factory configuration's name, null for a singleton
     * @return the value of {@value #FILENAME} for the configuration
     */
    String write(String pid, String name, Map<String, ?> properties) throws IOException {
        Path file = file(pid, name);
        Path tmp = dir.resolve("." + file.getFileName() + ".tmp");
        StringBuilder text = new StringBuilder("# Written by jtgt (jtgt:* shell commands / AdminService); edit freely:\n"
                + "# changes apply live; deleting the file removes the configuration " + pid + (name == null ? "" : "~" + name)
                + ".\n");
        new TreeMap<String, Object>(properties).forEach((k, v) -> text.append(escape(k, true)).append(" = ")
                .append(escape(String.valueOf(v), false)).append('\n'));
        // Owner-only: an io.jtgt.auth file holds CHAP secrets, and nobody else needs to read the others.
        Files.deleteIfExists(tmp);
        if (dir.getFileSystem().supportedFileAttributeViews().contains("posix")) {
            Files.createFile(tmp, PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rw-------")));
        }
        Files.writeString(tmp, text, StandardCharsets.UTF_8);
        try {
            Files.move(tmp, file, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
        } catch (AtomicMoveNotSupportedException e) {
            Files.move(tmp, file, StandardCopyOption.REPLACE_EXISTING);
        }
        return file.toUri().toString();
    }

    /** Deletes the file a configuration came from, if it is one of ours (in this folder). */
    void delete(Object fileName) throws IOException {
        if (fileName == null) {
            return;
        }
        Path file;
        try {
            file = Path.of(URI.create(fileName.toString()));
        } catch (IllegalArgumentException e) {
            return;
        }
        if (dir.equals(file.getParent())) {
            Files.deleteIfExists(file);
        }
    }

    /** Java properties escaping (what file install reads): backslash, line breaks, leading blanks, key separators. */
    static String escape(String s, boolean key) {
        StringBuilder out = new StringBuilder();
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            switch (c) {
                case '\\' -> out.append("\\\\");
                case '\n' -> out.append("\\n");
                case '\r' -> out.append("\\r");
                case '\t' -> out.append("\\t");
                case ' ' -> out.append(key || i == 0 ? "\\ " : " ");
                case '=', ':', '#', '!' -> out.append(key ? "\\" + c : String.valueOf(c));
                default -> out.append(c);
            }
        }
        return out.toString();
    }
}
