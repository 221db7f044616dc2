package io.jtgt.itests.karaf;

import java.io.Closeable;
import java.io.DataInputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.HashMap;
import java.util.Map;

/**
 * A minimal iSCSI initiator over TCP (RFC 7143, no digests, ERL 0, one connection), for what the
 * libiscsi tools and QEMU cannot show: the exact sense of one command, a command kept in flight
 * while the test changes the target, MODE SELECT and PERSISTENT RESERVE OUT. One thread uses it;
 * commands may be pipelined ({@link #send} then {@link #await}).
 */
final class SocketInitiator implements Closeable {

    private static final int BHS = 48;
    private static final int TIMEOUT_MS = 30_000;

    /** The outcome of one SCSI command. */
    static final class Result {
        final int status;
        final byte[] sense;
        final byte[] data;

        Result(int status, byte[] sense, byte[] data) {
            this.status = status;
            this.sense = sense;
            this.data = data;
        }

        boolean good() {
            return status == 0;
        }

        /** "key/asc/ascq" in hex, e.g. {@code 6/3f/0e}, or "GOOD". */
        String sense() {
            if (status == 0) {
                return "GOOD";
            }
            if (sense.length < 14) {
                return "status " + status;
            }
            return String.format("%x/%02x/%02x", sense[2] & 0x0F, sense[12] & 0xFF, sense[13] & 0xFF);
        }

        @Override
        public String toString() {
            return sense() + (data.length > 0 ? " (" + data.length + " bytes)" : "");
        }
    }

    private final Socket socket;
    private final DataInputStream in;
    private final OutputStream out;
    private final Map<Integer, Result> answered = new HashMap<>();
    private final Map<Integer, ByteBuffer> dataIn = new HashMap<>();
    private final Map<Integer, byte[]> dataOut = new HashMap<>();
    private int itt = 1;
    private int cmdSn = 1;
    private int expStatSn;
    private int maxSegment = 8192; // RFC 7143 13.12 default, until the target declares its own
    final int tsih;

    /** Connects and logs in to {@code target} (no authentication), straight to full feature phase. */
    SocketInitiator(String host, int port, String target, String initiatorName, long isid) throws IOException {
        socket = new Socket();
        socket.connect(new InetSocketAddress(host, port), TIMEOUT_MS);
        socket.setSoTimeout(TIMEOUT_MS);
        in = new DataInputStream(socket.getInputStream());
        out = socket.getOutputStream();
        String keys = "InitiatorName=" + initiatorName + "\0SessionType=Normal\0TargetName=" + target
                + "\0AuthMethod=None\0HeaderDigest=None\0DataDigest=None\0ImmediateData=Yes\0InitialR2T=Yes\0"
                + "MaxRecvDataSegmentLength=262144\0";
        byte[] bhs = new byte[BHS];
        bhs[0] = 0x43; // Login Request, immediate
        bhs[1] = (byte) 0x83; // T, CSG 0 (security), NSG 3 (full feature phase)
        for (int i = 0; i < 6; i++) {
            bhs[8 + i] = (byte) (isid >>> (40 - 8 * i));
        }
        putInt(bhs, 16, itt++);
        putInt(bhs, 24, cmdSn);
        write(bhs, keys.getBytes(StandardCharsets.US_ASCII));
        Pdu reply = read();
        if (reply.opcode() != 0x23) {
            throw new IOException("expected a Login Response, got opcode " + reply.opcode());
        }
        if (reply.bhs[36] != 0) {
            throw new IOException(String.format("login to %s refused: status %02x%02x", target, reply.bhs[36],
                    reply.bhs[37]));
        }
        if ((reply.bhs[1] & 0x83) != 0x83) {
            throw new IOException("the target did not go to full feature phase");
        }
        for (String pair : new String(reply.data, StandardCharsets.US_ASCII).split("\0")) {
            if (pair.startsWith("MaxRecvDataSegmentLength=")) {
                maxSegment = Integer.parseInt(pair.substring(pair.indexOf('=') + 1));
            }
        }
        tsih = ((reply.bhs[14] & 0xFF) << 8) | (reply.bhs[15] & 0xFF);
        expStatSn = reply.intAt(24) + 1;
        cmdSn = reply.intAt(28);
    }

    /** Runs one command and waits for its outcome. */
    Result command(int lun, byte[] cdb, byte[] data, int expectedIn) throws IOException {
        return await(send(lun, cdb, data, expectedIn));
    }

