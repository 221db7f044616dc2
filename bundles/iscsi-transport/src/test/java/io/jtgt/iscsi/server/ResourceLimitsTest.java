package io.jtgt.iscsi.server;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.jtgt.iscsi.login.LoginStatus;
import io.jtgt.iscsi.pdu.IscsiPdu;
import io.jtgt.iscsi.pdu.LoginResponsePdu;
import io.jtgt.iscsi.pdu.R2tPdu;
import io.jtgt.iscsi.pdu.ScsiResponsePdu;
import io.jtgt.iscsi.testing.RealTarget;
import io.jtgt.iscsi.testing.SocketInitiator;
import io.jtgt.scsi.config.TargetLimits;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.function.BooleanSupplier;
import org.junit.jupiter.api.Test;

/**
 * The limits that keep one initiator from hurting the daemon or the others, each against a real
 * target over TCP: per-target negotiation limits and session caps (judged by qemu-io and the
 * libiscsi tools), and what no real initiator does — half-open floods, too many connections from
 * one address, logins that never finish, writes whose data never comes, readers that never read
 * (the project's socket initiator).
 */
class ResourceLimitsTest extends RealTargetTest {

    private static final String HOSTILE = "iqn.2026-11.test:hostile";


    private RealTarget start(TransportSettings settings) {
        target = new RealTarget(dir, registry -> new IscsiServer(registry, settings));
        return target;
    }

    private static TransportSettings with(ConnectionLimits limits) {
        return TransportSettings.defaults().withLimits(limits);
    }

    private static ConnectionLimits limits(int loginTimeout, int nopInTimeout, int dataOutTimeout, int connections,
            int perAddress, long perConnectionBytes) {
        return new ConnectionLimits(loginTimeout, nopInTimeout, dataOutTimeout, connections, perAddress, 0,
                perConnectionBytes, 1L << 30);
    }

    private static void await(BooleanSupplier condition, int millis, String what) throws InterruptedException {
        long end = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(millis);
        while (!condition.getAsBoolean()) {
            if (System.nanoTime() > end) {
                throw new AssertionError(what);
            }
            Thread.sleep(20);
        }
    }

    private void qemuWritesAndReadsBack(String iqn) {
        RealTarget.Run run = RealTarget.run("qemu-io", "-f", "raw", "-c", "write -P 0x5a 1M 1M", "-c",
                "read -P 0x5a 1M 1M", target.url(null, iqn, 0));
        assertEquals(0, run.exitCode(), run.output());
        assertFalse(run.output().contains("failed"), run.output());
    }

    @Test
    void aTargetsOwnLimitsAreWhatTheRealInitiatorNegotiates() {
        start(TransportSettings.defaults());
        target.limit(RealTarget.IQN, new TargetLimits(32768, 65536, 16384, null, false, null, null, null, null, null, null,
                null));
        qemuWritesAndReadsBack(RealTarget.IQN);
        Map<String, String> limited = target.lastParameters(RealTarget.IQN);
        assertEquals("65536", limited.get("MaxBurstLength"), limited.toString());
        assertEquals("16384", limited.get("FirstBurstLength"));
        assertEquals("No", limited.get("ImmediateData"));
        assertEquals("32768", limited.get("MaxRecvDataSegmentLength"));

        qemuWritesAndReadsBack(RealTarget.OTHER_IQN);
        Map<String, String> daemon = target.lastParameters(RealTarget.OTHER_IQN);
        assertEquals(String.valueOf(TransportSettings.defaults().maxRecvDataSegmentLength()),
                daemon.get("MaxRecvDataSegmentLength"), "the other target keeps the daemon's limits");
        assertEquals("Yes", daemon.get("ImmediateData"));
    }

