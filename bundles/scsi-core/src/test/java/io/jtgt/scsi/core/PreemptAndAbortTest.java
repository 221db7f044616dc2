package io.jtgt.scsi.core;

import static io.jtgt.scsi.testing.Harness.assertGood;
import static io.jtgt.scsi.testing.Harness.assertSense;
import static org.junit.jupiter.api.Assertions.assertEquals;

import io.jtgt.scsi.api.ItNexus;
import io.jtgt.scsi.api.NexusInfo;
import io.jtgt.scsi.testing.Harness;
import io.jtgt.scsi.testing.TestCommand;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.Test;

/** PERSISTENT RESERVE OUT / PREEMPT AND ABORT (SPC-4 5.9.11.5) through the transport's TaskAborter. */
class PreemptAndAbortTest {

    private static TestCommand prOut(int action, int type, long key, long serviceKey) {
        byte[] p = new byte[24];
        Cdb.put64(p, 0, key);
        Cdb.put64(p, 8, serviceKey);
        return TestCommand.lun(0, 0x5F, action, type, 0, 0, 0, 0, 0, 24, 0).dataOut(p);
    }

    private static ItNexus connect(Harness h, long isid, List<String> aborted) {
        return h.service.target(Harness.TARGET).orElseThrow().connect(new NexusInfo("iqn.1994-05.com.example:" + isid,
                isid, 1, 1, "127.0.0.1:5000", "127.0.0.1:3260", Map::of, () -> 0, lunField -> {
                    aborted.add(isid + "@" + LunAddressing.decode(lunField));
                    return CompletableFuture.completedFuture(null);
                }));
    }

    @Test
    void thePreemptedNexusTasksAreAbortedAndOnlyWhereTheTransportCan() {
        try (Harness h = new Harness().ready()) {
            // the harness nexus has no TaskAborter: PREEMPT AND ABORT is not offered to it
            assertSense(h.run(prOut(0x05, 0x01, 1, 2)), 5, 0x24, 0);
            List<String> aborted = new CopyOnWriteArrayList<>();
            ItNexus a = connect(h, 0x41, aborted);
            ItNexus b = connect(h, 0x42, aborted);
            for (ItNexus n : List.of(a, b)) {
                Harness.run(n, TestCommand.lun(0, 0, 0, 0, 0, 0, 0));
            }
            assertGood(Harness.run(a, prOut(0x00, 0, 0, 0xA)));
            assertGood(Harness.run(b, prOut(0x00, 0, 0, 0xB)));
            assertGood(Harness.run(b, prOut(0x01, 0x01, 0xB, 0)));
            assertGood(Harness.run(a, prOut(0x05, 0x01, 0xA, 0xB)));
            assertEquals(List.of("66@0"), aborted, "the tasks of nexus B (ISID 0x42) for LUN 0");
            assertSense(Harness.run(b, TestCommand.lun(0, 0, 0, 0, 0, 0, 0)), 6, 0x2A, 0x05);
            a.close();
            b.close();
        }
    }
}
