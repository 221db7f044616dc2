package io.jtgt.metrics.jmx;

import io.jtgt.metrics.Counters;
import io.jtgt.scsi.api.ManagementService.LatencyHistogram;

/** The counter attributes, from whatever {@link #counters()} reads at the moment of the call. */
abstract class IoStatistics implements IoStatisticsMXBean {

    /** A fresh snapshot; throws IllegalStateException when the object is gone. */
    abstract Counters counters();

    @Override
    public long getReadCommands() {
        return counters().readOps();
    }

    @Override
    public long getReadBytes() {
        return counters().readBytes();
    }

    @Override
    public long getWriteCommands() {
        return counters().writeOps();
    }

    @Override
    public long getWriteBytes() {
        return counters().writeBytes();
    }

    @Override
    public long getErrors() {
        return counters().errors();
    }

    @Override
    public long getReadLatencyMeanMicros() {
        return counters().readLatency().meanMicros();
    }

    @Override
    public long getReadLatencyP99Micros() {
        return counters().readLatency().quantileUpperBoundMicros(0.99);
    }

    @Override
    public long getReadLatencyTotalMicros() {
        return counters().readLatency().totalMicros();
    }

    @Override
    public long[] getReadLatencyHistogram() {
        return buckets(counters().readLatency());
    }

    @Override
    public long getWriteLatencyMeanMicros() {
        return counters().writeLatency().meanMicros();
    }

    @Override
    public long getWriteLatencyP99Micros() {
        return counters().writeLatency().quantileUpperBoundMicros(0.99);
    }

    @Override
    public long getWriteLatencyTotalMicros() {
        return counters().writeLatency().totalMicros();
    }

    @Override
    public long[] getWriteLatencyHistogram() {
        return buckets(counters().writeLatency());
    }

    @Override
    public long[] getLatencyBucketUpperBoundsMicros() {
        long[] bounds = new long[LatencyHistogram.BUCKETS];
        for (int i = 0; i < bounds.length; i++) {
            bounds[i] = LatencyHistogram.upperBoundMicros(i);
        }
        return bounds;
    }

    private static long[] buckets(LatencyHistogram h) {
        return h.buckets().stream().mapToLong(Long::longValue).toArray();
    }
}
