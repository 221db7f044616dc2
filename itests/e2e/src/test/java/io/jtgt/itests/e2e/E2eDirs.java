package io.jtgt.itests.e2e;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;

/** Where the tests keep tool logs and LUN image files (failsafe passes both; defaults for IDE runs). */
final class E2eDirs {

    private E2eDirs() {}

    static Path logDir() {
        return ensure(System.getProperty("e2e.logDir", "target/e2e-logs"));
    }

    static Path workDir() {
        return ensure(System.getProperty("e2e.workDir", "target/e2e-work"));
    }

    private static Path ensure(String dir) {
        try {
            return Files.createDirectories(Path.of(dir).toAbsolutePath());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