    /**
     * Sends a command (SIMPLE) without waiting; its Data-Out, if any, goes as immediate data up to
     * the target's MaxRecvDataSegmentLength, the rest when the target asks (R2T).
     *
     * @return its initiator task tag, for {@link #await}
     */
    int send(int lun, byte[] cdb, byte[] data, int expectedIn) throws IOException {
        int tag = itt++;
        byte[] bhs = new byte[BHS];
        bhs[0] = 0x01;
        bhs[1] = (byte) (0x80 | (data != null ? 0x20 : 0) | (expectedIn > 0 ? 0x40 : 0) | 0x01);
        bhs[9] = (byte) (lun < 256 ? lun : 0); // SAM-5 peripheral device addressing
        putInt(bhs, 16, tag);
        putInt(bhs, 20, data != null ? data.length : expectedIn);
        putInt(bhs, 24, cmdSn++);
        putInt(bhs, 28, expStatSn);
        System.arraycopy(cdb, 0, bhs, 32, Math.min(cdb.length, 16));
        byte[] immediate = new byte[0];
        if (data != null) {
            dataOut.put(tag, data);
            immediate = java.util.Arrays.copyOf(data, Math.min(data.length, maxSegment));
        }
        write(bhs, immediate);
        return tag;
    }

    /** Reads PDUs until the command {@code tag} has its status. */
    Result await(int tag) throws IOException {
        while (!answered.containsKey(tag)) {
            Pdu pdu = read();
            int itt = pdu.intAt(16);
            switch (pdu.opcode()) {
                case 0x25 -> { // Data-In
                    dataIn.computeIfAbsent(itt, t -> ByteBuffer.allocate(1 << 20)).put(pdu.data);
                    if ((pdu.bhs[1] & 0x01) != 0) { // S: carries the status
                        statSn(pdu);
                        answered.put(itt, new Result(pdu.bhs[3] & 0xFF, new byte[0], collected(itt)));
                    }
                }
                case 0x21 -> { // SCSI Response
                    statSn(pdu);
                    byte[] sense = pdu.data.length >= 2
                            ? java.util.Arrays.copyOfRange(pdu.data, 2, 2 + (((pdu.data[0] & 0xFF) << 8) | (pdu.data[1] & 0xFF)))
                            : new byte[0];
                    answered.put(itt, new Result(pdu.bhs[3] & 0xFF, sense, collected(itt)));
                    dataOut.remove(itt);
                }
                case 0x31 -> dataOut(pdu); // R2T
                case 0x20 -> nopIn(pdu);
                case 0x32 -> statSn(pdu); // Async Message (e.g. a logout request): not acted on here
                default -> throw new IOException("unexpected PDU, opcode 0x" + Integer.toHexString(pdu.opcode()));
            }
        }
        return answered.remove(tag);
    }

    private byte[] collected(int tag) {
        ByteBuffer b = dataIn.remove(tag);
        if (b == null) {
            return new byte[0];
        }
        return java.util.Arrays.copyOf(b.array(), b.position());
    }

    private void statSn(Pdu pdu) {
        expStatSn = pdu.intAt(24) + 1;
    }

    /** RFC 7143 11.7: the Data-Out the R2T asks for, in segments the target accepts. */
    private void dataOut(Pdu r2t) throws IOException {
        int tag = r2t.intAt(16);
        byte[] data = dataOut.get(tag);
        int offset = r2t.intAt(40);
        int length = r2t.intAt(44);
        for (int sent = 0, dataSn = 0; sent < length; dataSn++) {
            int n = Math.min(maxSegment, length - sent);
            byte[] bhs = new byte[BHS];
            bhs[0] = 0x05;
            bhs[1] = (byte) (sent + n == length ? 0x80 : 0);
            System.arraycopy(r2t.bhs, 8, bhs, 8, 8); // LUN
            putInt(bhs, 16, tag);
            System.arraycopy(r2t.bhs, 20, bhs, 20, 4); // target transfer tag
            putInt(bhs, 28, expStatSn);
            putInt(bhs, 36, dataSn);
            putInt(bhs, 40, offset + sent);
            write(bhs, java.util.Arrays.copyOfRange(data, offset + sent, offset + sent + n));
            sent += n;
        }
    }

    /** RFC 7143 11.19: a ping from the target (target transfer tag set) is answered. */
    private void nopIn(Pdu nop) throws IOException {
        if (nop.intAt(20) == 0xFFFFFFFF) {
            return;
        }
        byte[] bhs = new byte[BHS];
        bhs[0] = 0x40; // NOP-Out, immediate
        bhs[1] = (byte) 0x80;
        System.arraycopy(nop.bhs, 8, bhs, 8, 8);
        putInt(bhs, 16, 0xFFFFFFFF);
        System.arraycopy(nop.bhs, 20, bhs, 20, 4);
        putInt(bhs, 24, cmdSn);
        putInt(bhs, 28, expStatSn);
        write(bhs, new byte[0]);
    }

