package io.jtgt.metrics.jmx;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.jtgt.scsi.api.InMemoryManagementService;
import io.jtgt.scsi.api.ManagementService.LatencyHistogram;
import io.jtgt.scsi.api.ManagementService.LunStats;
import io.jtgt.scsi.api.ManagementService.LunView;
import io.jtgt.scsi.api.ManagementService.SessionStats;
import java.util.Set;
import javax.management.MBeanServer;
import javax.management.MBeanServerFactory;
import javax.management.ObjectName;
import javax.management.RuntimeMBeanException;
import org.junit.jupiter.api.Test;

/** Against an MBeanServer of the test's own (not the platform one), read through the JMX API. */
class JmxPublisherTest {

    private static final String T = "iqn.2026-11.io.jtgt:jmx";

    /** newMBeanServer: not kept by the factory, gone with the test. */
    private final MBeanServer server = MBeanServerFactory.newMBeanServer();
    private final InMemoryManagementService management = new InMemoryManagementService();
    private final JmxPublisher publisher = new JmxPublisher(server, management);

    private void lun(int lun, long writeBytes) {
        management.lunStats.removeIf(s -> s.lun() == lun);
        management.lunStats.add(new LunStats(T, lun, 1000 + lun, 1, 4096, 2, writeBytes, 0,
                InMemoryManagementService.histogram(7, 1, 100), InMemoryManagementService.histogram(9, 2, 600)));
    }

    @Test
    void namesFollowLunsAndSessionsAndValuesAreLive() throws Exception {
        lun(0, 8192);
        management.luns.add(new LunView(T, 0, 1000, "file", "/x.img", 1 << 20, 512, "ONLINE", ""));
        management.sessionStats.add(new SessionStats(T, 7, "iqn.2008-11.org.linux-kvm", "23d000000001", 1, 4096, 2, 8192,
                0, LatencyHistogram.empty(), InMemoryManagementService.histogram(9, 2, 600)));
        publisher.refresh();

        ObjectName lun0 = new ObjectName("io.jtgt:type=Lun,target=\"" + T + "\",lun=0");
        ObjectName session = new ObjectName("io.jtgt:type=Session,target=\"" + T + "\",tsih=7");
        assertEquals(lun0, JmxPublisher.lunName(T, 0));
        assertEquals(Set.of(lun0, session), server.queryNames(new ObjectName("io.jtgt:*"), null));
        assertEquals(8192L, server.getAttribute(lun0, "WriteBytes"));
        assertEquals(2L, server.getAttribute(lun0, "WriteCommands"));
        assertEquals(300L, server.getAttribute(lun0, "WriteLatencyMeanMicros"));
        assertEquals(512L, server.getAttribute(lun0, "WriteLatencyP99Micros"));
        assertEquals("ONLINE", server.getAttribute(lun0, "State"));
        assertEquals(1000L, server.getAttribute(lun0, "DeviceId"));
        long[] histogram = (long[]) server.getAttribute(lun0, "WriteLatencyHistogram");
        assertEquals(2, histogram[9]);
        assertEquals(LatencyHistogram.BUCKETS, ((long[]) server.getAttribute(lun0, "LatencyBucketUpperBoundsMicros")).length);
        assertEquals("iqn.2008-11.org.linux-kvm", server.getAttribute(session, "InitiatorName"));
        assertEquals(8192L, server.getAttribute(session, "WriteBytes"));

        lun(0, 1 << 20); // more I/O: seen at once, without a refresh
        assertEquals((long) (1 << 20), server.getAttribute(lun0, "WriteBytes"));

        lun(1, 0);
        management.sessionStats.clear();
        publisher.refresh();
        assertEquals(Set.of(lun0, JmxPublisher.lunName(T, 1)), server.queryNames(new ObjectName("io.jtgt:*"), null));
        assertFalse(server.isRegistered(session), "the ended session's MXBean is gone");

        management.lunStats.removeIf(s -> s.lun() == 0);
        // Between its removal and the next refresh, the stale name says so instead of showing old numbers.
        RuntimeMBeanException stale = assertThrows(RuntimeMBeanException.class, () -> server.getAttribute(lun0, "WriteBytes"));
        assertTrue(stale.getCause().getMessage().contains("LUN 0 of " + T + " is no longer mapped"), stale.getCause().getMessage());
        publisher.refresh();
        assertFalse(server.isRegistered(lun0));

        publisher.close();
        assertTrue(server.queryNames(new ObjectName("io.jtgt:*"), null).isEmpty(), "close unregisters everything");
    }

    @Test
    void targetNamesWithJmxSpecialCharactersAreQuoted() throws Exception {
        String odd = "iqn.2026-11.io.jtgt:a,b=c*d";
        management.lunStats.add(new LunStats(odd, 3, 5, 0, 0, 0, 0, 0, LatencyHistogram.empty(), LatencyHistogram.empty()));
        publisher.refresh();
        ObjectName name = JmxPublisher.lunName(odd, 3);
        assertTrue(server.isRegistered(name));
        assertEquals(odd, ObjectName.unquote(name.getKeyProperty("target")));
        assertEquals(odd, server.getAttribute(name, "Target"));
        assertArrayEquals(new long[LatencyHistogram.BUCKETS], (long[]) server.getAttribute(name, "ReadLatencyHistogram"));
    }
}
