package io.jtgt.metrics;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.jtgt.scsi.api.InMemoryManagementService;
import io.jtgt.scsi.api.ManagementService.LatencyHistogram;
import io.jtgt.scsi.api.ManagementService.LunStats;
import io.jtgt.scsi.api.ManagementService.LunView;
import io.jtgt.scsi.api.ManagementService.SessionStats;
import io.jtgt.scsi.api.ManagementService.TargetView;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;

class JtgtMetricsTest {

    private static final String T = "iqn.2026-11.io.jtgt:m";

    private final InMemoryManagementService management = new InMemoryManagementService();

    private String scrape() {
        management.targets.add(new TargetView(T, Map.of(1, List.of(0)), 2, 1));
        management.luns.add(new LunView(T, 0, 1000, "file", "/x.img", 1 << 20, 512, "ONLINE", ""));
        management.luns.add(new LunView(T, 1, 1001, "file", "/y.img", 0, 512, "NO_BACKEND", "not installed"));
        management.lunStats.add(new LunStats(T, 0, 1000, 5, 5 << 20, 2, 8192, 1, InMemoryManagementService.histogram(7, 5, 500),
                InMemoryManagementService.histogram(10, 2, 2000)));
        management.lunStats.add(new LunStats(T, 1, 1001, 0, 0, 0, 0, 0, LatencyHistogram.empty(), LatencyHistogram.empty()));
        management.sessionStats.add(new SessionStats(T, 3, "iqn.2008-11.org.linux-kvm", "23d000000001", 5, 5 << 20, 2,
                8192, 1, InMemoryManagementService.histogram(7, 5, 500), InMemoryManagementService.histogram(10, 2, 2000)));
        return JtgtMetrics.scrape(management);
    }

    @Test
    void countersPerLunAndSession() {
        String text = scrape();
        String lun0 = "{target=\"" + T + "\",lun=\"0\",device_id=\"1000\"}";
        assertTrue(text.contains("jtgt_lun_read_commands_total" + lun0 + " 5\n"), text);
        assertTrue(text.contains("jtgt_lun_read_bytes_total" + lun0 + " 5242880\n"), text);
        assertTrue(text.contains("jtgt_lun_write_commands_total" + lun0 + " 2\n"), text);
        assertTrue(text.contains("jtgt_lun_write_bytes_total" + lun0 + " 8192\n"), text);
        assertTrue(text.contains("jtgt_lun_errors_total" + lun0 + " 1\n"), text);
        assertTrue(text.contains("jtgt_lun_write_latency_seconds_bucket{target=\"" + T
                + "\",lun=\"0\",device_id=\"1000\",le=\"0.001024\"} 2\n"), text);
        assertTrue(text.contains("jtgt_lun_write_latency_seconds_sum" + lun0 + " 0.002\n"), text);
        assertTrue(text.contains("jtgt_lun_read_latency_seconds_count" + lun0 + " 5\n"), text);
        assertTrue(text.contains("jtgt_lun_online" + lun0 + " 1\n"), text);
        assertTrue(text.contains("jtgt_lun_online{target=\"" + T + "\",lun=\"1\",device_id=\"1001\"} 0\n"), text);
        assertTrue(text.contains("jtgt_lun_size_bytes" + lun0 + " 1048576\n"), text);
        String session = "{target=\"" + T + "\",tsih=\"3\",initiator=\"iqn.2008-11.org.linux-kvm\",isid=\"23d000000001\"}";
        assertTrue(text.contains("jtgt_session_write_bytes_total" + session + " 8192\n"), text);
        assertTrue(text.contains("jtgt_session_read_latency_seconds_sum" + session + " 0.0005\n"), text);
        assertTrue(text.contains("jtgt_target_sessions{target=\"" + T + "\"} 1\n"), text);
    }

    /** Every family once, HELP before TYPE before its samples, and no sample outside its family. */
    @Test
    void eachFamilyIsOneContiguousBlock() {
        List<String> lines = scrape().lines().toList();
        Set<String> seen = new HashSet<>();
        String current = null;
        String type = null;
        List<String> families = new ArrayList<>();
        for (int i = 0; i < lines.size(); i++) {
            String line = lines.get(i);
            if (line.startsWith("# HELP ")) {
                current = line.split(" ")[2];
                assertTrue(seen.add(current), "family " + current + " twice");
                families.add(current);
                assertEquals("# TYPE " + current, lines.get(i + 1).substring(0, lines.get(i + 1).lastIndexOf(' ')));
                type = lines.get(i + 1).substring(lines.get(i + 1).lastIndexOf(' ') + 1);
                i++;
                continue;
            }
            String name = line.substring(0, line.indexOf(line.contains("{") ? '{' : ' '));
            boolean belongs = type.equals("histogram") ? name.equals(current + "_bucket") || name.equals(current + "_sum")
                    || name.equals(current + "_count") : name.equals(current);
            assertTrue(belongs, line + " outside its family " + current);
            if (type.equals("counter")) {
                assertTrue(name.endsWith("_total"), name);
            }
        }
        assertEquals(List.of("jtgt_lun_read_commands_total", "jtgt_lun_read_bytes_total", "jtgt_lun_write_commands_total",
                "jtgt_lun_write_bytes_total", "jtgt_lun_errors_total", "jtgt_lun_read_latency_seconds",
                "jtgt_lun_write_latency_seconds", "jtgt_lun_size_bytes", "jtgt_lun_online",
                "jtgt_session_read_commands_total", "jtgt_session_read_bytes_total", "jtgt_session_write_commands_total",
                "jtgt_session_write_bytes_total", "jtgt_session_errors_total", "jtgt_session_read_latency_seconds",
                "jtgt_session_write_latency_seconds", "jtgt_target_sessions"), families);
    }

    @Test
    void nothingConfiguredStillDescribesTheFamilies() {
        String text = JtgtMetrics.scrape(new InMemoryManagementService());
        assertTrue(text.contains("# TYPE jtgt_lun_read_latency_seconds histogram\n"), text);
        assertTrue(text.lines().allMatch(l -> l.startsWith("# ")), text);
    }
}
