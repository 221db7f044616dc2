package io.jtgt.backend.s3;

import static io.jtgt.backend.s3.S3StoreFixture.BUCKET;
import static io.jtgt.backend.s3.S3StoreFixture.CALL_TIMEOUT_MS;
import static io.jtgt.backend.s3.S3StoreFixture.CHUNK;
import static io.jtgt.backend.s3.S3StoreFixture.SIZE;
import static io.jtgt.backend.s3.S3StoreFixture.config;
import static io.jtgt.backend.s3.S3StoreFixture.failureOf;
import static io.jtgt.backend.s3.S3StoreFixture.pattern;
import static io.jtgt.backend.s3.S3StoreFixture.read;
import static io.jtgt.backend.s3.S3StoreFixture.write;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.jtgt.scsi.spi.BackingStore;
import io.jtgt.scsi.spi.BackingStoreException;
import io.jtgt.scsi.spi.BackingStoreException.Kind;
import io.netty.buffer.Unpooled;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * S3 stopped, frozen or throttling: bounded retries with backoff, then UNAVAILABLE (NOT READY /
 * LOGICAL UNIT COMMUNICATION FAILURE) within the call timeout; nothing acknowledged is lost, and the
 * same store serves again once S3 answers. The bound asserted is the configured call timeout plus
 * slack for a loaded machine; the tests never depend on speed otherwise.
 */
class S3FaultToleranceTest {

    /** What a loaded 2-core machine may add to a timeout before the failure is seen. */
    private static final long SLACK_MS = 2000;

    @RegisterExtension
    static final S3StoreFixture s3 = new S3StoreFixture();

    private static BackingStoreException unavailable(Throwable failure) {
        BackingStoreException e = assertInstanceOf(BackingStoreException.class, failure);
        assertEquals(Kind.UNAVAILABLE, e.kind(), e::toString);
        return e;
    }

