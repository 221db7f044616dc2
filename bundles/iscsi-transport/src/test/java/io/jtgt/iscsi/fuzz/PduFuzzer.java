package io.jtgt.iscsi.fuzz;

import io.jtgt.iscsi.pdu.Crc32c;
import io.netty.buffer.Unpooled;
import java.io.ByteArrayOutputStream;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.Random;

/**
 * Makes the PDUs of one fuzzing connection from its own {@link Random}: plausible PDUs of every
 * opcode (commands with and without data, Data-Out with right and wrong sequence numbers, NOP,
 * task management, text, logout, SNACK, login requests), a share of them mutated — bits flipped,
 * fields set to anything, lengths that lie, AHS out of nowhere — and now and then cut short. The
 * same seed always gives the same bytes.
 */
final class PduFuzzer {

    static final int BHS = 48;

    private final Random random;
    private final String[] targets;
    private final double mutationRate;
    /** Mutations spare the length fields, so the stream stays framed and the connection lives on. */
    private boolean keepFraming;
    private boolean headerDigest;
    private boolean dataDigest;
    int cmdSn;
    int expStatSn;
    private int itt = 0x10000;

    PduFuzzer(Random random, String[] targets, double mutationRate) {
        this.random = random;
        this.targets = targets;
        this.mutationRate = mutationRate;
    }

    /** Mutate fields only, never the framing (TotalAHSLength, DataSegmentLength, digests). */
    void keepFraming(boolean value) {
        this.keepFraming = value;
    }

    /** The digests the connection negotiated (they apply to what is made from now on). */
    void digests(boolean header, boolean data) {
        this.headerDigest = header;
        this.dataDigest = data;
    }

    // ------------------------------------------------------------------ login phase

    /** Keys of a first Login Request: mostly sensible, often not. */
    byte[] loginKeys(boolean valid) {
        StringBuilder text = new StringBuilder();
        if (valid || random.nextInt(8) != 0) {
            text.append("InitiatorName=iqn.2026-11.test:fuzz").append(random.nextInt(4)).append('\0');
        }
        boolean discovery = !valid && random.nextInt(6) == 0;
        if (discovery) {
            text.append("SessionType=Discovery\0");
        } else if (valid || random.nextInt(8) != 0) {
            text.append("SessionType=Normal\0TargetName=").append(targets[random.nextInt(targets.length)]).append('\0');
        } else {
            text.append("SessionType=").append(word()).append('\0');
        }
        if (valid) {
            return text.toString().getBytes(StandardCharsets.US_ASCII);
        }
        int extra = random.nextInt(12);
        for (int i = 0; i < extra; i++) {
            text.append(randomKey()).append('=').append(randomValue()).append('\0');
        }
        byte[] bytes = text.toString().getBytes(StandardCharsets.US_ASCII);
        if (random.nextInt(10) == 0) {
            bytes[random.nextInt(bytes.length)] = (byte) random.nextInt(256); // a NUL where none belongs, or none
        }
        return bytes;
    }

    private static final String[] KEYS = {"HeaderDigest", "DataDigest", "MaxConnections", "InitialR2T",
        "ImmediateData", "MaxRecvDataSegmentLength", "MaxBurstLength", "FirstBurstLength", "DefaultTime2Wait",
        "DefaultTime2Retain", "MaxOutstandingR2T", "DataPDUInOrder", "DataSequenceInOrder", "ErrorRecoveryLevel",
        "IFMarker", "OFMarker", "IFMarkInt", "OFMarkInt", "AuthMethod", "CHAP_A", "CHAP_N", "CHAP_R", "CHAP_I",
        "CHAP_C", "TargetAlias", "TargetPortalGroupTag", "TargetAddress", "InitiatorAlias", "TaskReporting",
        "iSCSIProtocolLevel", "X-com.example.key", "X#ext", "SendTargets", "SessionType", "TargetName", "InitiatorName"};

    private static final String[] VALUES = {"Yes", "No", "None", "CRC32C", "CRC32C,None", "None,CRC32C", "0", "1",
        "512", "8192", "65536", "262144", "16777215", "16777216", "4294967296", "-1", "0x1000", "0xZZ", "", "CHAP",
        "CHAP,None", "5", "6", "7", "5,6,7", "0x0123456789abcdef", "0b0101", "Reject", "NotUnderstood", "Irrelevant",
        "All", "RFC3720", "ResponseFence", "99999999999999999999"};

