package io.jtgt.backend.s3;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.jtgt.scsi.api.ManagementService.LunView;
import io.jtgt.scsi.config.StorageDefinition;
import io.jtgt.scsi.config.TargetDefinition;
import io.jtgt.scsi.core.ScsiTargetService;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * Issue 6 item 4: wrong credentials or a missing bucket when the LUN comes up. The LUN stays
 * offline (FAILED, with the cause as its detail) and the log gets exactly one line, naming the
 * storage, its place and the cause: read from what slf4j-simple writes to stderr, as an operator
 * would read karaf.log.
 */
class S3StartupFailureTest {

    private static final String IQN = "iqn.2026-11.io.jtgt:s3-startup";

    @RegisterExtension
    static final S3StoreFixture s3 = new S3StoreFixture();
    private ScsiTargetService service;

    @BeforeEach
    void start() {
        service = new ScsiTargetService();
        service.addProvider(s3.provider);
    }

    @AfterEach
    void stop() throws Exception {
        service.close();
    }

    @ParameterizedTest(name = "{0}")
    @CsvSource({
        "wrong secret key, jtgt-test, s3SecretAccessKey, not-the-secret-key, wrong secret key",
        "unknown access key, jtgt-test, s3AccessKeyId, nobody, wrong credentials",
        "missing bucket, no-such-bucket, s3Region, us-east-1, bucket 'no-such-bucket' does not exist"})
    void theLunStaysOfflineWithOneClearLogLine(String why, String bucket, String option, String value,
            String cause) throws Exception {
        String location = bucket + "/startup-" + option;
        Map<String, Object> storage = new HashMap<>(s3.options(option, value));
        storage.put(StorageDefinition.DEVICE_ID, 2100L);
        storage.put(StorageDefinition.PATH, "s3:" + location);
        storage.put(StorageDefinition.DEVICE_SIZE, 1L << 20);

        List<String> lines = logLinesWhile(() -> {
            service.putStorage(StorageDefinition.fromProperties(storage));
            service.putTarget(new TargetDefinition(IQN, Map.of(1, List.of(0)), Map.of(0, 2100L)));
            LunView failed = awaitState("FAILED");
            assertTrue(failed.detail().contains(cause), failed::toString);
            Thread.sleep(1000); // no retry loop, no second line: it stays offline, quietly
            assertEquals("FAILED", service.luns().get(0).state());
        });

        List<String> aboutIt = lines.stream().filter(l -> l.contains(location)).toList();
        List<String> warnings = lines.stream().filter(l -> l.contains(" WARN ") || l.contains(" ERROR ")).toList();
        assertEquals(1, aboutIt.size(), () -> "log lines about the storage: " + lines);
        assertEquals(aboutIt, warnings, () -> "warnings and errors: " + lines);
        String line = aboutIt.get(0);
        assertTrue(line.contains("storage 2100") && line.contains(cause) && line.contains(s3.server.endpoint()), line);
        assertFalse(line.contains(S3ProxyServer.SECRET_KEY) || line.contains("not-the-secret-key"), line);
    }

    @FunctionalInterface
    private interface Step {
        void run() throws Exception;
    }

    /** What slf4j-simple (which looks System.err up for every line) printed while {@code step} ran. */
    private static List<String> logLinesWhile(Step step) throws Exception {
        PrintStream original = System.err;
        ByteArrayOutputStream captured = new ByteArrayOutputStream();
        System.setErr(new PrintStream(captured, true, StandardCharsets.UTF_8));
        try {
            step.run();
        } finally {
            System.setErr(original);
        }
        String text = captured.toString(StandardCharsets.UTF_8);
        original.print(text);
        return text.lines().toList();
    }

    private LunView awaitState(String state) throws InterruptedException {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
        List<LunView> views = List.of();
        while (System.nanoTime() < deadline) {
            views = service.luns();
            if (views.size() == 1 && state.equals(views.get(0).state())) {
                return views.get(0);
            }
            Thread.sleep(20);
        }
        throw new AssertionError("LUN not " + state + " within 30 s: " + views);
    }
}