    private static long millisSince(long startNanos) {
        return TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - startNanos);
    }

    @Test
    void aStoppedServerMeansUnavailableWithinTheBoundThenServiceResumes() throws Exception {
        BackingStore store = s3.open();
        byte[] acknowledged = pattern(CHUNK + 4096, 8);
        write(store, 0, acknowledged);
        s3.server.stop();

        long start = System.nanoTime();
        unavailable(failureOf(store.write(4L * CHUNK, Unpooled.wrappedBuffer(pattern(512, 9)), true)));
        // chunk 0 was written whole (streamed, so not cached): reading it needs S3
        unavailable(failureOf(store.read(0, Unpooled.buffer(4096), 4096)));
        // a failed change of a cached chunk must not leave the cache claiming the new content
        unavailable(failureOf(store.write(CHUNK, Unpooled.wrappedBuffer(pattern(512, 17)), true)));
        long elapsedMs = millisSince(start);
        assertTrue(elapsedMs < 3 * CALL_TIMEOUT_MS + SLACK_MS, "the failures took " + elapsedMs + " ms");

        s3.server.restart();
        assertArrayEquals(acknowledged, read(store, 0, acknowledged.length)); // nothing acknowledged was lost
        byte[] after = pattern(512, 10);
        write(store, 4L * CHUNK, after);
        assertArrayEquals(after, read(store, 4L * CHUNK, 512));
    }

    @Test
    void aFrozenServerFailsTheOpenWithinTheCallTimeout() throws Exception {
        // a listening socket that never answers: the TCP handshake succeeds, the request hangs
        try (ServerSocket silent = new ServerSocket(0, 50, InetAddress.getLoopbackAddress())) {
            long start = System.nanoTime();
            Throwable refused = failureOf(s3.provider.open(config(BUCKET + "/disk0", SIZE,
                    s3.options("s3Endpoint", "http://127.0.0.1:" + silent.getLocalPort()))));
            long elapsedMs = millisSince(start);
            BackingStoreException e = unavailable(refused);
            assertTrue(e.getMessage().contains("did not answer in time"), e.getMessage());
            assertTrue(elapsedMs < CALL_TIMEOUT_MS + SLACK_MS, "gave up after " + elapsedMs + " ms");
        }
    }

    @Test
    void aServerThatHangsMidIoMeansUnavailableWithinTheCallTimeoutThenServiceResumes() throws Exception {
        try (FreezableRelay relay = new FreezableRelay(s3.server.port())) {
            BackingStore store = s3.open(BUCKET + "/disk0", SIZE, s3.options("s3Endpoint", relay.endpoint()));
            byte[] before = pattern(4096, 11);
            write(store, 0, before);
            relay.freeze(true);
            long start = System.nanoTime();
            unavailable(failureOf(store.write(CHUNK, Unpooled.wrappedBuffer(pattern(CHUNK, 12)), true)));
            long elapsedMs = millisSince(start);
            assertTrue(elapsedMs < CALL_TIMEOUT_MS + SLACK_MS, "gave up after " + elapsedMs + " ms");
            relay.freeze(false);
            assertArrayEquals(before, read(store, 0, 4096));
            byte[] after = pattern(CHUNK, 13);
            write(store, CHUNK, after);
            assertArrayEquals(after, read(store, CHUNK, CHUNK));
        }
    }

    /**
     * A kept-alive connection the server closed just as it was reused (S3 and load balancers close
     * idle connections): the client sees the end of the stream instead of an answer, which the JDK
     * HTTP client reports while it sends a PUT's body ({@code Expect: 100-continue}). PUT, GET and
     * DELETE of a whole object are idempotent: the attempt is retried like any other I/O failure.
     */
    @Test
    void aConnectionDroppedBeforeTheAnswerIsRetried() throws Exception {
        try (FreezableRelay relay = new FreezableRelay(s3.server.port())) {
            BackingStore store = s3.open(BUCKET + "/disk0", SIZE, s3.options("s3Endpoint", relay.endpoint()));
            byte[] whole = pattern(CHUNK, 19);
            relay.drop(2);
            write(store, 3L * CHUNK, whole); // one PUT, streamed: 2 attempts dropped, the third stores it
            assertEquals(2, relay.dropped());
            relay.drop(2);
            assertArrayEquals(whole, read(store, 3L * CHUNK, CHUNK)); // one GET
            assertEquals(4, relay.dropped());
            byte[] partial = pattern(4096, 20);
            relay.drop(2);
            write(store, 3L * CHUNK + 8192, partial); // GET then PUT of a read-modify-write
            assertEquals(6, relay.dropped());
            System.arraycopy(partial, 0, whole, 8192, partial.length);
            assertArrayEquals(whole, read(store, 3L * CHUNK, CHUNK));
        }
    }

    /** 503 SlowDown a few times: the SDK backs off and retries, the write succeeds and reads back. */
    @Test
    void slowDownIsRetriedAndTheWriteSucceeds() throws Exception {
        try (FreezableRelay relay = new FreezableRelay(s3.server.port())) {
            BackingStore store = s3.open(BUCKET + "/disk0", SIZE, s3.options("s3Endpoint", relay.endpoint(),
                    "s3MaxAttempts", "4"));
            byte[] data = pattern(CHUNK + 1024, 14); // a whole chunk and a read-modify-write of the next
            relay.throttle(2, false);
            write(store, 0, data);
            assertEquals(2, relay.throttled());
            assertArrayEquals(data, read(store, 0, data.length));
        }
    }

    /**
     * S3 may answer {@code Expect: 100-continue} with 503 before taking the body; the JDK HTTP
     * client then reports no S3 error but an I/O failure. That must be retried as well.
     */
    @Test
    void slowDownBeforeTheBodyIsRetriedToo() throws Exception {
        try (FreezableRelay relay = new FreezableRelay(s3.server.port())) {
            BackingStore store = s3.open(BUCKET + "/disk0", SIZE, s3.options("s3Endpoint", relay.endpoint(),
                    "s3MaxAttempts", "4"));
            byte[] data = pattern(CHUNK, 15);
            relay.throttle(2, true);
            write(store, 2L * CHUNK, data); // a whole-chunk write: one PUT, no GET
            assertEquals(2, relay.throttled());
            assertArrayEquals(data, read(store, 2L * CHUNK, CHUNK));
        }
    }

    /** SlowDown that does not end: UNAVAILABLE naming it, within the call timeout; then service resumes. */
    @Test
    void persistentSlowDownFailsWithinTheCallTimeoutAndServiceResumesAfter() throws Exception {
        try (FreezableRelay relay = new FreezableRelay(s3.server.port())) {
            BackingStore store = s3.open(BUCKET + "/disk0", SIZE, s3.options("s3Endpoint", relay.endpoint()));
            write(store, 0, pattern(CHUNK, 18)); // a chunk only S3 holds (whole-chunk writes are not cached)
            relay.throttle(Integer.MAX_VALUE, false);
            long start = System.nanoTime();
            BackingStoreException e = unavailable(failureOf(store.read(0, Unpooled.buffer(4096), 4096)));
            long elapsedMs = millisSince(start);
            assertTrue(e.getMessage().contains("503") && e.getMessage().contains("SlowDown"), e.getMessage());
            assertTrue(elapsedMs < CALL_TIMEOUT_MS + SLACK_MS, "gave up after " + elapsedMs + " ms");
            assertEquals(3, relay.throttled(), "s3MaxAttempts = 3 attempts, no more");
            relay.throttle(0, false);
            byte[] data = pattern(4096, 16);
            write(store, 0, data);
            assertArrayEquals(data, read(store, 0, 4096));
        }
    }
}
