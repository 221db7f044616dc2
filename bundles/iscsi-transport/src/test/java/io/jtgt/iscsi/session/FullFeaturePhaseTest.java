package io.jtgt.iscsi.session;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.jtgt.iscsi.login.LoginContext;
import io.jtgt.iscsi.login.LoginStatus;
import io.jtgt.iscsi.login.NoAuthentication;
import io.jtgt.iscsi.login.ParameterTable;
import io.jtgt.iscsi.pdu.CodecSettings;
import io.jtgt.iscsi.pdu.DataInPdu;
import io.jtgt.iscsi.pdu.DataOutPdu;
import io.jtgt.iscsi.pdu.IscsiPdu;
import io.jtgt.iscsi.pdu.LoginResponsePdu;
import io.jtgt.iscsi.pdu.LogoutRequestPdu;
import io.jtgt.iscsi.pdu.LogoutResponsePdu;
import io.jtgt.iscsi.pdu.NopInPdu;
import io.jtgt.iscsi.pdu.NopOutPdu;
import io.jtgt.iscsi.pdu.PduDecoder;
import io.jtgt.iscsi.pdu.PduEncoder;
import io.jtgt.iscsi.pdu.R2tPdu;
import io.jtgt.iscsi.pdu.RejectPdu;
import io.jtgt.iscsi.pdu.ScsiCommandPdu;
import io.jtgt.iscsi.pdu.ScsiResponsePdu;
import io.jtgt.iscsi.pdu.TaskMgmtRequestPdu;
import io.jtgt.iscsi.pdu.TaskMgmtResponsePdu;
import io.jtgt.iscsi.pdu.TextRequestPdu;
import io.jtgt.iscsi.pdu.TextResponsePdu;
import io.jtgt.iscsi.server.ConnectionLimits;
import io.jtgt.iscsi.server.TransportSettings;
import io.jtgt.iscsi.testing.FakeRegistry;
import io.jtgt.iscsi.testing.FakeRegistry.FakeNexus;
import io.jtgt.iscsi.testing.Initiator;
import io.jtgt.iscsi.testing.Pdus;
import io.jtgt.iscsi.text.TextParameters;
import io.jtgt.scsi.api.ScsiResponse;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import io.netty.channel.embedded.EmbeddedChannel;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** The full feature phase over a real pipeline (codec + connection) in an EmbeddedChannel. */
class FullFeaturePhaseTest {

    private static final String TARGET = "iqn.2026-11.test:disk";
    private static final int BLOCK = FakeRegistry.BLOCK;

    private final FakeRegistry registry = new FakeRegistry().add(TARGET, Map.of(1, List.of(0)), 64)
            .add("iqn.2026-11.test:other", Map.of(1, List.of(0)), 8);
    private final SessionRegistry sessions = new SessionRegistry();
    private EmbeddedChannel channel;
    private Initiator initiator;

    private CodecSettings targetCodec;

    private Initiator connect(TransportSettings settings) {
        return connect(settings, List.of("None"));
    }

    private Initiator connect(TransportSettings settings, List<String> digests) {
        return connect(settings, new ParameterTable(settings, digests));
    }

    private Initiator connect(TransportSettings settings, ParameterTable table) {
        return connect(settings, table, new SharedLimits(settings.limits()));
    }

    private Initiator connect(TransportSettings settings, ParameterTable table, SharedLimits shared) {
        CodecSettings codec = new CodecSettings(settings.maxRecvDataSegmentLength());
        targetCodec = codec;
        LoginContext login = new LoginContext(registry, table,
                new NoAuthentication(), sessions, 0, settings.queueDepth());
        ConnectionContext context = new ConnectionContext(login, settings, sessions,
                (target, local) -> List.of("127.0.0.1:3260,1"), shared);
        channel = new EmbeddedChannel(new PduDecoder(codec).refillingScsiCommands(), new PduEncoder(codec),
                new IscsiConnection(context, codec));
        initiator = new Initiator(channel);
        return initiator;
    }

    private Initiator loggedIn(TextParameters extra) {
        connect(TransportSettings.defaults());
        TextParameters keys = Initiator.normalLogin(TARGET);
        extra.pairs().forEach(p -> keys.add(p.getKey(), p.getValue()));
        LoginResponsePdu response = initiator.login(keys);
        assertEquals(LoginStatus.SUCCESS, response.status());
        assertTrue(response.transit());
        initiator.cmdSn = response.expCmdSn();
        return initiator;
    }

    private FakeNexus nexus() {
        return registry.fake(TARGET).nexuses.get(0);
    }

    private ScsiCommandPdu command(byte[] cdb, int edtl, boolean read, boolean write) {
        return Pdus.command(cdb, edtl, read, write, initiator.itt++, initiator.cmdSn++);
    }

    private static byte[] rw10(int opcode, int lba, int blocks) {
        return Pdus.rw10(opcode, lba, blocks);
    }

    @Test
    void testUnitReadyGetsGoodWithAdvancingNumbers() {
        loggedIn(new TextParameters());
        ScsiCommandPdu tur = command(new byte[6], 0, false, false);
        int cmdSn = tur.cmdSn();
        initiator.send(tur);
        ScsiResponsePdu response = assertInstanceOf(ScsiResponsePdu.class, initiator.receiveOne());
        assertEquals(ScsiResponse.GOOD, response.status());
        assertEquals(ScsiResponsePdu.COMMAND_COMPLETED, response.response());
        assertEquals(cmdSn + 1, response.expCmdSn());
        assertEquals(cmdSn + 128, response.maxCmdSn(), "ExpCmdSN + queue depth - 1 with nothing in flight");
        assertFalse(response.residualOverflow() || response.residualUnderflow());
        assertEquals(6, nexus().commands.get(0).cdb().length, "group 0 CDB is 6 bytes");
        assertEquals("iqn.2026-11.test:initiator", nexus().info.initiatorName());
        assertEquals(0x23d000000001L, nexus().info.isid());
        int statSn = response.statSn();
        initiator.send(command(new byte[6], 0, false, false));
        assertEquals(statSn + 1, ((ScsiResponsePdu) initiator.receiveOne()).statSn());
    }

    @Test
    void readIsSplitByTheInitiatorsMaxRecvDataSegmentLengthWithStatusInTheLastDataIn() {
        loggedIn(new TextParameters().add("MaxRecvDataSegmentLength", "4096"));
        initiator.send(command(rw10(0x28, 2, 20), 20 * BLOCK, true, false));
        List<IscsiPdu> pdus = initiator.receive();
        assertEquals(3, pdus.size(), "10240 bytes in segments of 4096");
        ByteBuf all = Unpooled.buffer();
        for (int i = 0; i < pdus.size(); i++) {
            DataInPdu in = assertInstanceOf(DataInPdu.class, pdus.get(i));
            assertEquals(i, in.dataSn());
            assertEquals(i * 4096, in.bufferOffset());
            boolean last = i == pdus.size() - 1;
            assertEquals(last, in.hasStatus());
            assertEquals(last, in.finalFlag());
            all.writeBytes(in.data());
            in.release();
        }
        DataInPdu last = (DataInPdu) pdus.get(2);
        assertEquals(ScsiResponse.GOOD, last.status());
        assertFalse(last.residualUnderflow() || last.residualOverflow());
        assertEquals(20 * BLOCK, all.readableBytes());
        for (int i = 0; i < all.readableBytes(); i++) {
            assertEquals(FakeRegistry.pattern(2 * BLOCK + i), all.getByte(i));
        }
    }

