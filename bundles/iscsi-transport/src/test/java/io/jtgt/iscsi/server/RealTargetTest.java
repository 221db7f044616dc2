package io.jtgt.iscsi.server;

import io.jtgt.iscsi.testing.RealTarget;
import java.nio.file.Path;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.io.TempDir;

/** A test against one {@link RealTarget} per test method, closed after it. */
abstract class RealTargetTest {

    @TempDir
    Path dir;
    RealTarget target;

    @AfterEach
    void stopTarget() {
        if (target != null) {
            target.close();
        }
    }
}
