package io.jtgt.itests.e2e;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.DataInputStream;
import java.io.EOFException;
import java.io.IOException;
import java.io.OutputStream;
import java.net.Socket;
import java.net.SocketTimeoutException;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;

/**
 * Initiators that lie or vanish (garbage bytes, unknown opcodes, impossible lengths, a disconnect in
 * the middle of a write) get the standard answer — Reject or a closed connection — while a real
 * initiator (QEMU) on another session keeps reading and writing without a single error.
 *
 * <p>The hostile side is raw bytes on a socket on purpose: no well-behaved initiator can send them.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class HostileClientIT {

    private static final Duration QEMU_TIMEOUT = Duration.ofSeconds(120);
    private static final int SOCKET_TIMEOUT_MS = 10_000;
    private static final int BHS = 48;

    private EmbeddedTarget target;

    @BeforeAll
    void start() {
        target = EmbeddedTarget.builder().lun(0, EmbeddedTarget.Lun.thin(64 * EmbeddedTarget.MIB)).start();
    }

    @AfterAll
    void stop() {
        if (target != null) {
            target.close();
        }
    }

    @Test
    void hostileClientsGetStandardAnswersWhileQemuKeepsWorking() throws Exception {
        // A real initiator works through the whole attack: 16 MiB written and verified in 1 MiB steps.
        List<String> argv = new ArrayList<>(List.of("qemu-io", "-f", "raw"));
        for (int i = 0; i < 16; i++) {
            argv.add("-c");
            argv.add(String.format("write -P 0x%02x %dM 1M", 0x40 + i, i));
            argv.add("-c");
            argv.add(String.format("read -P 0x%02x %dM 1M", 0x40 + i, i));
        }
        argv.add(target.url(0));
        CompletableFuture<ExternalCommand.Result> qemu =
                CompletableFuture.supplyAsync(() -> ExternalCommand.run(QEMU_TIMEOUT, argv));

        for (int round = 0; round < 5; round++) {
            garbageBeforeLoginClosesTheConnection(round);
            unknownOpcodeIsRejectedAndTheSessionStaysUsable();
            impossibleDataSegmentLengthClosesTheConnection();
            disconnectInTheMiddleOfAWrite();
        }

        ExternalCommand.Result result = qemu.get(QEMU_TIMEOUT.toSeconds() + 10, TimeUnit.SECONDS);
        assertClean(result);

        // And every acknowledged write is still there, read back in a new session.
        List<String> verify = new ArrayList<>(List.of("qemu-io", "-f", "raw"));
        for (int i = 0; i < 16; i++) {
            verify.add("-c");
            verify.add(String.format("read -P 0x%02x %dM 1M", 0x40 + i, i));
        }
        verify.add(target.url(0));
        ExternalCommand.Result reread = ExternalCommand.run(QEMU_TIMEOUT, verify);
        assertClean(reread);
    }

    private static void assertClean(ExternalCommand.Result result) {
        assertFalse(result.timedOut(), result::describe);
        assertFalse(result.output().contains("failed"), result::describe);
        assertEquals(0, result.exitCode(), result::describe);
    }

    private void garbageBeforeLoginClosesTheConnection(long seed) throws IOException {
        try (Socket s = connect()) {
            byte[] garbage = new byte[64 * 1024];
            new Random(seed).nextBytes(garbage);
            try {
                s.getOutputStream().write(garbage);
            } catch (IOException closedWhileWriting) {
                return; // the target already hung up: that is the answer
            }
            assertTrue(closedByTarget(s), "target kept a connection that sent 64 KiB of garbage");
        }
    }

    private void unknownOpcodeIsRejectedAndTheSessionStaysUsable() throws IOException {
        try (Socket s = connect()) {
            Session session = login(s);
            byte[] pdu = new byte[BHS];
            pdu[0] = 0x0f; // a reserved initiator opcode (RFC 7143 11.2.1.2)
            pdu[1] = (byte) 0x80;
            putInt(pdu, 16, 0x77);
            putInt(pdu, 24, session.cmdSn);
            putInt(pdu, 28, session.expStatSn);
            s.getOutputStream().write(pdu);
            byte[] reply = readPdu(s);
            assertEquals(0x3f, reply[0] & 0x3f, "expected a Reject PDU");
            assertEquals(0x05, reply[2] & 0xff, "Reject reason should be 'command not supported' (RFC 7143 11.17.1)");

            // The same connection still answers a NOP-Out ping (RFC 7143 11.18).
            byte[] nop = new byte[BHS];
            nop[0] = 0x40; // immediate NOP-Out
            nop[1] = (byte) 0x80;
            putInt(nop, 16, 0x78);
            putInt(nop, 20, 0xffffffff);
            putInt(nop, 24, session.cmdSn);
            putInt(nop, 28, session.expStatSn);
            s.getOutputStream().write(nop);
            byte[] nopIn = readPdu(s);
            assertEquals(0x20, nopIn[0] & 0x3f, "expected a NOP-In answering the ping");
            assertEquals(0x78, ByteBuffer.wrap(nopIn, 16, 4).getInt());
        }
    }

    private void impossibleDataSegmentLengthClosesTheConnection() throws IOException {
        try (Socket s = connect()) {
            Session session = login(s);
            byte[] nop = new byte[BHS];
            nop[0] = 0x40;
            nop[1] = (byte) 0x80;
            nop[5] = (byte) 0xff; // DataSegmentLength 16 MiB - 1, far above any MaxRecvDataSegmentLength
            nop[6] = (byte) 0xff;
            nop[7] = (byte) 0xff;
            putInt(nop, 16, 0x79);
            putInt(nop, 20, 0xffffffff);
            putInt(nop, 24, session.cmdSn);
            putInt(nop, 28, session.expStatSn);
            s.getOutputStream().write(nop);
            assertTrue(closedByTarget(s), "target kept a connection announcing a 16 MiB data segment");
        }
    }

    private void disconnectInTheMiddleOfAWrite() throws IOException {
        try (Socket s = connect()) {
            Session session = login(s);
            // The first command of a new I_T nexus may be answered with the POWER ON unit attention
            // (SAM-5 5.14); the write is then simply sent again, as any initiator would.
            for (int attempt = 0; attempt < 2; attempt++) {
                byte[] reply = sendWriteWithPartialData(s, session.cmdSn + attempt, session.expStatSn + attempt, 0x80 + attempt);
                if ((reply[0] & 0x3f) == 0x31) {
                    return; // R2T for the rest: hang up now, 1 MiB - 4 KiB still owed
                }
                assertEquals(0x21, reply[0] & 0x3f, "expected an R2T or a SCSI Response");
            }
            throw new AssertionError("the target never asked for the rest of the write");
        }
    }

    private static byte[] sendWriteWithPartialData(Socket s, int cmdSn, int expStatSn, int itt) throws IOException {
        int edtl = 1 << 20;
        byte[] immediate = new byte[4096];
        byte[] cmd = new byte[BHS];
        cmd[0] = 0x01; // SCSI Command
        cmd[1] = (byte) (0x80 | 0x20 | 0x01); // F, W, SIMPLE
        cmd[6] = (byte) (immediate.length >> 8);
        putInt(cmd, 16, itt);
        putInt(cmd, 20, edtl);
        putInt(cmd, 24, cmdSn);
        putInt(cmd, 28, expStatSn);
        cmd[32] = 0x2a; // WRITE(10) of 2048 blocks at LBA 32768 (16 MiB, outside QEMU's range)
        putInt(cmd, 34, 32768);
        cmd[39] = 0x08;
        OutputStream out = s.getOutputStream();
        out.write(cmd);
        out.write(immediate);
        return readPdu(s);
    }

    private Socket connect() throws IOException {
        Socket s = new Socket(target.host(), target.port());
        s.setSoTimeout(SOCKET_TIMEOUT_MS);
        return s;
    }

    private record Session(int cmdSn, int expStatSn) {}

    /** One login PDU, security stage straight to full feature phase with AuthMethod=None (RFC 7143 6.3). */
    private Session login(Socket s) throws IOException {
        String keys = "InitiatorName=iqn.2026-11.io.jtgt:hostile\0SessionType=Normal\0TargetName="
                + target.targetName() + "\0AuthMethod=None\0";
        byte[] data = keys.getBytes(StandardCharsets.US_ASCII);
        byte[] bhs = new byte[BHS];
        bhs[0] = 0x43; // immediate Login Request
        bhs[1] = (byte) 0x83; // T, CSG 0, NSG 3
        bhs[5] = (byte) (data.length >> 16);
        bhs[6] = (byte) (data.length >> 8);
        bhs[7] = (byte) data.length;
        byte[] isid = {(byte) 0x80, 0, 0, 0x12, 0x34, (byte) new Random().nextInt(256)};
        System.arraycopy(isid, 0, bhs, 8, 6);
        putInt(bhs, 16, 1);
        putInt(bhs, 24, 1);
        OutputStream out = s.getOutputStream();
        out.write(bhs);
        out.write(data);
        out.write(new byte[(4 - data.length % 4) % 4]);
        byte[] reply = readPdu(s);
        assertEquals(0x23, reply[0] & 0x3f, "expected a Login Response");
        assertEquals(0, reply[36], "login status class");
        assertEquals(0x83, reply[1] & 0xff, "target should agree to go to full feature phase");
        ByteBuffer b = ByteBuffer.wrap(reply);
        return new Session(b.getInt(28), b.getInt(24) + 1);
    }

    /** Reads one PDU (no digests) and returns its BHS. */
    private static byte[] readPdu(Socket s) throws IOException {
        DataInputStream in = new DataInputStream(s.getInputStream());
        byte[] bhs = new byte[BHS];
        in.readFully(bhs);
        int ahs = (bhs[4] & 0xff) * 4;
        int dataLength = ((bhs[5] & 0xff) << 16) | ((bhs[6] & 0xff) << 8) | (bhs[7] & 0xff);
        in.readFully(new byte[ahs + dataLength + (4 - dataLength % 4) % 4]);
        return bhs;
    }

    /** True when the target closes the connection (EOF or reset) within the socket timeout. */
    private static boolean closedByTarget(Socket s) {
        try {
            byte[] sink = new byte[8192];
            while (s.getInputStream().read(sink) >= 0) {
                // a Reject before the close is fine; keep reading until the target hangs up
            }
            return true;
        } catch (SocketTimeoutException stillOpen) {
            return false;
        } catch (EOFException | java.net.SocketException reset) {
            return true;
        } catch (IOException other) {
            return true;
        }
    }

    private static void putInt(byte[] b, int offset, int value) {
        ByteBuffer.wrap(b, offset, 4).putInt(value);
    }
}