    @Test
    void dataInSequencesEndAtMaxBurstLength() {
        loggedIn(new TextParameters().add("MaxRecvDataSegmentLength", "1024").add("MaxBurstLength", "2048"));
        initiator.send(command(rw10(0x28, 0, 8), 8 * BLOCK, true, false));
        List<IscsiPdu> pdus = initiator.receive();
        assertEquals(4, pdus.size());
        boolean[] finals = new boolean[4];
        for (int i = 0; i < 4; i++) {
            finals[i] = pdus.get(i).finalFlag();
            pdus.get(i).release();
        }
        assertEquals(List.of(false, true, false, true), List.of(finals[0], finals[1], finals[2], finals[3]));
    }

    @Test
    void readResidualsCompareWithExpectedLength() {
        loggedIn(new TextParameters());
        initiator.send(command(rw10(0x28, 0, 2), BLOCK, true, false)); // EDTL below the CDB's 1024
        DataInPdu over = (DataInPdu) initiator.receiveOne();
        assertEquals(BLOCK, over.data().readableBytes(), "cut to EDTL");
        assertTrue(over.residualOverflow());
        assertEquals(BLOCK, over.residualCount());
        over.release();

        initiator.send(command(rw10(0x28, 0, 1), 4 * BLOCK, true, false));
        DataInPdu under = (DataInPdu) initiator.receiveOne();
        assertTrue(under.residualUnderflow());
        assertEquals(3 * BLOCK, under.residualCount());
        under.release();

        initiator.send(command(new byte[] {(byte) 0xee, 0, 0, 0, 0, 0}, 96, true, false));
        ScsiResponsePdu check = (ScsiResponsePdu) initiator.receiveOne();
        assertEquals(ScsiResponse.CHECK_CONDITION, check.status());
        assertTrue(check.residualUnderflow());
        assertEquals(96, check.residualCount());
        ByteBuf sense = check.data();
        assertEquals(18, sense.getUnsignedShort(0), "SenseLength prefix");
        assertEquals(0x70, sense.getUnsignedByte(2));
        assertEquals(0x20, sense.getUnsignedByte(2 + 12));
    }

    /** WRITE of 8 blocks with FirstBurstLength 1024 and MaxBurstLength 1024, in all four modes. */
    @ParameterizedTest(name = "ImmediateData={0} InitialR2T={1}")
    @CsvSource({"Yes,Yes", "Yes,No", "No,Yes", "No,No"})
    void writeGathersImmediateUnsolicitedAndSolicitedData(String immediateData, String initialR2t) {
        connect(new TransportSettings(8192, 1024, 1024, true, false, 2, 128, 2, 0, 0));
        TextParameters keys = Initiator.normalLogin(TARGET).add("ImmediateData", immediateData)
                .add("InitialR2T", initialR2t).add("FirstBurstLength", "1024").add("MaxBurstLength", "1024")
                .add("MaxOutstandingR2T", "2");
        assertEquals(LoginStatus.SUCCESS, initiator.login(keys).status());
        boolean immediate = immediateData.equals("Yes");
        boolean unsolicited = initialR2t.equals("No");
        int length = 8 * BLOCK;
        byte[] payload = new byte[length];
        for (int i = 0; i < length; i++) {
            payload[i] = (byte) (i * 13 + 1);
        }
        ScsiCommandPdu write = command(rw10(0x2a, 4, 8), length, false, true);
        int itt = write.initiatorTaskTag();
        int sent = 0;
        if (immediate) {
            sent = unsolicited ? BLOCK : 1024;
            write.data(Unpooled.copiedBuffer(payload, 0, sent));
        }
        int firstBurst = unsolicited ? 1024 : sent;
        write.finalFlag(sent >= firstBurst);
        initiator.send(write);
        int dataSn = 0;
        while (sent < firstBurst) {
            DataOutPdu out = new DataOutPdu();
            out.initiatorTaskTag(itt);
            out.targetTransferTag(IscsiPdu.RESERVED_TAG);
            out.dataSn(dataSn++);
            out.bufferOffset(sent);
            out.data(Unpooled.copiedBuffer(payload, sent, BLOCK));
            sent += BLOCK;
            out.finalFlag(sent == firstBurst);
            initiator.send(out);
        }
        int r2tCount = 0;
        ScsiResponsePdu response = null;
        for (int round = 0; round < 20 && response == null; round++) {
            List<IscsiPdu> pdus = initiator.receive();
            assertFalse(pdus.isEmpty(), "the target must answer");
            for (IscsiPdu pdu : pdus) {
                if (pdu instanceof ScsiResponsePdu r) {
                    response = r;
                    continue;
                }
                R2tPdu r2t = assertInstanceOf(R2tPdu.class, pdu);
                assertEquals(r2tCount++, r2t.r2tSn());
                assertTrue(r2t.desiredDataTransferLength() <= 1024, "MaxBurstLength per R2T");
                int offset = r2t.bufferOffset();
                int end = offset + r2t.desiredDataTransferLength();
                int sn = 0;
                while (offset < end) {
                    DataOutPdu out = new DataOutPdu();
                    out.initiatorTaskTag(itt);
                    out.targetTransferTag(r2t.targetTransferTag());
                    out.dataSn(sn++);
                    out.bufferOffset(offset);
                    out.data(Unpooled.copiedBuffer(payload, offset, BLOCK));
                    offset += BLOCK;
                    out.finalFlag(offset == end);
                    initiator.send(out);
                }
            }
        }
        assertNotNull(response);
        assertEquals(ScsiResponse.GOOD, response.status());
        assertFalse(response.residualOverflow() || response.residualUnderflow());
        assertEquals((length - firstBurst) / 1024, r2tCount, "R2Ts only for what was not sent unsolicited");
        assertEquals(r2tCount, response.expDataSn());
        byte[] disk = registry.fake(TARGET).disk;
        for (int i = 0; i < length; i++) {
            assertEquals(payload[i], disk[4 * BLOCK + i], "byte " + i);
        }
    }

    @Test
    void writeNeedingMoreThanTheExpectedLengthIsAnsweredWithOverflow() {
        loggedIn(new TextParameters());
        initiator.send(command(rw10(0x2a, 0, 2), BLOCK, false, true));
        ScsiResponsePdu response = (ScsiResponsePdu) initiator.receiveOne();
        assertEquals(ScsiResponse.CHECK_CONDITION, response.status());
        assertTrue(response.residualOverflow());
        assertEquals(BLOCK, response.residualCount());
        assertInstanceOf(IllegalStateException.class, nexus().dataFailure);
    }

    /** A failed command's unsolicited data is drained; its task, though its outcome is final, is not handed to a command meanwhile. */
    @Test
    void unsolicitedDataOfAFailedCommandIsDrained() {
        connect(TransportSettings.defaults());
        assertEquals(LoginStatus.SUCCESS, initiator.login(Initiator.normalLogin(TARGET).add("InitialR2T", "No")
                .add("ImmediateData", "No")).status());
        nexus().declareOutcomesFinal = true;
        ScsiCommandPdu write = command(new byte[] {(byte) 0xef, 0, 0, 0, 0, 0}, 1024, false, true); // unknown opcode
        write.finalFlag(false);
        initiator.send(write);
        ScsiResponsePdu response = (ScsiResponsePdu) initiator.receiveOne();
        assertEquals(ScsiResponse.CHECK_CONDITION, response.status());
        initiator.send(command(new byte[6], 0, false, false)); // TEST UNIT READY while the data is due
        assertEquals(ScsiResponse.GOOD, ((ScsiResponsePdu) initiator.receiveOne()).status());
        assertTrue(nexus().commands.get(0) != nexus().commands.get(1), "the draining task was not reused");
        DataOutPdu out = new DataOutPdu();
        out.initiatorTaskTag(write.initiatorTaskTag());
        out.targetTransferTag(IscsiPdu.RESERVED_TAG);
        out.finalFlag(true);
        out.data(new byte[1024]);
        initiator.send(out);
        assertTrue(initiator.receive().isEmpty(), "silently drained");
        assertTrue(channel.isActive());
    }