    private String randomKey() {
        return random.nextInt(10) == 0 ? word() : KEYS[random.nextInt(KEYS.length)];
    }

    private String randomValue() {
        return random.nextInt(10) == 0 ? word() : VALUES[random.nextInt(VALUES.length)];
    }

    private String word() {
        int length = random.nextInt(300) == 0 ? 4000 + random.nextInt(5000) : 1 + random.nextInt(24);
        StringBuilder b = new StringBuilder(length);
        for (int i = 0; i < length; i++) {
            b.append((char) (33 + random.nextInt(94)));
        }
        return b.toString().replace("=", "");
    }

    /** A Login Request with random stages and flags around {@code keys}. */
    byte[] loginRequest(long isid, byte[] keys, boolean valid) {
        byte[] bhs = new byte[BHS];
        bhs[0] = 0x43;
        int csg = valid ? 1 : random.nextInt(4);
        int nsg = valid ? 3 : random.nextInt(4);
        boolean transit = valid || random.nextBoolean();
        boolean cont = !valid && random.nextInt(6) == 0;
        bhs[1] = (byte) ((transit ? 0x80 : 0) | (cont ? 0x40 : 0) | (csg << 2) | nsg);
        if (!valid && random.nextInt(10) == 0) {
            bhs[2] = (byte) random.nextInt(256); // version-max
            bhs[3] = (byte) random.nextInt(256); // version-min
        }
        for (int i = 0; i < 6; i++) {
            bhs[8 + i] = (byte) (isid >>> (40 - 8 * i));
        }
        if (!valid && random.nextInt(8) == 0) {
            putShort(bhs, 14, random.nextInt(65536)); // TSIH of no session
        }
        putInt(bhs, 16, itt++);
        putShort(bhs, 20, valid ? 0 : random.nextInt(3)); // CID
        putInt(bhs, 24, cmdSn);
        putInt(bhs, 28, expStatSn);
        return frame(bhs, new byte[0], keys, !valid);
    }

    // ------------------------------------------------------------------ full feature phase

    /**
     * One full-feature PDU (or a few: a command with its unsolicited Data-Out), perhaps mutated.
     * The kinds that end an ERL 0 connection even unmutated (Logout, a Login Request, a Text
     * Request continuing no answer) are rare, so that connections get deep.
     */
    byte[] fullFeaturePdu() {
        int kind = random.nextInt(1000);
        if (kind < 500) {
            return scsiCommand();
        }
        if (kind < 650) {
            return dataOut(random.nextInt(64), random.nextBoolean() ? -1 : 1 + random.nextInt(40), random.nextInt(4),
                    random.nextInt(3) * 512, 512 * (1 + random.nextInt(4)), random.nextBoolean());
        }
        if (kind < 780) {
            return nopOut();
        }
        if (kind < 900) {
            return taskManagement();
        }
        if (kind < 970) {
            return text();
        }
        if (kind < 975) {
            return logout();
        }
        if (kind < 980) {
            return loginRequest(random.nextLong() & 0xffffffffffffL, loginKeys(false), false);
        }
        return oddity();
    }

    private static final int[][] CDBS = {
        {0x00, 0, 0, 0, 0, 0}, // TEST UNIT READY
        {0x12, 0, 0, 0, 0x60, 0}, // INQUIRY
        {0x12, 1, 0x83, 0, 0xff, 0}, // INQUIRY VPD 83h
        {0xa0, 0, 0, 0, 0, 0, 0, 0, 0, 0x10, 0, 0}, // REPORT LUNS
        {0x1a, 0, 0x3f, 0, 0xff, 0}, // MODE SENSE(6)
        {0x25, 0, 0, 0, 0, 0, 0, 0, 0, 0}, // READ CAPACITY(10)
        {0x9e, 0x10, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0x20, 0, 0}, // READ CAPACITY(16)
        {0x35, 0, 0, 0, 0, 0, 0, 0, 0, 0}, // SYNCHRONIZE CACHE(10)
        {0xa3, 0x0a, 0, 0, 0, 0, 0, 0, 0x01, 0, 0, 0}, // REPORT TARGET PORT GROUPS
        {0xa3, 0x0d, 0, 0, 0, 0, 0, 0, 0, 0x10, 0, 0}, // REPORT SUPPORTED TMFs
        {0x03, 0, 0, 0, 0x12, 0}, // REQUEST SENSE
    };

