package io.jtgt.scsi.core;

import io.jtgt.scsi.api.ManagementService.LatencyHistogram;
import java.util.concurrent.atomic.AtomicLongArray;
import java.util.concurrent.atomic.LongAdder;

/**
 * I/O counters of one storage: read and write commands and bytes, failed commands, and a latency
 * histogram per direction. Recording is lock-free and allocates nothing (LongAdders and a fixed
 * AtomicLongArray), so it can run on every command on any event loop; reading takes a snapshot
 * that is consistent per counter, not across counters (good enough for display and scraping).
 *
 * <p>Latency buckets are log2 of microseconds: bucket 0 holds latencies below 1 µs, bucket
 * {@code i} those in [2^(i-1), 2^i) µs, the last bucket everything from 2^(BUCKETS-2) µs (~18 min)
 * upwards. The latency is measured from the command's arrival in scsi-core to its status.
 */
final class IoStats {

    /** Buckets per histogram: up to 2^30 µs (~18 min) told apart, beyond any initiator's command timeout. */
    static final int BUCKETS = LatencyHistogram.BUCKETS;

    private final LongAdder readOps = new LongAdder();
    private final LongAdder readBytes = new LongAdder();
    private final LongAdder writeOps = new LongAdder();
    private final LongAdder writeBytes = new LongAdder();
    private final LongAdder errors = new LongAdder();
    private final LongAdder readNanos = new LongAdder();
    private final LongAdder writeNanos = new LongAdder();
    private final AtomicLongArray readLatency = new AtomicLongArray(BUCKETS);
    private final AtomicLongArray writeLatency = new AtomicLongArray(BUCKETS);

    /** A READ that completed GOOD with {@code bytes} of data, after {@code nanos}. */
    void read(long bytes, long nanos) {
        readOps.increment();
        readBytes.add(bytes);
        readNanos.add(nanos);
        readLatency.incrementAndGet(bucket(nanos));
    }

    /** A WRITE that completed GOOD with {@code bytes} written, after {@code nanos}. */
    void write(long bytes, long nanos) {
        writeOps.increment();
        writeBytes.add(bytes);
        writeNanos.add(nanos);
        writeLatency.incrementAndGet(bucket(nanos));
    }

    /** A READ or WRITE that ended in anything but GOOD (CHECK CONDITION, conflict, busy). */
    void error() {
        errors.increment();
    }

    /** READ (6/10/12/16), SBC-3 5.8-5.11. */
    static boolean isRead(int opcode) {
        return opcode == 0x08 || opcode == 0x28 || opcode == 0xA8 || opcode == 0x88;
    }

    /** WRITE (6/10/12/16), SBC-3 5.32-5.35. */
    static boolean isWrite(int opcode) {
        return opcode == 0x0A || opcode == 0x2A || opcode == 0xAA || opcode == 0x8A;
    }

    /** The TRANSFER LENGTH in blocks of a READ or WRITE CDB (6-byte form: 0 means 256). */
    static long transferBlocks(byte[] cdb) {
        return switch ((cdb[0] & 0xFF) >>> 5) {
            case 0 -> cdb.length > 4 ? ((cdb[4] & 0xFF) == 0 ? 256 : cdb[4] & 0xFF) : 0;
            case 1, 2 -> cdb.length > 8 ? Cdb.u16(cdb, 7) : 0;
            case 5 -> cdb.length > 9 ? Cdb.u32(cdb, 6) : 0;
            case 4 -> cdb.length > 13 ? Cdb.u32(cdb, 10) : 0;
            default -> 0;
        };
    }

    /** The bucket of a latency: log2 of whole microseconds, capped at the last bucket. */
    static int bucket(long nanos) {
        long micros = nanos / 1000;
        if (micros <= 0) {
            return 0;
        }
        return Math.min(BUCKETS - 1, 64 - Long.numberOfLeadingZeros(micros));
    }

    long readOps() {
        return readOps.sum();
    }

    long readBytes() {
        return readBytes.sum();
    }

    long writeOps() {
        return writeOps.sum();
    }

    long writeBytes() {
        return writeBytes.sum();
    }

    long errors() {
        return errors.sum();
    }

    LatencyHistogram readLatency() {
        return new LatencyHistogram(snapshot(readLatency), readNanos.sum() / 1000);
    }

    LatencyHistogram writeLatency() {
        return new LatencyHistogram(snapshot(writeLatency), writeNanos.sum() / 1000);
    }

    private static long[] snapshot(AtomicLongArray buckets) {
        long[] out = new long[BUCKETS];
        for (int i = 0; i < BUCKETS; i++) {
            out[i] = buckets.get(i);
        }
        return out;
    }
}