    /**
     * Tasks whose outcome scsi-core declared final serve later commands: pipelined WRITEs and READs
     * each still get their own tag, CDB and data, and few task objects serve them all.
     */
    @Test
    void reusedTasksServePipelinedWritesAndReadsWithTheirOwnTagsAndData() {
        loggedIn(new TextParameters());
        channel.config().setWriteBufferWaterMark(IscsiConnection.WATER_MARK); // as the server sets it
        nexus().declareOutcomesFinal = true;
        int rounds = 16;
        for (int round = 0; round < rounds; round++) {
            int lba = 8 + round * 2;
            byte[] payload = new byte[2 * BLOCK];
            for (int i = 0; i < payload.length; i++) {
                payload[i] = (byte) (i * 5 + round);
            }
            ScsiCommandPdu write = command(rw10(0x2a, lba, 2), payload.length, false, true);
            write.data(Unpooled.copiedBuffer(payload)); // immediate data (ImmediateData=Yes by default)
            ScsiCommandPdu read = command(rw10(0x28, lba, 2), payload.length, true, false);
            initiator.send(write);
            initiator.send(read);
            List<IscsiPdu> pdus = initiator.receive();
            assertEquals(2, pdus.size(), "the WRITE's response, then the READ's Data-In with status");
            ScsiResponsePdu written = assertInstanceOf(ScsiResponsePdu.class, pdus.get(0));
            assertEquals(write.initiatorTaskTag(), written.initiatorTaskTag());
            assertEquals(ScsiResponse.GOOD, written.status());
            DataInPdu in = assertInstanceOf(DataInPdu.class, pdus.get(1));
            assertEquals(read.initiatorTaskTag(), in.initiatorTaskTag());
            assertTrue(in.hasStatus());
            byte[] got = new byte[in.data().readableBytes()];
            in.data().getBytes(in.data().readerIndex(), got);
            in.release();
            assertEquals(java.util.HexFormat.of().formatHex(payload), java.util.HexFormat.of().formatHex(got),
                    "round " + round);
        }
        List<String> arrived = nexus().arrived;
        assertEquals(2 * rounds, arrived.size());
        for (int round = 0; round < rounds; round++) {
            String lba = String.format("%08x", 8 + round * 2);
            assertTrue(arrived.get(2 * round).endsWith(":2a00" + lba + "00000200"), arrived.get(2 * round));
            assertTrue(arrived.get(2 * round + 1).endsWith(":2800" + lba + "00000200"), arrived.get(2 * round + 1));
        }
        long objects = nexus().commands.stream().map(System::identityHashCode).distinct().count();
        assertTrue(objects <= 2, objects + " task objects for " + arrived.size() + " commands: "
                + nexus().commands.stream().map(System::identityHashCode).toList());
    }

    @Test
    void nopOutIsEchoedAndImmediateNopDoesNotConsumeACmdSn() {
        loggedIn(new TextParameters());
        NopOutPdu ping = new NopOutPdu();
        ping.immediate(true);
        ping.initiatorTaskTag(0x77);
        ping.targetTransferTag(IscsiPdu.RESERVED_TAG);
        ping.cmdSn(initiator.cmdSn);
        ping.data(new byte[] {1, 2, 3, 4, 5});
        initiator.send(ping);
        NopInPdu pong = assertInstanceOf(NopInPdu.class, initiator.receiveOne());
        assertEquals(0x77, pong.initiatorTaskTag());
        assertEquals(IscsiPdu.RESERVED_TAG, pong.targetTransferTag());
        assertEquals(5, pong.data().readableBytes());
        assertEquals(initiator.cmdSn, pong.expCmdSn(), "immediate NOP-Out leaves ExpCmdSN alone");

        NopOutPdu noReply = new NopOutPdu();
        noReply.immediate(true);
        noReply.initiatorTaskTag(IscsiPdu.RESERVED_TAG);
        noReply.targetTransferTag(IscsiPdu.RESERVED_TAG);
        initiator.send(noReply);
        assertTrue(initiator.receive().isEmpty());

        NopOutPdu numbered = new NopOutPdu();
        numbered.initiatorTaskTag(0x78);
        numbered.targetTransferTag(IscsiPdu.RESERVED_TAG);
        numbered.cmdSn(initiator.cmdSn++);
        initiator.send(numbered);
        assertEquals(initiator.cmdSn, ((NopInPdu) initiator.receiveOne()).expCmdSn());
        initiator.send(command(new byte[6], 0, false, false));
        assertEquals(ScsiResponse.GOOD, ((ScsiResponsePdu) initiator.receiveOne()).status());
    }

    @Test
    void commandsOutsideTheWindowAreIgnoredAndGapsAreReordered() {
        loggedIn(new TextParameters());
        initiator.send(command(new byte[6], 0, false, false));
        ScsiResponsePdu first = (ScsiResponsePdu) initiator.receiveOne();
        ScsiCommandPdu tooHigh = command(new byte[6], 0, false, false);
        tooHigh.cmdSn(first.maxCmdSn() + 1);
        initiator.cmdSn--;
        initiator.send(tooHigh);
        assertTrue(initiator.receive().isEmpty(), "CmdSN > MaxCmdSN is silently ignored");
        ScsiCommandPdu tooLow = command(new byte[6], 0, false, false);
        tooLow.cmdSn(first.expCmdSn() - 1);
        initiator.cmdSn--;
        initiator.send(tooLow);
        assertTrue(initiator.receive().isEmpty(), "CmdSN < ExpCmdSN is silently ignored");

        ScsiCommandPdu a = command(new byte[6], 0, false, false);
        ScsiCommandPdu b = command(new byte[6], 0, false, false);
        int bItt = b.initiatorTaskTag();
        initiator.send(b);
        assertTrue(initiator.receive().isEmpty(), "held until the gap closes");
        initiator.send(a);
        List<IscsiPdu> both = initiator.receive();
        assertEquals(2, both.size());
        assertEquals(bItt, both.get(1).initiatorTaskTag(), "delivered in CmdSN order");
        assertEquals(initiator.cmdSn, ((ScsiResponsePdu) both.get(1)).expCmdSn());
        assertEquals(3, nexus().commands.size());
    }

    /**
     * The decoder refills one SCSI Command PDU for each command: commands arriving in one segment,
     * and one that waits for a gap meanwhile, each reach scsi-core with their own CDB and tag.
     */
    @Test
    void commandsInOneSegmentAndAHeldOneKeepTheirOwnCdbAndTag() {
        loggedIn(new TextParameters());
        ScsiCommandPdu a = command(new byte[] {0x00, 0, 0, 0, 0, 0}, 0, false, false);
        ScsiCommandPdu b = command(new byte[] {0x00, 0, 0, 0, 0, 1}, 0, false, false); // control byte tells them apart
        ScsiCommandPdu c = command(new byte[] {0x00, 0, 0, 0, 0, 2}, 0, false, false);
        ScsiCommandPdu d = command(new byte[] {0x00, 0, 0, 0, 0, 3}, 0, false, false);
        List<ScsiCommandPdu> sent = List.of(a, b, c, d);
        io.netty.buffer.CompositeByteBuf segment = io.netty.buffer.Unpooled.compositeBuffer();
        for (ScsiCommandPdu pdu : List.of(c, a, b, d)) { // c waits for b; a, b and d arrive after it
            segment.addComponent(true, io.jtgt.iscsi.testing.Pdus.encode(pdu, new CodecSettings(8192)));
        }
        channel.writeInbound(segment);
        channel.runPendingTasks();
        List<IscsiPdu> responses = initiator.receive();
        assertEquals(4, responses.size());
        List<io.jtgt.scsi.api.ScsiCommand> delivered = nexus().commands;
        assertEquals(4, delivered.size());
        for (int i = 0; i < 4; i++) {
            assertEquals(sent.get(i).initiatorTaskTag() & 0xffffffffL, delivered.get(i).taskTag(), "CmdSN order");
            assertEquals(i, delivered.get(i).cdb()[5], "each command its own CDB");
            assertEquals(sent.get(i).initiatorTaskTag(), responses.get(i).initiatorTaskTag());
        }
    }