    private byte[] scsiCommand() {
        byte[] bhs = new byte[BHS];
        boolean immediate = random.nextInt(12) == 0;
        bhs[0] = (byte) (0x01 | (immediate ? 0x40 : 0));
        byte[] cdb;
        int edtl;
        boolean read = false;
        boolean write = false;
        byte[] data = new byte[0];
        int choice = random.nextInt(10);
        int blocks = random.nextInt(6) == 0 ? random.nextInt(2049) : 1 + random.nextInt(16);
        int lba = random.nextInt(5) == 0 ? random.nextInt() : random.nextInt(32768);
        if (choice < 3) {
            cdb = rw10(0x28, lba, blocks);
            edtl = blocks * 512;
            read = true;
        } else if (choice < 6) {
            cdb = rw10(0x2a, lba, blocks);
            edtl = blocks * 512;
            write = true;
            int immediateLength = Math.min(edtl, random.nextInt(3) * 512 + (random.nextInt(4) == 0 ? random.nextInt(512) : 0));
            data = bytes(immediateLength);
        } else if (choice < 9) {
            int[] template = CDBS[random.nextInt(CDBS.length)];
            cdb = new byte[template.length];
            for (int i = 0; i < template.length; i++) {
                cdb[i] = (byte) template[i];
            }
            edtl = random.nextInt(4) == 0 ? 0 : 256;
            read = edtl > 0;
        } else {
            cdb = bytes(6 + random.nextInt(11));
            edtl = random.nextInt(3) == 0 ? random.nextInt() : random.nextInt(8192);
            read = random.nextBoolean();
            write = random.nextBoolean();
        }
        if (random.nextInt(10) == 0) {
            edtl = random.nextInt(); // lies about the transfer
        }
        boolean fin = !write || data.length == edtl || random.nextInt(3) != 0;
        bhs[1] = (byte) ((fin ? 0x80 : 0) | (read ? 0x40 : 0) | (write ? 0x20 : 0) | random.nextInt(random.nextInt(8) == 0 ? 8 : 3));
        bhs[9] = (byte) (random.nextInt(10) == 0 ? random.nextInt(256) : random.nextInt(2)); // LUN 0, 1, or none
        int tag = itt++;
        putInt(bhs, 16, tag);
        putInt(bhs, 20, edtl);
        putInt(bhs, 24, immediate ? cmdSn : nextCmdSn());
        putInt(bhs, 28, expStatSn);
        byte[] ahs = new byte[0];
        if (cdb.length > 16) {
            ahs = extendedCdb(cdb);
        }
        System.arraycopy(cdb, 0, bhs, 32, Math.min(16, cdb.length));
        byte[] command = frame(bhs, ahs, data, true);
        if (write && !fin) {
            // the unsolicited Data-Out it announced, right or wrong
            ByteArrayOutputStream all = new ByteArrayOutputStream();
            all.writeBytes(command);
            int offset = data.length;
            int sn = 0;
            while (offset < Math.min(edtl, 65536) && sn < 8) {
                int length = Math.min(512 * (1 + random.nextInt(4)), edtl - offset);
                boolean last = offset + length >= Math.min(edtl, 65536) || random.nextInt(5) == 0;
                all.writeBytes(dataOut(tag, -1, random.nextInt(8) == 0 ? random.nextInt(4) : sn, offset, length, last));
                offset += length;
                sn++;
                if (last) {
                    break;
                }
            }
            return all.toByteArray();
        }
        return command;
    }

    private int nextCmdSn() {
        if (random.nextInt(25) == 0) {
            return cmdSn + random.nextInt(300) - 150; // a gap, a duplicate, or outside the window
        }
        return cmdSn++;
    }

