package io.jtgt.metrics;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.jtgt.scsi.api.ManagementService.LatencyHistogram;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class PrometheusTextTest {

    @Test
    void familiesAndSamplesInTextFormat004() {
        Map<String, String> labels = new LinkedHashMap<>();
        labels.put("target", "iqn.2026-11.io.jtgt:t");
        labels.put("lun", "0");
        String text = new PrometheusText().family("jtgt_x_total", "counter", "A counter\nwith \\ two lines")
                .sample("jtgt_x_total", labels, 42).sample("jtgt_x_total", Map.of(), 7).toString();
        assertEquals("# HELP jtgt_x_total A counter\\nwith \\\\ two lines\n"
                + "# TYPE jtgt_x_total counter\n"
                + "jtgt_x_total{target=\"iqn.2026-11.io.jtgt:t\",lun=\"0\"} 42\n"
                + "jtgt_x_total 7\n", text);
    }

    @Test
    void labelValuesAreEscaped() {
        String text = new PrometheusText().sample("m", Map.of("l", "a\\b\"c\nd"), 1).toString();
        assertEquals("m{l=\"a\\\\b\\\"c\\nd\"} 1\n", text);
    }

    @Test
    void histogramBucketsAreCumulativeInSeconds() {
        long[] counts = new long[LatencyHistogram.BUCKETS];
        counts[0] = 1; // < 1 us
        counts[7] = 3; // [64, 128) us
        counts[20] = 2; // [0.52, 1.05) s
        counts[31] = 1; // longer than 2^30 us
        LatencyHistogram h = new LatencyHistogram(counts, 1_234_567);
        List<String> lines = new PrometheusText().histogram("lat_seconds", Map.of("lun", "1"), h).toString().lines().toList();
        assertEquals(LatencyHistogram.BUCKETS + 2, lines.size(), "31 bounded buckets, +Inf, _sum, _count");
        assertEquals("lat_seconds_bucket{lun=\"1\",le=\"0.000001\"} 1", lines.get(0));
        assertEquals("lat_seconds_bucket{lun=\"1\",le=\"0.000064\"} 1", lines.get(6));
        assertEquals("lat_seconds_bucket{lun=\"1\",le=\"0.000128\"} 4", lines.get(7));
        assertEquals("lat_seconds_bucket{lun=\"1\",le=\"1.048576\"} 6", lines.get(20));
        assertEquals("lat_seconds_bucket{lun=\"1\",le=\"1073.741824\"} 6", lines.get(30));
        assertEquals("lat_seconds_bucket{lun=\"1\",le=\"+Inf\"} 7", lines.get(31));
        assertEquals("lat_seconds_sum{lun=\"1\"} 1.234567", lines.get(32));
        assertEquals("lat_seconds_count{lun=\"1\"} 7", lines.get(33));
        long previous = -1;
        for (String line : lines.subList(0, 32)) {
            long value = Long.parseLong(line.substring(line.lastIndexOf(' ') + 1));
            assertTrue(value >= previous, "cumulative: " + line);
            previous = value;
        }
    }

    @Test
    void secondsAreExactDecimals() {
        assertEquals("0", PrometheusText.seconds(0));
        assertEquals("0.000001", PrometheusText.seconds(1));
        assertEquals("1.5", PrometheusText.seconds(1_500_000));
        assertEquals("9223372036854.775807", PrometheusText.seconds(Long.MAX_VALUE));
    }
}
