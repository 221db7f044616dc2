package io.jtgt.metrics;

import static io.jtgt.scsi.testing.Harness.assertGood;
import static io.jtgt.scsi.testing.Harness.assertSense;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.jtgt.metrics.jmx.JmxPublisher;
import io.jtgt.scsi.testing.Harness;
import io.jtgt.scsi.testing.TestCommand;
import javax.management.MBeanServer;
import javax.management.MBeanServerFactory;
import javax.management.ObjectName;
import org.junit.jupiter.api.Test;

/**
 * A READ or WRITE that does not end GOOD counts as an error, from the real scsi-core through to
 * jtgt_lun_errors_total / jtgt_session_errors_total and the LUN MXBean's Errors; GOOD ones do not.
 */
class ErrorCounterTest {

    private static final String LUN0 = "{target=\"" + Harness.TARGET + "\",lun=\"0\",device_id=\"1000\"}";

    @Test
    void readAndWriteNotEndingGoodIncrementTheErrorCounter() throws Exception {
        MBeanServer server = MBeanServerFactory.newMBeanServer();
        try (Harness h = new Harness().ready(); JmxPublisher publisher = new JmxPublisher(server, h.service)) {
            publisher.refresh();
            ObjectName lun0 = JmxPublisher.lunName(Harness.TARGET, 0);

            assertGood(h.run(TestCommand.lun(0, 0x2A, 0, 0, 0, 0, 4, 0, 0, 1, 0).dataOut(new byte[512]))); // WRITE(10)
            Harness.data(h.run(TestCommand.lun(0, 0x28, 0, 0, 0, 0, 4, 0, 0, 1, 0))); // READ(10)
            assertErrors(h, server, lun0, 0);

            // SBC-3 5.10: READ(10) beyond the capacity (2048 blocks): LBA OUT OF RANGE
            assertSense(h.run(TestCommand.lun(0, 0x28, 0, 0, 0x7F, 0xFF, 0, 0, 0, 1, 0)), 0x5, 0x21, 0x00);
            assertErrors(h, server, lun0, 1);

            // SBC-3 5.34: WRITE(10) beyond the capacity: LBA OUT OF RANGE, nothing written
            assertSense(h.run(TestCommand.lun(0, 0x2A, 0, 0, 0x7F, 0xFF, 0, 0, 0, 1, 0).dataOut(new byte[512])),
                    0x5, 0x21, 0x00);
            assertErrors(h, server, lun0, 2);
            assertEquals(1L, server.getAttribute(lun0, "WriteCommands"), "a failed WRITE is not a WRITE done");
            assertEquals(1L, server.getAttribute(lun0, "ReadCommands"), "a failed READ is not a READ done");
        }
    }

    private static void assertErrors(Harness h, MBeanServer server, ObjectName lun0, long expected) throws Exception {
        String text = JtgtMetrics.scrape(h.service);
        assertTrue(text.contains("jtgt_lun_errors_total" + LUN0 + " " + expected + "\n"), text);
        assertTrue(text.lines().anyMatch(l -> l.startsWith("jtgt_session_errors_total{target=\"" + Harness.TARGET + "\"")
                && l.endsWith(" " + expected)), text);
        assertEquals(expected, server.getAttribute(lun0, "Errors"));
    }
}
