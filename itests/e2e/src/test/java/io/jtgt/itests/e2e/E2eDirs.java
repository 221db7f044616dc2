package io.jtgt.itests.e2e;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * Where the tests keep tool logs and LUN image files: failsafe passes folders under target/;
 * IDE runs and {@link RunEmbeddedTarget} fall back to {@code java.io.tmpdir/jtgt-e2e}.
 */
final class E2eDirs {

    private E2eDirs() {}

    static Path logDir() {
        return ensure(System.getProperty("e2e.logDir", fallback("logs")));
    }

    static Path workDir() {
        return ensure(System.getProperty("e2e.workDir", fallback("work")));
    }

    private static String fallback(String leaf) {
        return Path.of(System.getProperty("java.io.tmpdir"), "jtgt-e2e", leaf).toString();
    }

    private static Path ensure(String dir) {
        try {
            return Files.createDirectories(Path.of(dir).toAbsolutePath());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
