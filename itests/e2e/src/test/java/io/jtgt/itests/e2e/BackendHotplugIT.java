package io.jtgt.itests.e2e;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;

/**
 * DESIGN "backends are services": a LUN whose backend is not installed exists and answers NOT
 * READY; registering the backend brings it online, unregistering takes it offline again, and the
 * data written in between is still there when the backend comes back.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class BackendHotplugIT {

    private static final Duration TIMEOUT = Duration.ofSeconds(60);

    private EmbeddedTarget target;

    @BeforeAll
    void start() {
        target = EmbeddedTarget.builder().lun(0, EmbeddedTarget.Lun.thin(64 * EmbeddedTarget.MIB)).withoutBackend().start();
    }

    @AfterAll
    void stop() {
        if (target != null) {
            target.close();
        }
    }

    private ExternalCommand.Result qemuIo(String... commands) {
        List<String> argv = new ArrayList<>(List.of("qemu-io", "-f", "raw"));
        for (String c : commands) {
            argv.add("-c");
            argv.add(c);
        }
        argv.add(target.url(0));
        return ExternalCommand.run(TIMEOUT, argv);
    }

    private void assertNotReady(String when) {
        ExternalCommand.Result capacity = ExternalCommand.run(TIMEOUT, "iscsi-readcapacity16", target.url(0));
        assertNotEquals(0, capacity.exitCode(), () -> when + ": READ CAPACITY must fail:\n" + capacity.describe());
        // SPC-4 4.5.6: sense key NOT READY, ASC 04h LOGICAL UNIT NOT READY. libiscsi's tools send TEST UNIT READY
        // right after login and give up there ("Login Failed. SENSE KEY:NOT READY(2)"), so no tool gets further.
        assertTrue(capacity.output().matches("(?s).*NOT.READY.*"), () -> when + ": expected NOT READY sense:\n" + capacity.describe());
    }

    @Test
    void lunFollowsItsBackendInAndOut() {
        assertNotReady("before the backend is installed");

        target.installBackend();
        ExternalCommand.Result written = qemuIo("write -P 0x5e 1M 1M", "read -P 0x5e 1M 1M", "flush");
        assertFalse(written.output().contains("Pattern verification failed"), written::describe);
        assertEquals(0, written.exitCode(), written::describe);

        target.removeBackend();
        assertNotReady("after the backend is removed");

        target.installBackend();
        ExternalCommand.Result read = qemuIo("read -P 0x5e 1M 1M");
        assertFalse(read.output().contains("Pattern verification failed"), read::describe);
        assertEquals(0, read.exitCode(), () -> "data written before the backend left must be back:\n" + read.describe());
    }
}
