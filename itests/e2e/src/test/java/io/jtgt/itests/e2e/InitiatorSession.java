package io.jtgt.itests.e2e;

import io.jtgt.iscsi.pdu.DataInPdu;
import io.jtgt.iscsi.pdu.IscsiPdu;
import io.jtgt.iscsi.pdu.LoginResponsePdu;
import io.jtgt.iscsi.pdu.NopInPdu;
import io.jtgt.iscsi.pdu.NopOutPdu;
import io.jtgt.iscsi.pdu.ScsiCommandPdu;
import io.jtgt.iscsi.pdu.ScsiResponsePdu;
import io.jtgt.iscsi.testing.SocketInitiator;
import io.netty.buffer.ByteBuf;
import java.io.ByteArrayOutputStream;
import java.util.HashMap;
import java.util.Map;

/**
 * One iSCSI session of the project's {@link SocketInitiator} on an {@link EmbeddedTarget}, with
 * several commands in flight on several LUNs at once: for what QEMU and the libiscsi tools cannot
 * show, e.g. that commands to one LUN fail with a given sense while those to another LUN of the
 * same session complete. READ(10), WRITE(10) (immediate data, so at most the target's
 * MaxRecvDataSegmentLength) and TEST UNIT READY. Not thread-safe; every wait is bounded by the
 * initiator's 10 s read timeout.
 */
final class InitiatorSession implements AutoCloseable {

    private static final int READ_10 = 0x28;
    private static final int WRITE_10 = 0x2a;

    /** A completed command: SCSI status, sense data (empty unless CHECK CONDITION) and Data-In. */
    record Outcome(int itt, int lun, int status, byte[] sense, byte[] data) {

        boolean good() {
            return status == 0;
        }

        boolean checkCondition() {
            return status == 0x02;
        }

        /** Sense key, fixed (70h/71h) or descriptor (72h/73h) format (SPC-4 4.5). */
        int senseKey() {
            return sense.length < 4 ? -1 : (descriptorFormat() ? sense[1] : sense[2]) & 0x0f;
        }

        /** ASC << 8 | ASCQ. */
        int ascq() {
            if (descriptorFormat()) {
                return sense.length < 4 ? -1 : (sense[2] & 0xff) << 8 | sense[3] & 0xff;
            }
            return sense.length < 14 ? -1 : (sense[12] & 0xff) << 8 | sense[13] & 0xff;
        }

        private boolean descriptorFormat() {
            return sense.length > 0 && (sense[0] & 0x7f) >= 0x72;
        }

        String describe() {
            return "task " + Integer.toHexString(itt) + " on LUN " + lun + ": status " + status
                    + (checkCondition() ? String.format(" sense key %xh ASC/ASCQ %04xh", senseKey(), ascq()) : "");
        }
    }

    private final SocketInitiator initiator;
    private final Map<Integer, Integer> lunOf = new HashMap<>();
    private final Map<Integer, ByteArrayOutputStream> dataIn = new HashMap<>();

    private InitiatorSession(SocketInitiator initiator) {
        this.initiator = initiator;
    }

    static InitiatorSession login(EmbeddedTarget target, String initiatorName, long isid) {
        SocketInitiator initiator = new SocketInitiator(null, target.port(), isid);
        LoginResponsePdu login = initiator.login(SocketInitiator.normalLogin(initiatorName, target.targetName()));
        if (login == null || login.status() != 0) {
            initiator.close();
            throw new AssertionError("login to " + target.targetName() + " refused: "
                    + (login == null ? "connection closed" : "status " + Integer.toHexString(login.status())));
        }
        return new InitiatorSession(initiator);
    }

    /**
     * TEST UNIT READY on each LUN until it no longer reports the UNIT ATTENTION a new I_T nexus
     * starts with (POWER ON, RESET, SAM-5 5.14); at most three times each.
     */
    InitiatorSession clearUnitAttentions(int... luns) {
        for (int lun : luns) {
            for (int attempt = 0; attempt < 3; attempt++) {
                Outcome o = call(sendTestUnitReady(lun));
                if (!(o.checkCondition() && o.senseKey() == 0x6)) {
                    break;
                }
            }
        }
        return this;
    }

