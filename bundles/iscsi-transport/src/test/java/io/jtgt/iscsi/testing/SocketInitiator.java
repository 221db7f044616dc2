package io.jtgt.iscsi.testing;

import io.jtgt.iscsi.pdu.CodecSettings;
import io.jtgt.iscsi.pdu.IscsiPdu;
import io.jtgt.iscsi.pdu.LoginResponsePdu;
import io.jtgt.iscsi.pdu.PduDecoder;
import io.jtgt.iscsi.pdu.ScsiCommandPdu;
import io.jtgt.iscsi.text.TextParameters;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import io.netty.channel.embedded.EmbeddedChannel;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.SocketException;
import java.net.SocketTimeoutException;
import java.util.ArrayList;
import java.util.List;

/**
 * The project's initiator over a real TCP socket, for what real initiators cannot do: hostile,
 * slow or broken peers. Encodes with the target's own codec; every buffer it keeps is unpooled
 * heap, so leak detection reports only the target's buffers. Not thread-safe.
 */
public final class SocketInitiator implements AutoCloseable {

    private static final int READ_TIMEOUT_MS = 10_000;

    private final Socket socket;
    private final OutputStream out;
    private final InputStream in;
    private final CodecSettings codec = new CodecSettings(1 << 24);
    private final EmbeddedChannel decoder = new EmbeddedChannel(new PduDecoder(codec));
    private final List<IscsiPdu> received = new ArrayList<>();
    public int cmdSn = 1;
    public int itt = 0x1000;
    public long isid;

    /** Connects from {@code local} (any 127/8 address: several initiator hosts on one machine), or any. */
    public SocketInitiator(InetAddress local, int port, long isid) {
        this.isid = isid;
        try {
            socket = new Socket();
            if (local != null) {
                socket.bind(new InetSocketAddress(local, 0));
            }
            socket.connect(new InetSocketAddress(InetAddress.getLoopbackAddress(), port), READ_TIMEOUT_MS);
            socket.setSoTimeout(READ_TIMEOUT_MS);
            socket.setTcpNoDelay(true);
            out = socket.getOutputStream();
            in = socket.getInputStream();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** Encodes and sends {@code pdu} (released). */
    public void send(IscsiPdu pdu) {
        sendRaw(encode(pdu));
    }

    /** The bytes {@code pdu} is on the wire (the PDU is released). */
    public byte[] encode(IscsiPdu pdu) {
        ByteBuf all = Pdus.encode(pdu, codec);
        byte[] bytes = new byte[all.readableBytes()];
        all.readBytes(bytes);
        all.release();
        return bytes;
    }

    public void sendRaw(byte[] bytes) {
        try {
            out.write(bytes);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** Like {@link #sendRaw} but false instead of an exception when the target has hung up. */
    public boolean trySend(byte[] bytes) {
        try {
            out.write(bytes);
            return true;
        } catch (IOException e) {
            return false;
        }
    }

    /** The next PDU from the target; null when it closed the connection. Waits at most 10 s. */
    public IscsiPdu receive() {
        byte[] chunk = new byte[64 * 1024];
        while (received.isEmpty()) {
            int n;
            try {
                n = in.read(chunk);
            } catch (SocketTimeoutException e) {
                throw new AssertionError("no PDU from the target within " + READ_TIMEOUT_MS + " ms");
            } catch (SocketException reset) {
                return null;
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
            if (n < 0) {
                return null;
            }
            decoder.writeInbound(Unpooled.copiedBuffer(chunk, 0, n));
            Object o;
            while ((o = decoder.readInbound()) != null) {
                IscsiPdu pdu = (IscsiPdu) o;
                pdu.data(Unpooled.copiedBuffer(pdu.data()));
                received.add(pdu);
            }
        }
        return received.remove(0);
    }

    /** True when the target closes the connection within {@code millis}, reading (and dropping) what comes before. */
    public boolean closedByTargetWithin(int millis) {
        try {
            socket.setSoTimeout(millis);
            byte[] sink = new byte[64 * 1024];
            while (in.read(sink) >= 0) {
                // whatever the target said last
            }
            return true;
        } catch (SocketTimeoutException stillOpen) {
            return false;
        } catch (IOException reset) {
            return true;
        }
    }

    /** One Login Request CSG=1 → FFP with {@code keys}; the target's answer (null if it hung up). */
    public LoginResponsePdu login(TextParameters keys) {
        send(Pdus.login(isid, itt++, cmdSn, keys));
        IscsiPdu response = receive();
        if (response instanceof LoginResponsePdu login) {
            if (login.status() == 0) {
                cmdSn = login.expCmdSn();
            }
            return login;
        }
        if (response == null) {
            return null;
        }
        throw new AssertionError("expected a Login Response, got " + response);
    }

    public static TextParameters normalLogin(String initiatorName, String target) {
        return new TextParameters().add("InitiatorName", initiatorName).add("TargetName", target)
                .add("SessionType", "Normal").add("ImmediateData", "Yes").add("InitialR2T", "Yes")
                .add("MaxBurstLength", "16776192").add("FirstBurstLength", "262144")
                .add("MaxRecvDataSegmentLength", "262144");
    }

    /** A SCSI command PDU with the next ITT and CmdSN. */
    public ScsiCommandPdu command(byte[] cdb, int edtl, boolean read, boolean write) {
        return Pdus.command(cdb, edtl, read, write, itt++, cmdSn++);
    }

    /** READ(10) / WRITE(10) CDB. */
    public static byte[] rw10(int opcode, int lba, int blocks) {
        return Pdus.rw10(opcode, lba, blocks);
    }

    /** Stops reading (the kernel buffers fill); the target sees a reader that never drains. */
    public void shrinkReceiveBuffer() {
        try {
            socket.setReceiveBufferSize(4096);
        } catch (SocketException e) {
            throw new UncheckedIOException(e);
        }
    }

    @Override
    public void close() {
        try {
            socket.close();
        } catch (IOException ignored) {
            // closing
        }
        decoder.finishAndReleaseAll();
    }
}