    private byte[] extendedCdb(byte[] cdb) {
        int rest = cdb.length - 16;
        int length = (rest + 1 + 3) / 4 * 4 + 4;
        byte[] ahs = new byte[length];
        putShort(ahs, 0, rest + 1);
        ahs[2] = 1; // extended CDB
        System.arraycopy(cdb, 16, ahs, 4, rest);
        return ahs;
    }

    private byte[] dataOut(int tag, int transferTag, int dataSn, int offset, int length, boolean last) {
        byte[] bhs = new byte[BHS];
        bhs[0] = 0x05;
        bhs[1] = (byte) (last ? 0x80 : 0);
        putInt(bhs, 16, tag < 64 ? 0x10000 + random.nextInt(Math.max(1, itt - 0x10000)) : tag);
        putInt(bhs, 20, transferTag);
        putInt(bhs, 28, expStatSn);
        putInt(bhs, 36, dataSn);
        putInt(bhs, 40, offset);
        return frame(bhs, new byte[0], bytes(length), true);
    }

    private byte[] nopOut() {
        byte[] bhs = new byte[BHS];
        boolean ping = random.nextInt(4) != 0;
        bhs[0] = (byte) (0x00 | (ping && random.nextBoolean() ? 0x40 : 0x40));
        bhs[1] = (byte) 0x80;
        putInt(bhs, 16, ping ? itt++ : 0xffffffff);
        putInt(bhs, 20, ping ? 0xffffffff : random.nextInt(64));
        putInt(bhs, 24, cmdSn);
        putInt(bhs, 28, expStatSn);
        return frame(bhs, new byte[0], bytes(ping ? random.nextInt(3) * random.nextInt(700) : 0), true);
    }

    private byte[] taskManagement() {
        byte[] bhs = new byte[BHS];
        boolean immediate = random.nextBoolean();
        bhs[0] = (byte) (0x02 | (immediate ? 0x40 : 0));
        bhs[1] = (byte) (0x80 | (random.nextInt(10) == 0 ? random.nextInt(128) : 1 + random.nextInt(8)));
        bhs[9] = (byte) random.nextInt(2);
        putInt(bhs, 16, itt++);
        putInt(bhs, 20, random.nextBoolean() ? 0xffffffff : 0x10000 + random.nextInt(Math.max(1, itt - 0x10000)));
        putInt(bhs, 24, immediate ? cmdSn : nextCmdSn());
        putInt(bhs, 28, expStatSn);
        putInt(bhs, 32, cmdSn - random.nextInt(20)); // RefCmdSN
        return frame(bhs, new byte[0], new byte[0], true);
    }

    private byte[] text() {
        byte[] bhs = new byte[BHS];
        bhs[0] = 0x44;
        boolean cont = random.nextInt(5) == 0;
        bhs[1] = (byte) (cont ? 0x40 : 0x80);
        putInt(bhs, 16, itt++);
        putInt(bhs, 20, random.nextInt(20) == 0 ? random.nextInt(64) : 0xffffffff);
        putInt(bhs, 24, cmdSn);
        putInt(bhs, 28, expStatSn);
        StringBuilder keys = new StringBuilder();
        int n = random.nextInt(4);
        for (int i = 0; i < n; i++) {
            keys.append(random.nextBoolean() ? "SendTargets=All" : randomKey() + "=" + randomValue()).append('\0');
        }
        return frame(bhs, new byte[0], keys.toString().getBytes(StandardCharsets.US_ASCII), true);
    }

    private byte[] logout() {
        byte[] bhs = new byte[BHS];
        bhs[0] = 0x46;
        bhs[1] = (byte) (0x80 | random.nextInt(4));
        putInt(bhs, 16, itt++);
        putShort(bhs, 20, random.nextInt(2));
        putInt(bhs, 24, cmdSn);
        putInt(bhs, 28, expStatSn);
        return frame(bhs, new byte[0], new byte[0], true);
    }

    /** SNACK, a target opcode sent by an initiator, a reserved opcode, or 48 random bytes. */
    private byte[] oddity() {
        byte[] bhs = bytes(BHS);
        int pick = random.nextInt(4);
        bhs[0] = (byte) (pick == 0 ? 0x10 : pick == 1 ? 0x20 + random.nextInt(0x20) : pick == 2 ? 0x0f : bhs[0]);
        bhs[4] = 0;
        bhs[5] = 0;
        bhs[6] = 0;
        bhs[7] = (byte) (random.nextInt(4) * 4);
        return frame(bhs, new byte[0], bytes(bhs[7]), true);
    }

