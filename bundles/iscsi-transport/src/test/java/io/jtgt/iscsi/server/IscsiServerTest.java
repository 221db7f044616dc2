package io.jtgt.iscsi.server;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.jtgt.iscsi.login.LoginStatus;
import io.jtgt.iscsi.pdu.CodecSettings;
import io.jtgt.iscsi.pdu.IscsiPdu;
import io.jtgt.iscsi.pdu.LoginRequestPdu;
import io.jtgt.iscsi.pdu.PduEncoder;
import io.jtgt.iscsi.testing.FakeRegistry;
import io.jtgt.iscsi.testing.Initiator;
import io.jtgt.scsi.config.PortalDefinition;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufAllocator;
import java.io.DataInputStream;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** The server over real loopback sockets. */
class IscsiServerTest {

    private static final String TARGET = "iqn.2026-11.test:disk";

    private final FakeRegistry registry = new FakeRegistry()
            .add(TARGET, Map.of(1, List.of(0), 2, List.of(1, 7)), 8);
    private final IscsiServer server = new IscsiServer(registry, TransportSettings.defaults());

    @AfterEach
    void close() {
        server.close();
    }

    @Test
    void bindsAFreePortAndReportsItInSendTargets() {
        RunningPortal first = server.bind(new PortalDefinition(0, "127.0.0.1", 0));
        RunningPortal second = server.bind(new PortalDefinition(1, "127.0.0.1", 0));
        assertTrue(first.listening());
        assertNotEquals(0, first.boundAddress().getPort());
        assertEquals("127.0.0.1:0", first.address(), "the configured address stays as configured");
        List<String> addresses = server.addresses(registry.target(TARGET).orElseThrow(),
                new InetSocketAddress("127.0.0.1", 3260));
        assertEquals(List.of("127.0.0.1:" + first.boundAddress().getPort() + ",1",
                "127.0.0.1:" + second.boundAddress().getPort() + ",2").stream().sorted().toList(),
                addresses.stream().sorted().toList(), "portal 7 is not bound and is left out");
        first.close();
        first.close(); // idempotent
        assertEquals(1, server.addresses(registry.target(TARGET).orElseThrow(),
                new InetSocketAddress("127.0.0.1", 3260)).size());
    }

    @Test
    void aPortInUseFailsThatBindOnlyWithTheAddressInTheMessage() {
        RunningPortal portal = server.bind(new PortalDefinition(0, "127.0.0.1", 0));
        int port = portal.boundAddress().getPort();
        IllegalStateException e = assertThrows(IllegalStateException.class,
                () -> server.bind(new PortalDefinition(1, "127.0.0.1", port)));
        assertTrue(e.getMessage().contains("portal 1") && e.getMessage().contains("127.0.0.1:" + port), e.getMessage());
        assertTrue(portal.listening());
    }

    /** This machine's kernel allows io_uring, so auto must pick it (the data path's fast case). */
    @Test
    void autoChoosesIoUringHereAndEachTransportCanBeAskedFor() {
        assertEquals(Transports.IO_URING, server.transport());
        assertEquals(Transports.EPOLL, Transports.choose("epoll"));
        assertEquals(Transports.NIO, Transports.choose(" NIO "));
        assertEquals("transport must be auto, io_uring, epoll or nio, was 'rdma'", assertThrows(
                IllegalArgumentException.class, () -> TransportSettings.fromProperties(Map.of("transport", "rdma")))
                .getMessage());
    }

    @org.junit.jupiter.params.ParameterizedTest(name = "transport {0}")
    @org.junit.jupiter.params.provider.ValueSource(strings = {"auto", "epoll", "nio"})
    void logsInOverTcp(String transport) throws Exception {
        IscsiServer server = new IscsiServer(registry, TransportSettings.fromProperties(Map.of("transport", transport)));
        try {
            logsInOverTcp(server);
        } finally {
            server.close();
        }
    }

    private void logsInOverTcp(IscsiServer server) throws Exception {
        RunningPortal portal = server.bind(new PortalDefinition(0, "127.0.0.1", 0));
        try (Socket socket = new Socket("127.0.0.1", portal.boundAddress().getPort())) {
            socket.setSoTimeout(5000);
            LoginRequestPdu login = new LoginRequestPdu();
            login.transit(true);
            login.stages(1, 3);
            login.isid(0x23d000000009L);
            login.data(Initiator.normalLogin(TARGET).encode());
            write(socket.getOutputStream(), login);
            DataInputStream in = new DataInputStream(socket.getInputStream());
            byte[] header = new byte[IscsiPdu.BHS_LENGTH];
            in.readFully(header);
            assertEquals(0x23, header[0] & 0x3f, "Login Response");
            assertEquals(LoginStatus.SUCCESS, ((header[36] & 0xff) << 8) | (header[37] & 0xff));
            assertTrue((header[1] & 0x80) != 0, "transit to full feature phase");
        }
        for (int i = 0; i < 100 && registry.fake(TARGET).nexuses.isEmpty(); i++) {
            Thread.sleep(10);
        }
        FakeRegistry.FakeNexus nexus = registry.fake(TARGET).nexuses.get(0);
        for (int i = 0; i < 200 && !nexus.closed; i++) {
            Thread.sleep(10);
        }
        assertTrue(nexus.closed, "closing the socket is I_T nexus loss");
        assertTrue(nexus.info.initiatorAddress().startsWith("127.0.0.1:"));
        assertEquals("127.0.0.1:" + portal.boundAddress().getPort(), nexus.info.portalAddress());
    }

    private static void write(OutputStream out, IscsiPdu pdu) throws Exception {
        List<Object> parts = new ArrayList<>();
        PduEncoder.encode(ByteBufAllocator.DEFAULT, pdu, new CodecSettings(8192), parts);
        pdu.release();
        for (Object part : parts) {
            ByteBuf buf = (ByteBuf) part;
            byte[] bytes = new byte[buf.readableBytes()];
            buf.readBytes(bytes);
            buf.release();
            out.write(bytes);
        }
        out.flush();
    }

    @Test
    void closingTheServerClosesPortalsAndAPortalClosedLaterIsHarmless() {
        RunningPortal portal = server.bind(new PortalDefinition(0, "127.0.0.1", 0));
        server.close();
        org.junit.jupiter.api.Assertions.assertFalse(portal.listening());
        portal.close();
        assertThrows(IllegalStateException.class, () -> server.bind(new PortalDefinition(1, "127.0.0.1", 0)));
    }

    /**
     * A server that closes (its configuration changed, the bundle stops) ends every connection it
     * accepted, also one that has not logged in yet: an initiator in the middle of its login must
     * see the connection close and try again, not wait for an answer that never comes.
     */
    @Test
    void closingTheServerClosesConnectionsNotYetLoggedIn() throws Exception {
        RunningPortal portal = server.bind(new PortalDefinition(0, "127.0.0.1", 0));
        try (Socket socket = new Socket("127.0.0.1", portal.boundAddress().getPort())) {
            socket.setSoTimeout(10_000);
            for (int i = 0; i < 200 && server.shared().openConnections() == 0; i++) {
                Thread.sleep(10); // accepted and registered on a loop
            }
            server.close();
            assertEquals(-1, socket.getInputStream().read(), "the connection is closed, not left hanging");
        }
    }
}