    @Test
    void maxCmdSnShrinksWithCommandsInFlight() {
        connect(new TransportSettings(8192, 65536, 8192, true, false, 1, 4, 2, 0, 0));
        assertEquals(LoginStatus.SUCCESS, initiator.login(Initiator.normalLogin(TARGET)).status());
        initiator.send(command(new byte[] {(byte) 0xc0, 0, 0, 0, 0, 0}, 0, false, false)); // hangs
        initiator.send(command(new byte[] {(byte) 0xc0, 0, 0, 0, 0, 0}, 0, false, false)); // hangs
        NopOutPdu ping = new NopOutPdu();
        ping.immediate(true);
        ping.initiatorTaskTag(1);
        ping.targetTransferTag(IscsiPdu.RESERVED_TAG);
        initiator.send(ping);
        NopInPdu pong = (NopInPdu) initiator.receiveOne();
        assertEquals(initiator.cmdSn, pong.expCmdSn());
        assertEquals(initiator.cmdSn - 2 + 4 - 1, pong.maxCmdSn(), "two in flight: no window beyond the login's");
        nexus().hanging.get(0).complete(ScsiResponse.good());
        nexus().hanging.get(1).complete(ScsiResponse.good());
        List<IscsiPdu> responses = initiator.receive();
        assertEquals(2, responses.size());
        assertEquals(initiator.cmdSn + 4 - 1, ((ScsiResponsePdu) responses.get(1)).maxCmdSn());
    }

    @Test
    void logoutClosesTheSessionAndTheNexus() {
        loggedIn(new TextParameters());
        // What the initiator may do after reading the response (log in again and find PREVENT
        // cleared) needs the nexus loss done before the response is written, not at socket close.
        boolean[] nexusClosedWhenAnswered = new boolean[1];
        channel.pipeline().addBefore(channel.pipeline().context(IscsiConnection.class).name(), "spy",
                new io.netty.channel.ChannelOutboundHandlerAdapter() {
                    @Override
                    public void write(io.netty.channel.ChannelHandlerContext ctx, Object msg,
                            io.netty.channel.ChannelPromise promise) throws Exception {
                        if (msg instanceof LogoutResponsePdu) {
                            nexusClosedWhenAnswered[0] = nexus().closed && sessions.sessions().isEmpty();
                        }
                        super.write(ctx, msg, promise);
                    }
                });
        LogoutRequestPdu logout = new LogoutRequestPdu();
        logout.immediate(true);
        logout.reasonCode(LogoutRequestPdu.CLOSE_SESSION);
        logout.initiatorTaskTag(0x55);
        logout.cmdSn(initiator.cmdSn);
        initiator.send(logout);
        LogoutResponsePdu response = assertInstanceOf(LogoutResponsePdu.class, initiator.receiveOne());
        assertEquals(LogoutResponsePdu.CLOSED_SUCCESSFULLY, response.response());
        assertEquals(0x55, response.initiatorTaskTag());
        channel.runPendingTasks();
        assertFalse(channel.isOpen());
        assertTrue(nexus().closed, "I_T nexus loss");
        assertTrue(sessions.sessions().isEmpty());
        assertTrue(nexusClosedWhenAnswered[0], "the session had ended when the Logout Response was written");
    }

    @Test
    void logoutForRecoveryIsNotSupportedAtErl0() {
        loggedIn(new TextParameters());
        LogoutRequestPdu logout = new LogoutRequestPdu();
        logout.immediate(true);
        logout.reasonCode(LogoutRequestPdu.REMOVE_CONNECTION_FOR_RECOVERY);
        initiator.send(logout);
        assertEquals(LogoutResponsePdu.RECOVERY_NOT_SUPPORTED, ((LogoutResponsePdu) initiator.receiveOne()).response());
        assertTrue(channel.isOpen());
    }

    @Test
    void unknownOpcodeIsRejectedAndTheConnectionSurvives() {
        loggedIn(new TextParameters());
        ByteBuf raw = Unpooled.buffer().writeByte(0x1d).writeZero(47);
        channel.writeInbound(raw);
        RejectPdu reject = assertInstanceOf(RejectPdu.class, initiator.receiveOne());
        assertEquals(RejectPdu.COMMAND_NOT_SUPPORTED, reject.reason());
        assertEquals(48, reject.data().readableBytes());
        assertEquals(0x1d, reject.data().getByte(0));
        initiator.send(command(new byte[6], 0, false, false));
        assertEquals(ScsiResponse.GOOD, ((ScsiResponsePdu) initiator.receiveOne()).status());
    }

    @Test
    void dataOutWithAWrongDataSnIsRejectedAndOnlyThatCommandIsDropped() {
        connect(new TransportSettings(8192, 65536, 8192, true, false, 1, 128, 2, 0, 0));
        assertEquals(LoginStatus.SUCCESS, initiator.login(Initiator.normalLogin(TARGET).add("ImmediateData", "No")).status());
        initiator.send(command(rw10(0x2a, 0, 2), 2 * BLOCK, false, true));
        R2tPdu r2t = (R2tPdu) initiator.receiveOne();
        DataOutPdu out = new DataOutPdu();
        out.initiatorTaskTag(r2t.initiatorTaskTag());
        out.targetTransferTag(r2t.targetTransferTag());
        out.dataSn(27);
        out.finalFlag(true);
        out.data(new byte[2 * BLOCK]);
        initiator.send(out);
        RejectPdu reject = assertInstanceOf(RejectPdu.class, initiator.receiveOne(), "no SCSI Response for it");
        assertEquals(RejectPdu.PROTOCOL_ERROR, reject.reason());
        assertEquals(r2t.initiatorTaskTag(), reject.data().getInt(16), "the rejected header names the command");
        assertNotNull(nexus().dataFailure, "the pending receiveData failed");
        assertTrue(channel.isOpen());
        initiator.send(command(new byte[6], 0, false, false));
        ScsiResponsePdu next = (ScsiResponsePdu) initiator.receiveOne();
        assertEquals(ScsiResponse.GOOD, next.status());
        assertEquals(next.expCmdSn() + 127, next.maxCmdSn(), "the dropped command is not in flight any more");
    }

    @Test
    void disconnectMidTransferFailsTheDataRequestAndClosesTheNexus() {
        connect(TransportSettings.defaults());
        assertEquals(LoginStatus.SUCCESS, initiator.login(Initiator.normalLogin(TARGET).add("ImmediateData", "Yes")).status());
        ScsiCommandPdu write = command(rw10(0x2a, 0, 16), 16 * BLOCK, false, true);
        write.data(new byte[BLOCK]);
        initiator.send(write);
        assertInstanceOf(R2tPdu.class, initiator.receiveOne());
        channel.close();
        channel.runPendingTasks();
        assertNotNull(nexus().dataFailure);
        assertTrue(nexus().closed);
    }

