package io.jtgt.shell;

import io.jtgt.scsi.api.ManagementService;
import io.jtgt.scsi.api.ManagementService.LatencyHistogram;
import io.jtgt.scsi.api.ManagementService.LunStats;
import io.jtgt.scsi.api.ManagementService.SessionStats;
import java.io.PrintStream;
import org.apache.karaf.shell.api.action.Action;
import org.apache.karaf.shell.api.action.Command;
import org.apache.karaf.shell.api.action.Option;
import org.apache.karaf.shell.api.action.lifecycle.Reference;
import org.apache.karaf.shell.api.action.lifecycle.Service;
import org.apache.karaf.shell.support.table.ShellTable;

/**
 * {@code jtgt:stats}: per-LUN I/O counters (READ/WRITE operations and bytes, failed commands) and
 * latency (mean and bucket bounds of p50/p99), from {@link ManagementService#lunStats()};
 * {@code --sessions} adds the same counters per live session, {@code --histogram} the non-empty
 * latency buckets of each LUN.
 */
@Service
@Command(scope = "jtgt", name = "stats", description = "Shows per-LUN (and per-session) I/O statistics: operations, bytes, errors, latency")
public class Stats implements Action {

    @Reference
    ManagementService management;

    @Option(name = "--sessions", description = "Also print the counters of each live session (over all its LUNs)")
    boolean sessions;

    @Option(name = "--histogram", description = "Also print each LUN's latency histogram (log2 buckets of microseconds)")
    boolean histogram;

    @Override
    public Object execute() {
        print(System.out); // Karaf redirects System.out to the calling session
        return null;
    }

    void print(PrintStream out) {
        ShellTable table = new ShellTable().emptyTableText("no LUNs");
        table.column("Target");
        table.column("LUN").alignRight();
        table.column("Device").alignRight();
        table.column("Reads").alignRight();
        table.column("Read").alignRight();
        table.column("Writes").alignRight();
        table.column("Written").alignRight();
        table.column("Errors").alignRight();
        table.column("Read latency mean/p50/p99").alignRight();
        table.column("Write latency mean/p50/p99").alignRight();
        java.util.List<LunStats> all = management.lunStats();
        for (LunStats s : all) {
            table.addRow().addContent(s.target(), s.lun(), s.deviceId(), s.readOps(), Format.bytes(s.readBytes()),
                    s.writeOps(), Format.bytes(s.writeBytes()), s.errors(), latency(s.readLatency()),
                    latency(s.writeLatency()));
        }
        table.print(out);
        if (sessions) {
            out.println();
            printSessions(out);
        }
        if (histogram) {
            for (LunStats s : all) {
                out.println();
                out.println(s.target() + " LUN " + s.lun() + " (device " + s.deviceId() + ")");
                histogram(out, s);
            }
        }
    }

    private void printSessions(PrintStream out) {
        ShellTable table = new ShellTable().emptyTableText("no sessions");
        table.column("TSIH").alignRight();
        table.column("Target");
        table.column("Initiator");
        table.column("Reads").alignRight();
        table.column("Read").alignRight();
        table.column("Writes").alignRight();
        table.column("Written").alignRight();
        table.column("Errors").alignRight();
        table.column("Read latency mean/p50/p99").alignRight();
        table.column("Write latency mean/p50/p99").alignRight();
        for (SessionStats s : management.sessionStats()) {
            table.addRow().addContent(s.tsih(), s.target(), s.initiatorName(), s.readOps(), Format.bytes(s.readBytes()),
                    s.writeOps(), Format.bytes(s.writeBytes()), s.errors(), latency(s.readLatency()),
                    latency(s.writeLatency()));
        }
        table.print(out);
    }

    /** {@code mean / ≤p50 / ≤p99}; the percentiles are bucket bounds, hence "<". */
    static String latency(LatencyHistogram h) {
        if (h.count() == 0) {
            return "-";
        }
        return Format.micros(h.meanMicros()) + " / <" + Format.micros(h.quantileUpperBoundMicros(0.5)) + " / <"
                + Format.micros(h.quantileUpperBoundMicros(0.99));
    }

    private static void histogram(PrintStream out, LunStats s) {
        ShellTable table = new ShellTable().emptyTableText("no reads or writes yet");
        table.column("Latency below").alignRight();
        table.column("Reads").alignRight();
        table.column("Writes").alignRight();
        for (int i = 0; i < LatencyHistogram.BUCKETS; i++) {
            long r = s.readLatency().buckets().get(i);
            long w = s.writeLatency().buckets().get(i);
            if (r != 0 || w != 0) {
                long bound = LatencyHistogram.upperBoundMicros(i);
                table.addRow().addContent(bound == Long.MAX_VALUE ? "longer" : Format.micros(bound), r, w);
            }
        }
        table.print(out);
    }
}