    // ------------------------------------------------------------------ framing and mutation

    /** BHS + AHS (+ header digest) + data + padding (+ data digest), mutated at the mutation rate. */
    private byte[] frame(byte[] bhs, byte[] ahs, byte[] data, boolean mayMutate) {
        bhs[4] = (byte) (ahs.length / 4);
        bhs[5] = (byte) (data.length >> 16);
        bhs[6] = (byte) (data.length >> 8);
        bhs[7] = (byte) data.length;
        boolean mutate = mayMutate && random.nextDouble() < mutationRate;
        int what = !mutate ? -1 : keepFraming ? new int[] {0, 1, 4}[random.nextInt(3)] : random.nextInt(7);
        if (what == 0) {
            bhs[fieldByte()] ^= (byte) (1 << random.nextInt(8)); // one bit
        } else if (what == 1) {
            bhs[fieldByte()] = (byte) random.nextInt(256); // one byte, anything
        } else if (what == 2) {
            int length = random.nextInt(3) == 0 ? random.nextInt(1 << 24) : data.length + random.nextInt(64) - 32;
            bhs[5] = (byte) (length >> 16); // a DataSegmentLength that lies
            bhs[6] = (byte) (length >> 8);
            bhs[7] = (byte) length;
        } else if (what == 3) {
            bhs[4] = (byte) random.nextInt(256); // TotalAHSLength out of nowhere
        } else if (what == 4 && data.length > 0) {
            data = data.clone();
            data[random.nextInt(data.length)] ^= (byte) (1 << random.nextInt(8));
        } else if (what == 5) {
            for (int i = 0; i < 4; i++) {
                bhs[random.nextInt(BHS)] = (byte) random.nextInt(256);
            }
        }
        ByteArrayOutputStream out = new ByteArrayOutputStream(BHS + ahs.length + data.length + 12);
        out.writeBytes(bhs);
        out.writeBytes(ahs);
        if (headerDigest) {
            byte[] header = out.toByteArray();
            out.writeBytes(le(Crc32c.of(Unpooled.wrappedBuffer(header), 0, header.length)));
        }
        out.writeBytes(data);
        int padding = (4 - (data.length & 3)) & 3;
        out.writeBytes(new byte[padding]);
        if (dataDigest && data.length > 0) {
            out.writeBytes(le(Crc32c.ofPadded(Unpooled.wrappedBuffer(data), padding)));
        }
        byte[] pdu = out.toByteArray();
        if (what == 6) {
            pdu[random.nextInt(pdu.length)] ^= (byte) 0x80; // anywhere, digests included
        }
        return pdu;
    }

    /** A BHS byte to mutate: any, or any but the length fields (bytes 4-7) when framing is kept. */
    private int fieldByte() {
        int at = random.nextInt(keepFraming ? BHS - 4 : BHS);
        return keepFraming && at >= 4 ? at + 4 : at;
    }

    /** {@code pdu} cut at a random point: the connection ends in the middle of it. */
    byte[] truncate(byte[] pdu) {
        return java.util.Arrays.copyOf(pdu, random.nextInt(pdu.length));
    }

    private byte[] bytes(int length) {
        byte[] b = new byte[length];
        random.nextBytes(b);
        return b;
    }

    private static byte[] rw10(int opcode, int lba, int blocks) {
        return new byte[] {(byte) opcode, 0, (byte) (lba >> 24), (byte) (lba >> 16), (byte) (lba >> 8), (byte) lba, 0,
            (byte) (blocks >> 8), (byte) blocks, 0};
    }

    private static byte[] le(int value) {
        return ByteBuffer.allocate(4).order(java.nio.ByteOrder.LITTLE_ENDIAN).putInt(value).array();
    }

    private static void putInt(byte[] b, int at, int value) {
        ByteBuffer.wrap(b, at, 4).putInt(value);
    }

    private static void putShort(byte[] b, int at, int value) {
        b[at] = (byte) (value >> 8);
        b[at + 1] = (byte) value;
    }
}
