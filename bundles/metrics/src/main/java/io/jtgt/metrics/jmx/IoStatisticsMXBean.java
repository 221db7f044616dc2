package io.jtgt.metrics.jmx;

/**
 * The I/O counters of a LUN or a session, as JMX attributes. Latency histograms are 32 log2
 * buckets of microseconds (bucket 0: below 1 µs, bucket i: [2^(i-1), 2^i) µs, the last: longer),
 * their bounds in {@code LatencyBucketUpperBoundsMicros}; percentiles are those bucket bounds.
 */
public interface IoStatisticsMXBean {

    long getReadCommands();

    long getReadBytes();

    long getWriteCommands();

    long getWriteBytes();

    /** READ and WRITE commands that did not end GOOD. */
    long getErrors();

    long getReadLatencyMeanMicros();

    long getReadLatencyP99Micros();

    long getReadLatencyTotalMicros();

    long[] getReadLatencyHistogram();

    long getWriteLatencyMeanMicros();

    long getWriteLatencyP99Micros();

    long getWriteLatencyTotalMicros();

    long[] getWriteLatencyHistogram();

    /** The exclusive upper bound of each bucket in µs; Long.MAX_VALUE for the last. */
    long[] getLatencyBucketUpperBoundsMicros();
}
