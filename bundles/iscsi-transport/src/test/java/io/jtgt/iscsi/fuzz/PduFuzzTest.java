package io.jtgt.iscsi.fuzz;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.jtgt.iscsi.auth.AccessRule;
import io.jtgt.iscsi.auth.AccessRules;
import io.jtgt.iscsi.pdu.CodecSettings;
import io.jtgt.iscsi.pdu.IscsiPdu;
import io.jtgt.iscsi.pdu.LoginResponsePdu;
import io.jtgt.iscsi.pdu.PduDecoder;
import io.jtgt.iscsi.pdu.PduFramingError;
import io.jtgt.iscsi.pdu.ScsiResponsePdu;
import io.jtgt.iscsi.server.IscsiServer;
import io.jtgt.iscsi.server.TransportSettings;
import io.jtgt.iscsi.testing.RealTarget;
import io.jtgt.iscsi.testing.RecordingLeakDetector;
import io.jtgt.iscsi.text.TextParameters;
import io.jtgt.scsi.api.ScsiResponse;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.PooledByteBufAllocator;
import io.netty.buffer.Unpooled;
import io.netty.channel.embedded.EmbeddedChannel;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.SocketTimeoutException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Throws mutated and truncated PDUs — in the login phase and in the full feature phase, with and
 * without digests, over many TCP connections at once — at a running target (scsi-core, file
 * backend, the transport), then checks the target is unharmed: no internal error, every
 * connection, session, nexus and data reservation gone, no leaked buffer (Netty's detector at
 * PARANOID, recording), and qemu-io still writes and reads back through a fresh session.
 *
 * <p>{@code -Dfuzz.pdus=N} (default 100 000) and {@code -Dfuzz.seed=S} (default: the clock; printed,
 * and named in every failure) reproduce or lengthen a run: each connection's bytes depend only on
 * the seed and its number. Runs in a JVM of its own (the {@code fuzz} surefire execution).
 */
class PduFuzzTest {

    private static final String INITIATOR = "iqn.2026-11.test:fuzz";
    private static final String CHAP_TARGET = RealTarget.OTHER_IQN;
    private static final int WORKERS = 4;

    @TempDir
    Path dir;