    /** Sends WRITE(10) of {@code data} at {@code lba}; returns its task tag. */
    int sendWrite(int lun, int lba, byte[] data, int blockSize) {
        ScsiCommandPdu pdu = initiator.command(SocketInitiator.rw10(WRITE_10, lba, data.length / blockSize),
                data.length, false, true);
        pdu.data(data);
        return send(lun, pdu);
    }

    /** Sends READ(10) of {@code blocks} at {@code lba}; returns its task tag. */
    int sendRead(int lun, int lba, int blocks, int blockSize) {
        return send(lun, initiator.command(SocketInitiator.rw10(READ_10, lba, blocks), blocks * blockSize, true, false));
    }

    int sendTestUnitReady(int lun) {
        return send(lun, initiator.command(new byte[6], 0, false, false));
    }

    private int send(int lun, ScsiCommandPdu pdu) {
        pdu.lun((long) lun << 48); // peripheral device addressing, SAM-5 4.7.2
        int itt = pdu.initiatorTaskTag();
        lunOf.put(itt, lun);
        initiator.send(pdu);
        return itt;
    }

    /** The next command that completes (in whatever order the target answers). */
    Outcome next() {
        while (true) {
            IscsiPdu pdu = initiator.receive();
            if (pdu == null) {
                throw new AssertionError("the target closed the connection");
            }
            if (pdu instanceof NopInPdu ping) {
                answer(ping);
                continue;
            }
            int itt = pdu.initiatorTaskTag();
            if (pdu instanceof DataInPdu in) {
                ByteBuf data = in.data();
                byte[] bytes = new byte[data.readableBytes()];
                data.getBytes(data.readerIndex(), bytes);
                dataIn.computeIfAbsent(itt, t -> new ByteArrayOutputStream()).writeBytes(bytes);
                if (in.hasStatus()) {
                    return done(itt, in.status(), new byte[0]);
                }
                continue;
            }
            if (pdu instanceof ScsiResponsePdu response) {
                ByteBuf data = response.data();
                byte[] sense = new byte[0];
                if (data.readableBytes() >= 2) { // SenseLength, then the sense data (RFC 7143 11.4.7)
                    int length = Math.min(data.getUnsignedShort(data.readerIndex()), data.readableBytes() - 2);
                    sense = new byte[length];
                    data.getBytes(data.readerIndex() + 2, sense);
                }
                return done(itt, response.status(), sense);
            }
            throw new AssertionError("unexpected PDU " + pdu);
        }
    }

    /** Sends one command and waits for it (no other command may be in flight). */
    Outcome call(int itt) {
        Outcome outcome = next();
        if (outcome.itt() != itt) {
            throw new AssertionError("expected task " + Integer.toHexString(itt) + ", got " + outcome.describe());
        }
        return outcome;
    }

    private Outcome done(int itt, int status, byte[] sense) {
        Integer lun = lunOf.remove(itt);
        if (lun == null) {
            throw new AssertionError("an answer for task " + Integer.toHexString(itt) + ", which is not in flight");
        }
        ByteArrayOutputStream data = dataIn.remove(itt);
        return new Outcome(itt, lun, status, sense, data == null ? new byte[0] : data.toByteArray());
    }

    /** A target's ping that asks for an answer (RFC 7143 11.19). */
    private void answer(NopInPdu ping) {
        if (ping.targetTransferTag() == IscsiPdu.RESERVED_TAG) {
            return;
        }
        NopOutPdu pong = new NopOutPdu();
        pong.immediate(true);
        pong.finalFlag(true);
        pong.initiatorTaskTag(IscsiPdu.RESERVED_TAG);
        pong.targetTransferTag(ping.targetTransferTag());
        pong.lun(ping.lun());
        pong.cmdSn(initiator.cmdSn);
        initiator.send(pong);
    }

    /** Commands sent and not answered yet. */
    int inFlight() {
        return lunOf.size();
    }

    @Override
    public void close() {
        initiator.close();
    }
}