    @Test
    void abortTaskCompletesWhenTheCommandEndsAndSuppressesItsResponse() {
        loggedIn(new TextParameters());
        ScsiCommandPdu hang = command(new byte[] {(byte) 0xc0, 0, 0, 0, 0, 0}, 0, false, false);
        int hangItt = hang.initiatorTaskTag();
        int hangCmdSn = hang.cmdSn();
        initiator.send(hang);
        assertTrue(initiator.receive().isEmpty());
        TaskMgmtRequestPdu abort = new TaskMgmtRequestPdu();
        abort.immediate(true);
        abort.function(TaskMgmtRequestPdu.ABORT_TASK);
        abort.initiatorTaskTag(0x999);
        abort.referencedTaskTag(hangItt);
        abort.refCmdSn(hangCmdSn);
        abort.cmdSn(initiator.cmdSn);
        initiator.send(abort);
        assertTrue(initiator.receive().isEmpty(), "waits for the SCSI layer");
        nexus().hanging.get(0).complete(ScsiResponse.good());
        TaskMgmtResponsePdu done = assertInstanceOf(TaskMgmtResponsePdu.class, initiator.receiveOne());
        assertEquals(TaskMgmtResponsePdu.FUNCTION_COMPLETE, done.response());
        assertEquals(0x999, done.initiatorTaskTag());

        ScsiCommandPdu answered = command(new byte[6], 0, false, false);
        initiator.send(answered);
        assertInstanceOf(ScsiResponsePdu.class, initiator.receiveOne());
        TaskMgmtRequestPdu late = new TaskMgmtRequestPdu();
        late.immediate(true);
        late.function(TaskMgmtRequestPdu.ABORT_TASK);
        late.initiatorTaskTag(0x998);
        late.referencedTaskTag(answered.initiatorTaskTag());
        late.refCmdSn(initiator.cmdSn - 1);
        late.cmdSn(initiator.cmdSn);
        initiator.send(late);
        assertEquals(TaskMgmtResponsePdu.TASK_DOES_NOT_EXIST, ((TaskMgmtResponsePdu) initiator.receiveOne()).response(),
                "a command already answered does not exist any more");

        TaskMgmtRequestPdu again = new TaskMgmtRequestPdu();
        again.immediate(true);
        again.function(TaskMgmtRequestPdu.ABORT_TASK);
        again.initiatorTaskTag(0x99a);
        again.referencedTaskTag(0x4242);
        again.refCmdSn(initiator.cmdSn + 5);
        again.cmdSn(initiator.cmdSn);
        initiator.send(again);
        assertEquals(TaskMgmtResponsePdu.TASK_DOES_NOT_EXIST, ((TaskMgmtResponsePdu) initiator.receiveOne()).response());
    }

    @Test
    void sendTargetsInADiscoverySessionListsAllTargets() {
        connect(TransportSettings.defaults());
        LoginResponsePdu login = initiator.login(new TextParameters().add("InitiatorName", "iqn.x")
                .add("SessionType", "Discovery"));
        assertEquals(LoginStatus.SUCCESS, login.status());
        TextRequestPdu text = new TextRequestPdu();
        text.finalFlag(true);
        text.immediate(true);
        text.initiatorTaskTag(5);
        text.targetTransferTag(IscsiPdu.RESERVED_TAG);
        text.data(new TextParameters().add("SendTargets", "All").encode());
        initiator.send(text);
        TextResponsePdu response = assertInstanceOf(TextResponsePdu.class, initiator.receiveOne());
        assertTrue(response.finalFlag());
        TextParameters answer = TextParameters.parse(response.data());
        List<String> names = new ArrayList<>();
        answer.pairs().stream().filter(p -> p.getKey().equals("TargetName")).forEach(p -> names.add(p.getValue()));
        assertEquals(List.of(TARGET, "iqn.2026-11.test:other"), names);
        assertEquals("127.0.0.1:3260,1", answer.get("TargetAddress"));

        initiator.send(command(new byte[6], 0, false, false));
        assertInstanceOf(RejectPdu.class, initiator.receiveOne(), "no SCSI in a discovery session");
    }

    @Test
    void longTextAnswersAreContinuedWithTheTargetTransferTag() {
        for (int i = 0; i < 40; i++) {
            registry.add("iqn.2026-11.test:many-targets-to-overflow-one-segment-" + i, Map.of(1, List.of(0)), 1);
        }
        connect(TransportSettings.defaults());
        initiator.login(new TextParameters().add("InitiatorName", "iqn.x").add("SessionType", "Discovery")
                .add("MaxRecvDataSegmentLength", "512"));
        TextRequestPdu text = new TextRequestPdu();
        text.finalFlag(true);
        text.initiatorTaskTag(5);
        text.targetTransferTag(IscsiPdu.RESERVED_TAG);
        text.cmdSn(initiator.cmdSn);
        text.data(new TextParameters().add("SendTargets", "All").encode());
        initiator.send(text);
        ByteBuf joined = Unpooled.buffer();
        for (int round = 0; round < 100; round++) {
            TextResponsePdu piece = (TextResponsePdu) initiator.receiveOne();
            assertTrue(piece.data().readableBytes() <= 512);
            joined.writeBytes(piece.data());
            if (piece.finalFlag()) {
                break;
            }
            assertTrue(piece.continueFlag());
            TextRequestPdu more = new TextRequestPdu();
            more.finalFlag(true);
            more.immediate(true);
            more.initiatorTaskTag(5);
            more.targetTransferTag(piece.targetTransferTag());
            initiator.send(more);
        }
        TextParameters answer = TextParameters.parse(joined);
        assertEquals(42, answer.pairs().stream().filter(p -> p.getKey().equals("TargetName")).count());
    }

    @Test
    void sendTargetsInANormalSessionShowsOnlyItsTarget() {
        loggedIn(new TextParameters());
        TextRequestPdu text = new TextRequestPdu();
        text.finalFlag(true);
        text.immediate(true);
        text.initiatorTaskTag(5);
        text.targetTransferTag(IscsiPdu.RESERVED_TAG);
        text.data(new TextParameters().add("SendTargets", "All").add("X-vendor.key", "1").encode());
        initiator.send(text);
        TextParameters answer = TextParameters.parse(((TextResponsePdu) initiator.receiveOne()).data());
        assertEquals(TARGET, answer.get("TargetName"));
        assertEquals(1, answer.pairs().stream().filter(p -> p.getKey().equals("TargetName")).count());
        assertEquals("NotUnderstood", answer.get("X-vendor.key"));
    }

    @Test
    void aNonLoginPduDuringLoginEndsTheLoginWith020b() {
        connect(TransportSettings.defaults());
        NopOutPdu nop = new NopOutPdu();
        nop.initiatorTaskTag(1);
        nop.targetTransferTag(IscsiPdu.RESERVED_TAG);
        initiator.send(nop);
        LoginResponsePdu response = assertInstanceOf(LoginResponsePdu.class, initiator.receiveOne());
        assertEquals(LoginStatus.INVALID_DURING_LOGIN, response.status());
        assertFalse(channel.isOpen());
    }

    @Test
    void loginKeysInAFullFeatureTextRequestAreRejected() {
        loggedIn(new TextParameters());
        TextRequestPdu text = new TextRequestPdu();
        text.finalFlag(true);
        text.initiatorTaskTag(6);
        text.cmdSn(initiator.cmdSn++);
        text.targetTransferTag(IscsiPdu.RESERVED_TAG);
        text.data(new TextParameters().add("TargetName", TARGET).add("MaxBurstLength", "4096")
                .add("MaxRecvDataSegmentLength", "16384").encode());
        initiator.send(text);
        TextParameters answer = TextParameters.parse(((TextResponsePdu) initiator.receiveOne()).data());
        assertEquals("Reject", answer.get("TargetName"));
        assertEquals("Reject", answer.get("MaxBurstLength"), "leading-only keys stay as negotiated at login");
        assertEquals(null, answer.get("MaxRecvDataSegmentLength"), "a declaration is not answered");
        assertTrue(channel.isOpen());
    }