    @Test
    void aTargetUnderFireStaysWholeAndServesAWellBehavedSession() throws Exception {
        long pdus = Long.getLong("fuzz.pdus", 100_000);
        long seed = Long.getLong("fuzz.seed", System.nanoTime());
        String rerun = " (rerun with -Dfuzz.seed=" + seed + " -Dfuzz.pdus=" + pdus + ")";
        System.out.println("PduFuzzTest: seed " + seed + ", " + pdus + " PDUs");
        assertTrue(RecordingLeakDetector.installed(), "runs with the recording leak detector" + rerun);
        int leaksBefore = RecordingLeakDetector.leaks().size();

        AccessRules rules = new AccessRules();
        rules.put("chap", AccessRule.fromProperties(Map.of("target", CHAP_TARGET, "userName", "fuzzer",
                "secret", "twelve-bytes-at-least"))); // the CHAP paths get their share of garbage
        try (RealTarget target = new RealTarget(dir, registry -> new IscsiServer(registry,
                TransportSettings.defaults(), rules))) {
            Stats stats = new Stats();
            long start = System.nanoTime();
            ExecutorService pool = Executors.newFixedThreadPool(WORKERS);
            List<Future<?>> workers = new ArrayList<>();
            for (int w = 0; w < WORKERS; w++) {
                int worker = w;
                workers.add(pool.submit(() -> {
                    for (long c = worker; stats.thrown.get() < pdus; c += WORKERS) {
                        connection(target.port(), new Random(seed * 31 + c), c, stats);
                    }
                    return null;
                }));
            }
            for (Future<?> f : workers) {
                f.get(10, TimeUnit.MINUTES);
            }
            pool.shutdown();
            long millis = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - start);
            System.out.printf("PduFuzzTest: %d PDUs thrown over %d connections (%d logged in, %d digests) in %d ms,"
                    + " %d answers read, seed %d%n", stats.thrown.get(), stats.connections.get(), stats.loggedIn.get(),
                    stats.digests.get(), millis, stats.answers.get(), seed);

            IscsiServer server = target.server();
            awaitQuiet(server, target, rerun);
            assertEquals(0, server.shared().internalErrors(), "no PDU may cause an internal error" + rerun);
            assertEquals(0, stats.internalFailures.get(), "no answer said INTERNAL TARGET FAILURE / Target Failure"
                    + rerun);
            assertTrue(stats.loggedIn.get() > 0 && stats.answers.get() > 0, "the fuzz reached the full feature phase");

            RealTarget.Run qemu = RealTarget.run("qemu-io", "-f", "raw", "-c", "write -P 0x3c 2M 1M", "-c",
                    "read -P 0x3c 2M 1M", "-c", "write -P 0x3d 0 64k", "-c", "read -P 0x3d 0 64k",
                    target.url(null, RealTarget.IQN, 0));
            assertEquals(0, qemu.exitCode(), qemu.output() + rerun);
            assertFalse(qemu.output().contains("failed") || qemu.output().contains("Pattern verification"),
                    qemu.output() + rerun);
            RealTarget.Run inquiry = RealTarget.run("iscsi-inq", target.url(null, RealTarget.IQN, 0));
            assertEquals(0, inquiry.exitCode(), inquiry.output() + rerun);
            awaitQuiet(server, target, rerun);
        }
        List<String> leaks = provokeLeakReports(leaksBefore);
        assertTrue(leaks.isEmpty(), leaks.size() + " leaked buffers" + rerun + ": " + leaks);
    }

    /** What the fuzz did, over all workers. */
    private static final class Stats {
        final AtomicLong thrown = new AtomicLong();
        final AtomicLong connections = new AtomicLong();
        final AtomicLong loggedIn = new AtomicLong();
        final AtomicLong digests = new AtomicLong();
        final AtomicLong answers = new AtomicLong();
        final AtomicLong internalFailures = new AtomicLong();
    }

    /**
     * One connection: a third fuzz the login phase (several login PDUs, mostly broken), the rest
     * log in properly (some with digests) and then send a batch of full-feature PDUs. The batch is
     * written whole, the output shut, and everything the target answers read until it hangs up.
     */
    private static void connection(int port, Random random, long number, Stats stats) throws IOException {
        String[] targets = {RealTarget.IQN, RealTarget.IQN, CHAP_TARGET, "iqn.2026-11.test:nothing"};
        // Some connections are pelted, some only nudged: a broken frame ends an ERL 0 connection, so
        // the lightly mutated ones are those that reach deep into the full feature phase.
        double rate = random.nextInt(3) == 0 ? 0.25 : random.nextDouble() * 0.04;
        PduFuzzer fuzzer = new PduFuzzer(random, targets, rate);
        long isid = 0x400000000000L | (number & 0xffffffffL);
        try (Socket socket = new Socket()) {
            socket.connect(new InetSocketAddress(InetAddress.getLoopbackAddress(), port), 10_000);
            socket.setSoTimeout(20_000);
            socket.setTcpNoDelay(true);
            stats.connections.incrementAndGet();
            OutputStream out = socket.getOutputStream();
            InputStream in = socket.getInputStream();
            Answers answers = new Answers(stats);
            List<byte[]> batch = new ArrayList<>();
            if (random.nextInt(3) == 0) {
                int n = 1 + random.nextInt(6);
                for (int i = 0; i < n; i++) {
                    batch.add(fuzzer.loginRequest(isid, fuzzer.loginKeys(i == 0 && random.nextBoolean()), false));
                }
            } else {
                boolean digests = random.nextInt(5) == 0;
                TextParameters keys = new TextParameters().add("InitiatorName", INITIATOR + number % 7)
                        .add("TargetName", RealTarget.IQN).add("SessionType", "Normal")
                        .add("ImmediateData", "Yes").add("InitialR2T", "No").add("MaxBurstLength", "262144")
                        .add("FirstBurstLength", "65536").add("MaxRecvDataSegmentLength", "65536")
                        .add("HeaderDigest", digests ? "CRC32C" : "None").add("DataDigest", digests ? "CRC32C" : "None");
                out.write(fuzzer.loginRequest(isid, keys.encode(), true));
                LoginResponsePdu login = answers.login(in);
                if (login == null || login.status() != 0) {
                    throw new AssertionError("a proper login failed: " + (login == null ? "closed" : login.status()));
                }
                stats.loggedIn.incrementAndGet();
                stats.thrown.incrementAndGet();
                fuzzer.cmdSn = login.expCmdSn();
                fuzzer.expStatSn = login.statSn() + 1;
                if (digests) {
                    stats.digests.incrementAndGet();
                    fuzzer.digests(true, true);
                    answers.digests(true, true);
                }
                fuzzer.keepFraming(random.nextBoolean());
                int n = 20 + random.nextInt(180);
                for (int i = 0; i < n; i++) {
                    batch.add(fuzzer.fullFeaturePdu());
                }
            }
            if (random.nextInt(8) == 0) {
                batch.set(batch.size() - 1, fuzzer.truncate(batch.get(batch.size() - 1)));
            }
            for (byte[] pdu : batch) {
                try {
                    out.write(pdu);
                } catch (IOException hungUp) {
                    break; // the target closed on an earlier PDU: the rest never arrives
                }
                stats.thrown.incrementAndGet();
            }
            try {
                socket.shutdownOutput();
            } catch (IOException alreadyGone) {
                // closed by the target
            }
            answers.readUntilClosed(in);
        }
    }

    /** Decodes what the target says, looking for the answers that mean a bug of ours. */
    private static final class Answers {
        private final Stats stats;
        private final CodecSettings codec = new CodecSettings(1 << 24);
        private final EmbeddedChannel decoder = new EmbeddedChannel(new PduDecoder(codec));
        private final byte[] chunk = new byte[64 * 1024];

        Answers(Stats stats) {
            this.stats = stats;
        }

        void digests(boolean header, boolean data) {
            codec.headerDigest(header);
            codec.dataDigest(data);
        }

        LoginResponsePdu login(InputStream in) throws IOException {
            while (true) {
                Object o = decoder.readInbound();
                if (o instanceof LoginResponsePdu response) {
                    return response;
                }
                if (o != null) {
                    release(o);
                    throw new AssertionError("expected a Login Response, got " + o);
                }
                int n = in.read(chunk);
                if (n < 0) {
                    return null;
                }
                decoder.writeInbound(Unpooled.copiedBuffer(chunk, 0, n));
            }
        }

        void readUntilClosed(InputStream in) throws IOException {
            try {
                int n;
                while ((n = in.read(chunk)) >= 0) {
                    decoder.writeInbound(Unpooled.copiedBuffer(chunk, 0, n));
                    drain();
                }
            } catch (SocketTimeoutException e) {
                throw new AssertionError("the target neither answered nor hung up within 20 s");
            } catch (IOException reset) {
                // a reset is a hang-up too
            } finally {
                drain();
                decoder.finishAndReleaseAll();
            }
        }

        private void drain() {
            Object o;
            while ((o = decoder.readInbound()) != null) {
                if (o instanceof ScsiResponsePdu response) {
                    if (response.response() == ScsiResponsePdu.TARGET_FAILURE || internalTargetFailure(response)) {
                        stats.internalFailures.incrementAndGet();
                        System.out.println("PduFuzzTest: internal failure answered: " + response);
                    }
                }
                if (o instanceof IscsiPdu) {
                    stats.answers.incrementAndGet();
                }
                release(o);
            }
        }

        /** CHECK CONDITION, HARDWARE ERROR / 44h INTERNAL TARGET FAILURE: scsi-core met an exception. */
        private static boolean internalTargetFailure(ScsiResponsePdu response) {
            ByteBuf sense = response.data();
            return response.status() == ScsiResponse.CHECK_CONDITION && sense.readableBytes() >= 2 + 14
                    && (sense.getByte(2 + 2) & 0x0f) == 0x04 && (sense.getByte(2 + 12) & 0xff) == 0x44;
        }

        private static void release(Object o) {
            if (o instanceof IscsiPdu pdu) {
                pdu.release();
            } else if (!(o instanceof PduFramingError)) {
                io.netty.util.ReferenceCountUtil.release(o);
            }
        }
    }

    /** Waits until nothing of the fuzz is left in the target: connections, sessions, nexuses, data. */
    private static void awaitQuiet(IscsiServer server, RealTarget target, String rerun) throws InterruptedException {
        long end = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
        while (System.nanoTime() < end) {
            if (server.shared().openConnections() == 0 && server.sessions().isEmpty()
                    && target.service().sessions().isEmpty() && server.shared().dataBytes() == 0) {
                return;
            }
            Thread.sleep(50);
        }
        throw new AssertionError("the target did not come to rest: " + server.shared().openConnections()
                + " connections, " + server.sessions().size() + " sessions, " + target.service().sessions().size()
                + " nexuses, " + server.shared().dataBytes() + " data bytes held" + rerun);
    }

    /**
     * Netty reports a leak when a leaked buffer's tracker is collected and another buffer is
     * tracked afterwards: collect, allocate, repeat, then read the record.
     */
    private static List<String> provokeLeakReports(int before) throws InterruptedException {
        for (int i = 0; i < 5; i++) {
            System.gc();
            Thread.sleep(100);
            for (int j = 0; j < 200; j++) {
                PooledByteBufAllocator.DEFAULT.directBuffer(64).release();
                PooledByteBufAllocator.DEFAULT.heapBuffer(64).release();
            }
        }
        List<String> all = RecordingLeakDetector.leaks();
        return all.subList(before, all.size());
    }
}
