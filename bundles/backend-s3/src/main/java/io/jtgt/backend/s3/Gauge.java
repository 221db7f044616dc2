package io.jtgt.backend.s3;

import java.util.concurrent.atomic.AtomicLong;

/**
 * A level that rises and falls (S3 requests in flight, bytes of chunk buffers held) with its
 * high-water mark, so that the bounds a store promises can be read back and checked.
 */
final class Gauge {

    private final AtomicLong current = new AtomicLong();
    private final AtomicLong peak = new AtomicLong();

    void add(long amount) {
        long now = current.addAndGet(amount);
        peak.accumulateAndGet(now, Math::max);
    }

    void subtract(long amount) {
        current.addAndGet(-amount);
    }

    long current() {
        return current.get();
    }

    long peak() {
        return peak.get();
    }
}