    @Test
    void aRequestedLogoutIsAnAsyncMessageAndNewCommandsWaitForTheLogout() {
        loggedIn(new TextParameters());
        initiator.send(command(new byte[6], 0, false, false));
        int statSn = ((ScsiResponsePdu) initiator.receiveOne()).statSn();
        sessions.sessions().get(0).requestLogout(7);
        channel.runPendingTasks();
        io.jtgt.iscsi.pdu.AsyncMessagePdu async = assertInstanceOf(io.jtgt.iscsi.pdu.AsyncMessagePdu.class,
                initiator.receiveOne());
        assertEquals(io.jtgt.iscsi.pdu.AsyncMessagePdu.LOGOUT_REQUESTED, async.asyncEvent());
        assertEquals(7, io.jtgt.iscsi.pdu.Bhs.getUnsignedShort(async.bhs(), 42), "Parameter3: seconds to log out in");
        assertEquals(IscsiPdu.RESERVED_TAG, async.initiatorTaskTag());
        assertEquals(statSn + 1, async.statSn(), "an Async Message takes the next StatSN");
        sessions.sessions().get(0).requestLogout(7);
        channel.runPendingTasks();
        assertTrue(initiator.receive().isEmpty(), "asked once");

        initiator.send(command(new byte[6], 0, false, false));
        RejectPdu reject = assertInstanceOf(RejectPdu.class, initiator.receiveOne());
        assertEquals(RejectPdu.WAITING_FOR_LOGOUT, reject.reason());
        assertEquals(1, nexus().commands.size(), "the new command never reached the SCSI layer");

        LogoutRequestPdu logout = new LogoutRequestPdu();
        logout.finalFlag(true);
        logout.initiatorTaskTag(initiator.itt++);
        logout.cmdSn(initiator.cmdSn++);
        initiator.send(logout);
        assertEquals(LogoutResponsePdu.CLOSED_SUCCESSFULLY, ((LogoutResponsePdu) initiator.receiveOne()).response());
        assertFalse(channel.isOpen());
        assertTrue(nexus().closed);
    }

    @Test
    void anInitiatorThatDoesNotLogOutInTimeIsDisconnected() {
        loggedIn(new TextParameters());
        sessions.sessions().get(0).requestLogout(3);
        channel.runPendingTasks();
        assertInstanceOf(io.jtgt.iscsi.pdu.AsyncMessagePdu.class, initiator.receiveOne());
        channel.advanceTimeBy(2, java.util.concurrent.TimeUnit.SECONDS);
        channel.runScheduledPendingTasks();
        assertTrue(channel.isOpen());
        channel.advanceTimeBy(2, java.util.concurrent.TimeUnit.SECONDS);
        channel.runScheduledPendingTasks();
        channel.runPendingTasks();
        assertFalse(channel.isOpen());
        assertTrue(nexus().closed);
    }

    @Test
    void loginFailureClosesTheConnection() {
        connect(TransportSettings.defaults());
        LoginResponsePdu response = initiator.login(Initiator.normalLogin("iqn.2026-11.test:missing"));
        assertEquals(LoginStatus.NOT_FOUND, response.status());
        channel.runPendingTasks();
        assertFalse(channel.isOpen());
    }

    @Test
    void sessionReinstatementClosesTheOldSession() {
        loggedIn(new TextParameters());
        EmbeddedChannel first = channel;
        connect(TransportSettings.defaults());
        assertEquals(LoginStatus.SUCCESS, initiator.login(Initiator.normalLogin(TARGET)).status());
        first.runPendingTasks();
        assertFalse(first.isOpen(), "same InitiatorName + ISID + target: the old session goes");
        assertTrue(registry.fake(TARGET).nexuses.get(0).closed);
        assertFalse(registry.fake(TARGET).nexuses.get(1).closed);
    }

    @Test
    void loginWithTheSessionsTsihReplacesItsConnection() {
        loggedIn(new TextParameters());
        EmbeddedChannel old = channel;
        int tsih = sessions.sessions().get(0).tsih();
        connect(TransportSettings.defaults());
        io.jtgt.iscsi.pdu.LoginRequestPdu request = new io.jtgt.iscsi.pdu.LoginRequestPdu();
        request.transit(true);
        request.stages(1, 3);
        request.isid(0x23d000000001L);
        request.tsih(tsih);
        request.cmdSn(1);
        request.data(Initiator.normalLogin(TARGET).encode());
        initiator.send(request);
        LoginResponsePdu response = (LoginResponsePdu) initiator.receiveOne();
        assertEquals(LoginStatus.SUCCESS, response.status());
        assertEquals(tsih, response.tsih());
        old.runPendingTasks();
        assertFalse(old.isOpen());
        assertEquals(1, sessions.sessions().size());
        assertEquals(tsih, sessions.sessions().get(0).tsih());
        initiator.send(command(new byte[6], 0, false, false));
        assertEquals(ScsiResponse.GOOD, ((ScsiResponsePdu) initiator.receiveOne()).status());
    }

    @Test
    void negotiatedDigestsSwitchOnRightAfterTheFinalLoginResponse() {
        connect(TransportSettings.defaults(), List.of("CRC32C", "None"));
        LoginResponsePdu response = initiator.login(Initiator.normalLogin(TARGET).add("HeaderDigest", "CRC32C,None")
                .add("DataDigest", "None"));
        assertEquals("CRC32C", TextParameters.parse(response.data()).get("HeaderDigest"));
        assertTrue(targetCodec.headerDigest(), "the login response itself went out without a digest");
        assertFalse(targetCodec.dataDigest());
        initiator.digests(true, false);
        initiator.send(command(new byte[6], 0, false, false));
        assertEquals(ScsiResponse.GOOD, ((ScsiResponsePdu) initiator.receiveOne()).status());
    }

    /** Logs in with the given digests accepted by the target and offered by the initiator. */
    private void loggedInWithDigests(String header, String data) {
        connect(TransportSettings.defaults(), List.of("CRC32C", "None"));
        LoginResponsePdu response = initiator.login(Initiator.normalLogin(TARGET).add("HeaderDigest", header)
                .add("DataDigest", data).add("ImmediateData", "No"));
        assertEquals(LoginStatus.SUCCESS, response.status());
        TextParameters answer = TextParameters.parse(response.data());
        initiator.digests(answer.get("HeaderDigest").equals("CRC32C"), answer.get("DataDigest").equals("CRC32C"));
    }

    @Test
    void dataDigestsProtectWritesAndReadsBothWays() {
        loggedInWithDigests("CRC32C", "CRC32C");
        assertTrue(targetCodec.headerDigest() && targetCodec.dataDigest());
        initiator.send(command(rw10(0x2a, 0, 2), 2 * BLOCK, false, true));
        R2tPdu r2t = (R2tPdu) initiator.receiveOne();
        DataOutPdu out = new DataOutPdu();
        out.initiatorTaskTag(r2t.initiatorTaskTag());
        out.targetTransferTag(r2t.targetTransferTag());
        out.finalFlag(true);
        byte[] payload = new byte[2 * BLOCK];
        java.util.Arrays.fill(payload, (byte) 0x5a);
        out.data(payload);
        initiator.send(out);
        assertEquals(ScsiResponse.GOOD, ((ScsiResponsePdu) initiator.receiveOne()).status());
        initiator.send(command(rw10(0x28, 0, 2), 2 * BLOCK, true, false));
        DataInPdu in = (DataInPdu) initiator.receiveOne();
        assertFalse(in.dataDigestError(), "the target's data digest checks out");
        assertEquals(0x5a, in.data().getByte(BLOCK + 7));
    }