    @Test
    void aTargetAdmitsNoMoreSessionsThanItsLimitAndTheInitiatorIsToldWhy() throws Exception {
        start(TransportSettings.defaults());
        target.limit(RealTarget.IQN, new TargetLimits(null, null, null, null, null, null, null, null, null, null, null,
                1));
        Process holder = RealTarget.start("qemu-io", "-f", "raw", "-c", "read 0 4k", "-c", "sleep 20000",
                target.url(null, RealTarget.IQN, 0));
        try {
            await(() -> target.server().sessions().size() == 1, 10_000, "qemu-io logged in");
            RealTarget.Run refused = RealTarget.run("iscsi-inq", target.url(null, RealTarget.IQN, 0));
            assertTrue(refused.exitCode() != 0, refused.output());
            assertTrue(refused.output().contains("Out of resources"), refused.output());
            RealTarget.Run other = RealTarget.run("iscsi-inq", target.url(null, RealTarget.OTHER_IQN, 0));
            assertEquals(0, other.exitCode(), "the limit is the target's own: " + other.output());
        } finally {
            holder.destroyForcibly().waitFor(10, TimeUnit.SECONDS);
        }
        await(() -> target.server().sessions().isEmpty(), 10_000, "qemu-io's session ended");
        RealTarget.Run again = RealTarget.run("iscsi-inq", target.url(null, RealTarget.IQN, 0));
        assertEquals(0, again.exitCode(), "a freed place is taken again: " + again.output());
    }

    @Test
    void oneAddressGetsNoMoreConnectionsThanItsShareAndIsToldWhy() throws Exception {
        // every connection comes from 127.0.0.1 (tests use no other address): its share is 4
        start(with(limits(15, 30, 30, 100, 4, 64L << 20)));
        List<SocketInitiator> held = new ArrayList<>();
        try {
            for (int i = 0; i < 4; i++) {
                held.add(new SocketInitiator(null, target.port(), 0x400000000000L + i));
            }
            await(() -> target.server().shared().openConnections() == 4, 5000, "the target has seen all four");
            try (SocketInitiator fifth = new SocketInitiator(null, target.port(), 0x400000000010L)) {
                LoginResponsePdu refused = fifth.login(SocketInitiator.normalLogin(HOSTILE, RealTarget.IQN));
                assertNotNull(refused, "a few over the limit are told why");
                assertEquals(LoginStatus.OUT_OF_RESOURCES, refused.status());
                assertTrue(fifth.closedByTargetWithin(5000));
            }
            RealTarget.Run crowded = RealTarget.run("iscsi-inq", target.url(null, RealTarget.IQN, 0));
            assertTrue(crowded.exitCode() != 0, "a real initiator from the full address is refused too: "
                    + crowded.output());
            LoginResponsePdu first = held.get(0).login(SocketInitiator.normalLogin(HOSTILE, RealTarget.IQN));
            assertEquals(LoginStatus.SUCCESS, first.status(), "the connections within the share log in");
            held.remove(1).close();
            await(() -> target.server().shared().openConnections() == 3, 5000, "one place freed");
            RealTarget.Run freed = RealTarget.run("iscsi-inq", target.url(null, RealTarget.IQN, 0));
            assertEquals(0, freed.exitCode(), "a freed place is taken by a real initiator: " + freed.output());
        } finally {
            held.forEach(SocketInitiator::close);
        }
        await(() -> target.server().shared().openConnections() == 0, 10_000, "all counted connections closed");
        try (SocketInitiator later = new SocketInitiator(null, target.port(), 0x400000000020L)) {
            assertEquals(LoginStatus.SUCCESS, later.login(SocketInitiator.normalLogin(HOSTILE, RealTarget.IQN)).status());
        }
    }

    @Test
    void aFloodOfHalfOpenConnectionsIsCappedTimedOutAndLeavesOthersServed() throws Exception {
        start(with(limits(2, 30, 30, 300, 150, 64L << 20)).withNopInInterval(0));
        // a session logged in before the flood, from the same 127.0.0.1 (tests use no other address)
        SocketInitiator served = new SocketInitiator(null, target.port(), 0x400000000040L);
        List<SocketInitiator> sockets = new ArrayList<>();
        try {
            assertEquals(LoginStatus.SUCCESS, served.login(SocketInitiator.normalLogin(HOSTILE, RealTarget.IQN)).status());
            for (int i = 0; i < 1000; i++) {
                sockets.add(new SocketInitiator(null, target.port(), i)); // connect, then say nothing
            }
            int open = target.server().shared().openConnections();
            assertTrue(open <= 150 + 8, open + " connections of the flood are held");
            assertTrue(readsDuringTheFlood(served), "the established session is served during the flood");
            await(() -> target.server().shared().openConnections() == 1, 10_000,
                    "the login timeout (2 s) closed every half-open connection");
            int closed = 0;
            for (SocketInitiator s : sockets) {
                closed += s.closedByTargetWithin(1) ? 1 : 0;
            }
            assertEquals(sockets.size(), closed, "the target hung up on every one of them");
        } finally {
            sockets.forEach(SocketInitiator::close);
            served.close();
        }
        qemuWritesAndReadsBack(RealTarget.IQN); // and new sessions once the flood is gone
    }