    /** Logs the session out (RFC 7143 11.14) and closes the connection. */
    @Override
    public void close() throws IOException {
        try {
            byte[] bhs = new byte[BHS];
            bhs[0] = 0x46; // Logout Request, immediate
            bhs[1] = (byte) 0x80; // close the session
            putInt(bhs, 16, itt++);
            putInt(bhs, 24, cmdSn);
            putInt(bhs, 28, expStatSn);
            write(bhs, new byte[0]);
            for (int i = 0; i < 16 && read().opcode() != 0x26; i++) {
                // skip what was still on its way; the Logout Response ends it
            }
        } catch (IOException ignored) {
            // the target hung up first: closed either way
        } finally {
            socket.close();
        }
    }

    private void write(byte[] bhs, byte[] data) throws IOException {
        bhs[5] = (byte) (data.length >> 16);
        bhs[6] = (byte) (data.length >> 8);
        bhs[7] = (byte) data.length;
        byte[] pdu = new byte[BHS + data.length + (4 - data.length % 4) % 4];
        System.arraycopy(bhs, 0, pdu, 0, BHS);
        System.arraycopy(data, 0, pdu, BHS, data.length);
        out.write(pdu);
        out.flush();
    }

    private record Pdu(byte[] bhs, byte[] data) {
        int opcode() {
            return bhs[0] & 0x3F;
        }

        int intAt(int offset) {
            return ByteBuffer.wrap(bhs, offset, 4).getInt();
        }
    }

    private Pdu read() throws IOException {
        byte[] bhs = new byte[BHS];
        in.readFully(bhs);
        int ahs = (bhs[4] & 0xFF) * 4;
        int length = ((bhs[5] & 0xFF) << 16) | ((bhs[6] & 0xFF) << 8) | (bhs[7] & 0xFF);
        in.readFully(new byte[ahs]);
        byte[] data = new byte[length];
        in.readFully(data);
        in.readFully(new byte[(4 - length % 4) % 4]);
        return new Pdu(bhs, data);
    }

    private static void putInt(byte[] b, int offset, int value) {
        ByteBuffer.wrap(b, offset, 4).putInt(value);
    }

    // ---- CDBs the tests use

    static byte[] testUnitReady() {
        return new byte[6];
    }

    static byte[] reportLuns() {
        return new byte[] {(byte) 0xA0, 0, 0, 0, 0, 0, 0, 0, 0x10, 0, 0, 0};
    }

    /** MODE SENSE (10) of one page, current values, no block descriptors (SPC-4 6.12). */
    static byte[] modeSense10(int page, int allocation) {
        return new byte[] {0x5A, 0x08, (byte) (page & 0x3F), 0, 0, 0, 0, (byte) (allocation >> 8), (byte) allocation, 0};
    }

    /** MODE SELECT (10), PF=1, SP as given (SPC-4 6.10). */
    static byte[] modeSelect10(boolean save, int length) {
        return new byte[] {0x55, (byte) (0x10 | (save ? 1 : 0)), 0, 0, 0, 0, 0, (byte) (length >> 8), (byte) length, 0};
    }

    /** PERSISTENT RESERVE OUT with a 24-byte parameter list (SPC-4 6.15). */
    static byte[] persistentReserveOut(int serviceAction, int type) {
        return new byte[] {0x5F, (byte) serviceAction, (byte) type, 0, 0, 0, 0, 0, 24, 0};
    }

    /** The PERSISTENT RESERVE OUT parameter list: reservation key, service action key, APTPL (SPC-4 6.15.3). */
    static byte[] reservationParameters(long key, long serviceActionKey, boolean aptpl) {
        ByteBuffer b = ByteBuffer.allocate(24);
        b.putLong(key).putLong(serviceActionKey).putInt(0).put((byte) (aptpl ? 1 : 0));
        return b.array();
    }

    /** PERSISTENT RESERVE IN (SPC-4 6.14): 00h READ KEYS, 01h READ RESERVATION. */
    static byte[] persistentReserveIn(int serviceAction, int allocation) {
        return new byte[] {0x5E, (byte) serviceAction, 0, 0, 0, 0, 0, (byte) (allocation >> 8), (byte) allocation, 0};
    }

    static byte[] read10(int lba, int blocks) {
        return rw10(0x28, lba, blocks);
    }

    static byte[] write10(int lba, int blocks) {
        return rw10(0x2A, lba, blocks);
    }

    private static byte[] rw10(int opcode, int lba, int blocks) {
        byte[] cdb = new byte[10];
        cdb[0] = (byte) opcode;
        putInt(cdb, 2, lba);
        cdb[7] = (byte) (blocks >> 8);
        cdb[8] = (byte) blocks;
        return cdb;
    }
}