    @Test
    void aDataDigestErrorOnDataOutFailsTheTaskAndDropsTheSession() {
        loggedInWithDigests("None", "CRC32C");
        initiator.send(command(rw10(0x2a, 0, 2), 2 * BLOCK, false, true));
        R2tPdu r2t = (R2tPdu) initiator.receiveOne();
        DataOutPdu out = new DataOutPdu();
        out.initiatorTaskTag(r2t.initiatorTaskTag());
        out.targetTransferTag(r2t.targetTransferTag());
        out.finalFlag(true);
        out.data(new byte[2 * BLOCK]);
        initiator.sendCorrupted(out, -1); // the last byte is the data digest
        RejectPdu reject = assertInstanceOf(RejectPdu.class, initiator.receiveOne(), "no SCSI Response");
        assertEquals(RejectPdu.DATA_DIGEST_ERROR, reject.reason());
        assertEquals(r2t.initiatorTaskTag(), reject.data().getInt(16), "the Reject carries the Data-Out's header");
        assertFalse(channel.isOpen(), "ERL 0: the session's only connection is closed");
        assertNotNull(nexus().dataFailure, "the task waiting for the data failed");
        assertTrue(nexus().closed);
        assertTrue(sessions.sessions().isEmpty(), "the session is gone");
        for (int i = 0; i < 2 * BLOCK; i++) {
            assertEquals(FakeRegistry.pattern(i), registry.fake(TARGET).disk[i], "nothing was written");
        }
    }

    @Test
    void corruptedImmediateDataIsRejectedAndTheCommandNeverRuns() {
        connect(TransportSettings.defaults(), List.of("CRC32C", "None"));
        assertEquals(LoginStatus.SUCCESS, initiator.login(Initiator.normalLogin(TARGET).add("DataDigest", "CRC32C"))
                .status());
        initiator.digests(false, true);
        ScsiCommandPdu write = command(rw10(0x2a, 0, 1), BLOCK, false, true);
        write.data(new byte[BLOCK]);
        initiator.sendCorrupted(write, 48 + 10); // a payload byte
        assertEquals(RejectPdu.DATA_DIGEST_ERROR, ((RejectPdu) initiator.receiveOne()).reason());
        assertFalse(channel.isOpen());
        assertTrue(nexus().commands.isEmpty(), "a command with corrupt data never reaches the SCSI layer");
    }

    @Test
    void aHeaderDigestErrorDropsTheConnectionWithoutAnAnswer() {
        loggedInWithDigests("CRC32C", "None");
        initiator.sendCorrupted(command(new byte[6], 0, false, false), 48); // the header digest
        assertTrue(initiator.receive().isEmpty(), "a corrupt header cannot be named in a Reject");
        assertFalse(channel.isOpen());
        assertTrue(nexus().commands.isEmpty());
        assertTrue(nexus().closed);
    }

    @Test
    void aCorruptHeaderIsCaughtByItsDigestEvenWhenItsLengthLooksFine() {
        loggedInWithDigests("CRC32C", "None");
        initiator.sendCorrupted(command(new byte[6], 0, false, false), 20); // in the ExpectedDataTransferLength
        assertTrue(initiator.receive().isEmpty());
        assertFalse(channel.isOpen());
        assertTrue(nexus().commands.isEmpty());
    }

    @Test
    void digestsTheTargetDoesNotAllowAreRefused() {
        TransportSettings settings = TransportSettings.defaults().withDigests(List.of("None"), List.of("CRC32C"));
        connect(settings, new ParameterTable(settings));
        LoginResponsePdu response = initiator.login(Initiator.normalLogin(TARGET).add("HeaderDigest", "CRC32C")
                .add("DataDigest", "None,CRC32C"));
        TextParameters answer = TextParameters.parse(response.data());
        assertEquals("Reject", answer.get("HeaderDigest"), "CRC32C only, and we only allow None");
        assertEquals("CRC32C", answer.get("DataDigest"), "None offered first, but we do not allow it");
    }

    @Test
    void idleConnectionsArePingedAndClosedWhenSilent() {
        connect(new TransportSettings(8192, 65536, 8192, true, false, 1, 128, 2, 0, 0, 5)
                .withLimits(ConnectionLimits.defaults().withNopInTimeout(5)));
        assertEquals(LoginStatus.SUCCESS, initiator.login(Initiator.normalLogin(TARGET)).status());
        channel.advanceTimeBy(6, java.util.concurrent.TimeUnit.SECONDS);
        channel.runScheduledPendingTasks();
        NopInPdu ping = assertInstanceOf(NopInPdu.class, initiator.receiveOne());
        assertEquals(IscsiPdu.RESERVED_TAG, ping.initiatorTaskTag());
        assertTrue(ping.targetTransferTag() != IscsiPdu.RESERVED_TAG);
        NopOutPdu answer = new NopOutPdu();
        answer.immediate(true);
        answer.initiatorTaskTag(IscsiPdu.RESERVED_TAG);
        answer.targetTransferTag(ping.targetTransferTag());
        answer.cmdSn(initiator.cmdSn);
        initiator.send(answer);
        assertTrue(initiator.receive().isEmpty(), "a ping answer gets no answer");
        channel.advanceTimeBy(6, java.util.concurrent.TimeUnit.SECONDS);
        channel.runScheduledPendingTasks();
        assertInstanceOf(NopInPdu.class, initiator.receiveOne(), "answered: pinged again later, not closed");
        assertTrue(channel.isOpen());
        channel.advanceTimeBy(6, java.util.concurrent.TimeUnit.SECONDS);
        channel.runScheduledPendingTasks();
        channel.runPendingTasks();
        assertFalse(channel.isOpen(), "silent for the NOP-In timeout after the ping");
        assertTrue(nexus().closed);
    }

    @Test
    void logicalUnitResetAbortsTheLunsTasksInEverySessionFirst() {
        loggedIn(new TextParameters());
        EmbeddedChannel firstChannel = channel;
        Initiator first = initiator;
        ScsiCommandPdu hang = command(new byte[] {(byte) 0xc0, 0, 0, 0, 0, 0}, 0, false, false);
        first.send(hang);
        ScsiCommandPdu otherLun = command(new byte[] {(byte) 0xc0, 0, 0, 0, 0, 0}, 0, false, false);
        otherLun.lun(0x0001000000000000L);
        first.send(otherLun);

        connect(TransportSettings.defaults());
        initiator.isid = 0x23d000000002L;
        assertEquals(LoginStatus.SUCCESS, initiator.login(Initiator.normalLogin(TARGET)).status());
        FakeNexus second = registry.fake(TARGET).nexuses.get(1);
        TaskMgmtRequestPdu reset = tmf(0x777, TaskMgmtRequestPdu.LOGICAL_UNIT_RESET);
        initiator.send(reset);
        assertTrue(initiator.receive().isEmpty(), "waits for the other session's task on LUN 0");
        assertTrue(second.lunResets.isEmpty());

        nexus().hanging.get(0).complete(ScsiResponse.good());
        firstChannel.runPendingTasks();
        channel.runPendingTasks();
        TaskMgmtResponsePdu done = assertInstanceOf(TaskMgmtResponsePdu.class, initiator.receiveOne());
        assertEquals(TaskMgmtResponsePdu.FUNCTION_COMPLETE, done.response());
        assertEquals(List.of(0L), second.lunResets, "scsi-core hears of the reset after the aborts");
        assertTrue(first.receive().isEmpty(), "the aborted command gets no response");

        nexus().hanging.get(1).complete(ScsiResponse.good());
        assertInstanceOf(ScsiResponsePdu.class, first.receiveOne(), "LUN 1 was not reset");
    }

