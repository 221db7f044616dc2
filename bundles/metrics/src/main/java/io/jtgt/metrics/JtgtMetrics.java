package io.jtgt.metrics;

import io.jtgt.scsi.api.ManagementService;
import io.jtgt.scsi.api.ManagementService.LatencyHistogram;
import io.jtgt.scsi.api.ManagementService.LunStats;
import io.jtgt.scsi.api.ManagementService.LunView;
import io.jtgt.scsi.api.ManagementService.SessionStats;
import io.jtgt.scsi.api.ManagementService.TargetView;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Function;
import java.util.function.ToLongFunction;

/**
 * jtgt's metrics in Prometheus text, from one snapshot of {@link ManagementService} per scrape:
 *
 * <pre>
 * jtgt_lun_{read,write}_commands_total, jtgt_lun_{read,write}_bytes_total, jtgt_lun_errors_total   counters
 * jtgt_lun_{read,write}_latency_seconds                                                            histograms
 *     labels target, lun, device_id (the counters belong to the storage: LUNs of one storage show the same)
 * jtgt_lun_size_bytes, jtgt_lun_online (1 ONLINE, else 0)                                          gauges
 * jtgt_session_... the same counters and histograms per live session, labels target, tsih, initiator, isid
 * jtgt_target_sessions                                                                             gauge, label target
 * </pre>
 */
public final class JtgtMetrics {

    private JtgtMetrics() {
    }

    /** One I/O counter family, for LUNs and sessions alike. */
    private record Counter(String suffix, String help, ToLongFunction<Counters> value) {}

    private record Histogram(String suffix, String help, Function<Counters, LatencyHistogram> value) {}

    private static final List<Counter> COUNTERS = List.of(
            new Counter("read_commands_total", "READ commands (6, 10, 12, 16) completed", Counters::readOps),
            new Counter("read_bytes_total", "Bytes read by READ commands", Counters::readBytes),
            new Counter("write_commands_total", "WRITE commands (6, 10, 12, 16) completed", Counters::writeOps),
            new Counter("write_bytes_total", "Bytes written by WRITE commands", Counters::writeBytes),
            new Counter("errors_total", "READ and WRITE commands that did not end GOOD", Counters::errors));

    private static final List<Histogram> HISTOGRAMS = List.of(
            new Histogram("read_latency_seconds", "Latency of READ commands, from the command to its status",
                    Counters::readLatency),
            new Histogram("write_latency_seconds", "Latency of WRITE commands, from the command to its status",
                    Counters::writeLatency));

    /** A labelled series of counters. */
    private record Series(Map<String, String> labels, Counters counters) {}

    public static String scrape(ManagementService management) {
        return render(management.targets(), management.luns(), management.lunStats(), management.sessionStats());
    }

    static String render(List<TargetView> targets, List<LunView> luns, List<LunStats> lunStats,
            List<SessionStats> sessionStats) {
        PrometheusText text = new PrometheusText();
        List<Series> lunSeries = lunStats.stream()
                .map(s -> new Series(lunLabels(s.target(), s.lun(), s.deviceId()), Counters.of(s))).toList();
        io(text, "jtgt_lun_", " per LUN", lunSeries);

        text.family("jtgt_lun_size_bytes", "gauge", "Size of the LUN in bytes (0 while it is not online)");
        luns.forEach(l -> text.sample("jtgt_lun_size_bytes", lunLabels(l.target(), l.lun(), l.deviceId()), l.sizeBytes()));
        text.family("jtgt_lun_online", "gauge", "1 when the LUN is ONLINE, 0 when it is offline, failed or has no backend");
        luns.forEach(l -> text.sample("jtgt_lun_online", lunLabels(l.target(), l.lun(), l.deviceId()),
                "ONLINE".equals(l.state()) ? 1 : 0));

        List<Series> sessionSeries = sessionStats.stream().map(s -> {
            Map<String, String> labels = new LinkedHashMap<>();
            labels.put("target", s.target());
            labels.put("tsih", Integer.toString(s.tsih()));
            labels.put("initiator", s.initiatorName());
            labels.put("isid", s.isid());
            return new Series(labels, Counters.of(s));
        }).toList();
        io(text, "jtgt_session_", " per session, since its login", sessionSeries);

        text.family("jtgt_target_sessions", "gauge", "Sessions logged in to the target");
        targets.forEach(t -> text.sample("jtgt_target_sessions", Map.of("target", t.name()), t.sessionCount()));
        return text.toString();
    }

    private static void io(PrometheusText text, String prefix, String scope, List<Series> series) {
        for (Counter counter : COUNTERS) {
            String name = prefix + counter.suffix();
            text.family(name, "counter", counter.help() + scope);
            series.forEach(s -> text.sample(name, s.labels(), counter.value().applyAsLong(s.counters())));
        }
        for (Histogram histogram : HISTOGRAMS) {
            String name = prefix + histogram.suffix();
            text.family(name, "histogram", histogram.help() + scope);
            series.forEach(s -> text.histogram(name, s.labels(), histogram.value().apply(s.counters())));
        }
    }

    private static Map<String, String> lunLabels(String target, int lun, long deviceId) {
        Map<String, String> labels = new LinkedHashMap<>();
        labels.put("target", target);
        labels.put("lun", Integer.toString(lun));
        labels.put("device_id", Long.toString(deviceId));
        return labels;
    }
}