    /** READ(10)s of one block until one ends GOOD (the first may meet the POWER ON unit attention). */
    private static boolean readsDuringTheFlood(SocketInitiator session) {
        for (int attempt = 0; attempt < 3; attempt++) {
            session.send(session.command(SocketInitiator.rw10(0x28, 0, 1), 512, true, false));
            for (int pdus = 0; pdus < 4; pdus++) {
                IscsiPdu reply = session.receive();
                if (reply instanceof io.jtgt.iscsi.pdu.DataInPdu in && in.hasStatus()) {
                    return in.status() == 0;
                }
                if (reply instanceof io.jtgt.iscsi.pdu.ScsiResponsePdu response) {
                    if (response.status() == 0) {
                        return true;
                    }
                    break; // CHECK CONDITION: try again
                }
            }
        }
        return false;
    }

    @Test
    void aWriteWhoseDataNeverComesEndsTheConnectionAndFreesItsData() throws Exception {
        start(with(limits(15, 30, 1, 100, 100, 64L << 20)).withNopInInterval(0));
        try (SocketInitiator stuck = new SocketInitiator(null, target.port(), 0x400000000030L)) {
            assertEquals(LoginStatus.SUCCESS, stuck.login(SocketInitiator.normalLogin(HOSTILE, RealTarget.IQN)).status());
            IscsiPdu reply;
            int attempt = 0;
            do { // the first command of a new nexus may meet the POWER ON unit attention
                stuck.send(stuck.command(SocketInitiator.rw10(0x2a, 0, 128), 128 * 512, false, true));
                reply = stuck.receive();
            } while (reply instanceof ScsiResponsePdu && ++attempt < 3);
            assertInstanceOf(R2tPdu.class, reply, "the target asks for the data");
            assertTrue(target.server().shared().dataBytes() > 0, "the write holds its data budget");
            long start = System.nanoTime();
            assertTrue(stuck.closedByTargetWithin(10_000), "no Data-Out for the Data-Out timeout: dropped");
            long waited = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - start);
            assertTrue(waited >= 500, "not before the timeout: " + waited + " ms");
        }
        await(() -> target.server().shared().dataBytes() == 0 && target.server().sessions().isEmpty(), 10_000,
                "the session and its data are gone");
    }

    @Test
    void aLoginThatNeverCompletesIsClosed() throws Exception {
        start(with(limits(1, 30, 30, 100, 100, 64L << 20)));
        try (SocketInitiator silent = new SocketInitiator(null, target.port(), 1)) {
            assertTrue(silent.closedByTargetWithin(5000), "closed by the 1 s login timeout");
        }
        await(() -> target.server().shared().openConnections() == 0, 5000, "not counted any more");
    }

    @Test
    void aReaderThatNeverDrainsStopsGettingWorkThenIsDroppedWhileOthersGoOn() throws Exception {
        start(with(limits(15, 2, 30, 100, 100, 8L << 20)).withNopInInterval(0));
        try (SocketInitiator glutton = new SocketInitiator(null, target.port(), 0x400000000040L)) {
            assertEquals(LoginStatus.SUCCESS, glutton.login(SocketInitiator.normalLogin(HOSTILE, RealTarget.IQN)).status());
            long most = 0;
            for (int i = 0; i < 64; i++) { // 64 MiB of reads asked for, none of it ever read
                if (!glutton.trySend(glutton.encode(glutton.command(SocketInitiator.rw10(0x28, 0, 2048), 1 << 20,
                        true, false)))) {
                    break;
                }
                most = Math.max(most, target.server().shared().dataBytes());
            }
            for (int i = 0; i < 20; i++) {
                most = Math.max(most, target.server().shared().dataBytes());
                Thread.sleep(50);
            }
            assertTrue(most > 0 && most <= 8L << 20, "never more than the connection's 8 MiB held: " + most);
            qemuWritesAndReadsBack(RealTarget.OTHER_IQN);
            // Still reading nothing: the target must give up on its own.
            await(() -> target.server().shared().openConnections() == 0, 15_000,
                    "dropped after 2 s without reading anything");
        }
        assertEquals(0, target.server().shared().dataBytes(), "its data budget is back");
        assertTrue(target.server().sessions().isEmpty(), "its session ended");
    }
}