    @Test
    void clearTaskSetAbortsTheLunsTasksOfEverySessionAndTellsTheOthers() {
        loggedIn(new TextParameters());
        EmbeddedChannel firstChannel = channel;
        Initiator first = initiator;
        first.send(command(new byte[] {(byte) 0xc0, 0, 0, 0, 0, 0}, 0, false, false));
        ScsiCommandPdu otherLun = command(new byte[] {(byte) 0xc0, 0, 0, 0, 0, 0}, 0, false, false);
        otherLun.lun(0x0001000000000000L);
        first.send(otherLun);

        connect(TransportSettings.defaults());
        initiator.isid = 0x23d000000002L;
        initiator.cmdSn = initiator.login(Initiator.normalLogin(TARGET)).expCmdSn();
        initiator.send(command(new byte[] {(byte) 0xc0, 0, 0, 0, 0, 0}, 0, false, false)); // its own task too
        FakeNexus second = registry.fake(TARGET).nexuses.get(1);
        TaskMgmtRequestPdu clear = tmf(0x779, TaskMgmtRequestPdu.CLEAR_TASK_SET);
        initiator.send(clear);
        assertTrue(initiator.receive().isEmpty(), "waits until scsi-core finished every task of LUN 0");

        nexus().hanging.get(0).complete(ScsiResponse.good());
        firstChannel.runPendingTasks();
        channel.runPendingTasks();
        assertTrue(initiator.receive().isEmpty(), "its own task is still running");
        second.hanging.get(0).complete(ScsiResponse.good());
        channel.runPendingTasks();
        TaskMgmtResponsePdu done = assertInstanceOf(TaskMgmtResponsePdu.class, initiator.receiveOne(),
                "no response for its own aborted task, only the TMF's");
        assertEquals(TaskMgmtResponsePdu.FUNCTION_COMPLETE, done.response());
        assertTrue(first.receive().isEmpty(), "the other session's aborted task gets no status (TAS=0)");
        assertEquals(List.of(0L), nexus().clearedByOthers, "the other nexus hears COMMANDS CLEARED BY ANOTHER INITIATOR");
        assertEquals(List.of(), second.clearedByOthers, "the requester does not");
        assertTrue(nexus().lunResets.isEmpty() && second.lunResets.isEmpty(), "no reset: reservations stay");

        nexus().hanging.get(1).complete(ScsiResponse.good());
        assertInstanceOf(ScsiResponsePdu.class, first.receiveOne(), "LUN 1's task set was not cleared");

        // A session that lost nothing hears nothing.
        initiator.send(tmf(0x77a, TaskMgmtRequestPdu.CLEAR_TASK_SET));
        assertEquals(TaskMgmtResponsePdu.FUNCTION_COMPLETE, ((TaskMgmtResponsePdu) initiator.receiveOne()).response());
        assertEquals(List.of(0L), nexus().clearedByOthers);
    }

    @Test
    void commandsWhoseDataTheBudgetsCannotHoldGetTaskSetFull() {
        TransportSettings settings = TransportSettings.defaults().withLimits(
                new ConnectionLimits(15, 30, 30, 100, 100, 0, 2L << 20, 3L << 20));
        SharedLimits shared = new SharedLimits(settings.limits());
        byte[] hang = {(byte) 0xc0, 0, 0, 0, 0, 0};
        connect(settings, new ParameterTable(settings, List.of("None")), shared);
        initiator.cmdSn = initiator.login(Initiator.normalLogin(TARGET)).expCmdSn();
        Initiator a = initiator;
        a.send(command(hang, 2 << 20, true, false)); // alone on its connection: always fits
        assertEquals(2L << 20, shared.dataBytes());
        a.send(command(hang, 512, true, false));
        ScsiResponsePdu full = assertInstanceOf(ScsiResponsePdu.class, a.receiveOne());
        assertEquals(ScsiResponse.TASK_SET_FULL, full.status(), "over the connection's 2 MiB");
        a.send(command(new byte[6], 0, false, false));
        assertEquals(ScsiResponse.GOOD, ((ScsiResponsePdu) a.receiveOne()).status(), "no data: no budget needed");

        connect(settings, new ParameterTable(settings, List.of("None")), shared);
        initiator.isid = 0x23d000000002L;
        initiator.cmdSn = initiator.login(Initiator.normalLogin(TARGET)).expCmdSn();
        Initiator b = initiator;
        b.send(command(hang, 512, true, false));
        b.send(command(hang, 1 << 20, true, false));
        assertEquals(ScsiResponse.TASK_SET_FULL, ((ScsiResponsePdu) b.receiveOne()).status(), "over the daemon's 3 MiB");
        assertEquals((2L << 20) + 512, shared.dataBytes());

        nexus().hanging.get(0).complete(ScsiResponse.good());
        assertInstanceOf(ScsiResponsePdu.class, a.receiveOne());
        assertEquals(512, shared.dataBytes(), "given back when the command is done");
        b.send(command(hang, 1 << 20, true, false));
        assertTrue(b.receive().isEmpty(), "admitted now: it hangs like the others");
        assertEquals(512 + (1 << 20), shared.dataBytes());
        channel.close();
        channel.runPendingTasks();
        assertEquals(0, shared.dataBytes(), "a closed connection gives back what its commands held");
    }

    @Test
    void clearAcaIsNotSupportedBecauseNoAcaEverExists() {
        loggedIn(new TextParameters());
        initiator.send(tmf(0x77b, TaskMgmtRequestPdu.CLEAR_ACA));
        assertEquals(TaskMgmtResponsePdu.FUNCTION_NOT_SUPPORTED,
                ((TaskMgmtResponsePdu) initiator.receiveOne()).response());
        initiator.send(tmf(0x77c, TaskMgmtRequestPdu.TASK_REASSIGN));
        assertEquals(TaskMgmtResponsePdu.TASK_REASSIGNMENT_NOT_SUPPORTED,
                ((TaskMgmtResponsePdu) initiator.receiveOne()).response());
    }

    private static TaskMgmtRequestPdu tmf(int itt, int function) {
        TaskMgmtRequestPdu pdu = new TaskMgmtRequestPdu();
        pdu.immediate(true);
        pdu.function(function);
        pdu.initiatorTaskTag(itt);
        pdu.referencedTaskTag(IscsiPdu.RESERVED_TAG);
        return pdu;
    }

    @Test
    void targetColdResetClosesTheSessionsAfterAnswering() {
        loggedIn(new TextParameters());
        TaskMgmtRequestPdu reset = tmf(0x778, TaskMgmtRequestPdu.TARGET_COLD_RESET);
        initiator.send(reset);
        assertEquals(TaskMgmtResponsePdu.FUNCTION_COMPLETE, ((TaskMgmtResponsePdu) initiator.receiveOne()).response());
        channel.runPendingTasks();
        assertFalse(channel.isOpen());
        assertEquals(1, nexus().targetResets);
    }

    @Test
    void aTextRequestContinuedOverTwoPdusIsAnsweredOnce() {
        loggedIn(new TextParameters());
        byte[] all = new TextParameters().add("MaxRecvDataSegmentLength", "16384").add("SendTargets", "").encode();
        TextRequestPdu part1 = new TextRequestPdu();
        part1.continueFlag(true);
        part1.immediate(true);
        part1.initiatorTaskTag(9);
        part1.targetTransferTag(IscsiPdu.RESERVED_TAG);
        part1.data(java.util.Arrays.copyOfRange(all, 0, 10));
        initiator.send(part1);
        TextResponsePdu ack = (TextResponsePdu) initiator.receiveOne();
        assertFalse(ack.finalFlag());
        assertEquals(0, ack.data().readableBytes());
        TextRequestPdu part2 = new TextRequestPdu();
        part2.finalFlag(true);
        part2.immediate(true);
        part2.initiatorTaskTag(9);
        part2.targetTransferTag(IscsiPdu.RESERVED_TAG);
        part2.data(java.util.Arrays.copyOfRange(all, 10, all.length));
        initiator.send(part2);
        TextResponsePdu answer = (TextResponsePdu) initiator.receiveOne();
        assertTrue(answer.finalFlag());
        assertEquals(TARGET, TextParameters.parse(answer.data()).get("TargetName"));
        assertEquals("16384", sessions.sessions().get(0).parameters().get("InitiatorMaxRecvDataSegmentLength"),
                "renegotiated in full feature phase, visible to management");
    }
}
