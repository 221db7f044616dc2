package io.jtgt.metrics;

import io.jtgt.scsi.api.ManagementService.LatencyHistogram;
import java.math.BigDecimal;
import java.util.Map;

/**
 * Writes the Prometheus text exposition format, version 0.0.4: per metric family one {@code # HELP}
 * and one {@code # TYPE} line, then its samples, {@code name{label="value",...} number}. Label
 * values escape backslash, double quote and line feed; HELP text backslash and line feed.
 * Histograms are cumulative {@code _bucket{le="..."}} lines ending in {@code le="+Inf"}, then
 * {@code _sum} and {@code _count}; latencies are in seconds, as Prometheus names its base unit.
 */
public final class PrometheusText {

    public static final String CONTENT_TYPE = "text/plain; version=0.0.4; charset=utf-8";

    private final StringBuilder out = new StringBuilder();

    /** Starts a family: {@code type} is counter, gauge or histogram. */
    public PrometheusText family(String name, String type, String help) {
        out.append("# HELP ").append(name).append(' ').append(escapeHelp(help)).append('\n');
        out.append("# TYPE ").append(name).append(' ').append(type).append('\n');
        return this;
    }

    public PrometheusText sample(String name, Map<String, String> labels, long value) {
        return sample(name, labels, null, null, Long.toString(value));
    }

    /**
     * The samples of one histogram series from a {@link LatencyHistogram}: bucket {@code i} counts
     * latencies in [2^(i-1), 2^i) µs, so the cumulative count up to bucket {@code i} is the
     * {@code le} = 2^i µs line (whole microseconds below 2^i are at most 2^i - 1). The last
     * bucket has no bound: it is only in {@code +Inf}, which equals {@code _count}.
     */
    public PrometheusText histogram(String name, Map<String, String> labels, LatencyHistogram h) {
        long cumulative = 0;
        for (int i = 0; i < LatencyHistogram.BUCKETS - 1; i++) {
            cumulative += h.buckets().get(i);
            sample(name + "_bucket", labels, "le", seconds(LatencyHistogram.upperBoundMicros(i)), Long.toString(cumulative));
        }
        long count = h.count();
        sample(name + "_bucket", labels, "le", "+Inf", Long.toString(count));
        sample(name + "_sum", labels, null, null, seconds(h.totalMicros()));
        sample(name + "_count", labels, null, null, Long.toString(count));
        return this;
    }

    @Override
    public String toString() {
        return out.toString();
    }

    private PrometheusText sample(String name, Map<String, String> labels, String extraName, String extraValue,
            String value) {
        out.append(name);
        if (!labels.isEmpty() || extraName != null) {
            out.append('{');
            boolean first = true;
            for (Map.Entry<String, String> label : labels.entrySet()) {
                first = label(label.getKey(), label.getValue(), first);
            }
            if (extraName != null) {
                label(extraName, extraValue, first);
            }
            out.append('}');
        }
        out.append(' ').append(value).append('\n');
        return this;
    }

    private boolean label(String name, String value, boolean first) {
        if (!first) {
            out.append(',');
        }
        out.append(name).append("=\"").append(escapeLabel(value)).append('"');
        return false;
    }

    /** Microseconds as exact decimal seconds: 1 -> 0.000001, 1048576 -> 1.048576. */
    static String seconds(long micros) {
        return BigDecimal.valueOf(micros, 6).stripTrailingZeros().toPlainString();
    }

    static String escapeLabel(String value) {
        return value.replace("\\", "\\\\").replace("\"", "\\\"").replace("\n", "\\n");
    }

    static String escapeHelp(String text) {
        return text.replace("\\", "\\\\").replace("\n", "\\n");
    }
}
