package io.jtgt.iscsi.session;

import io.jtgt.iscsi.login.LoginController;
import io.jtgt.iscsi.pdu.AsyncMessagePdu;
import io.jtgt.iscsi.login.LoginStatus;
import io.jtgt.iscsi.login.Negotiation;
import io.jtgt.iscsi.login.ParameterTable;
import io.jtgt.iscsi.pdu.CodecSettings;
import io.jtgt.iscsi.pdu.DataInPdu;
import io.jtgt.iscsi.pdu.DataOutPdu;
import io.jtgt.iscsi.pdu.InitiatorPdu;
import io.jtgt.iscsi.pdu.IscsiPdu;
import io.jtgt.iscsi.pdu.LoginRequestPdu;
import io.jtgt.iscsi.pdu.LoginResponsePdu;
import io.jtgt.iscsi.pdu.LogoutRequestPdu;
import io.jtgt.iscsi.pdu.LogoutResponsePdu;
import io.jtgt.iscsi.pdu.NopInPdu;
import io.jtgt.iscsi.pdu.ScsiResponsePdu;
import io.jtgt.iscsi.pdu.NopOutPdu;
import io.jtgt.iscsi.pdu.Opcode;
import io.jtgt.iscsi.pdu.PduFramingError;
import io.jtgt.iscsi.pdu.RejectPdu;
import io.jtgt.iscsi.pdu.ScsiCommandPdu;
import io.jtgt.iscsi.pdu.TargetPdu;
import io.jtgt.iscsi.pdu.TaskMgmtRequestPdu;
import io.jtgt.iscsi.pdu.TextRequestPdu;
import io.jtgt.iscsi.server.TransportSettings;
import io.jtgt.iscsi.session.CommandWindow.Admission;
import io.jtgt.scsi.api.NexusInfo;
import io.jtgt.scsi.api.ScsiResponse;
import io.jtgt.scsi.api.TaskAttribute;
import io.netty.buffer.ByteBuf;
import io.netty.channel.Channel;
import io.netty.channel.ChannelFutureListener;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.util.collection.IntObjectHashMap;
import io.netty.util.collection.IntObjectMap;
import io.netty.handler.timeout.IdleStateEvent;
import io.netty.handler.timeout.IdleStateHandler;
import io.netty.util.concurrent.ScheduledFuture;
import java.net.InetSocketAddress;
import java.net.SocketAddress;
import java.nio.channels.ClosedChannelException;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CancellationException;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.function.LongPredicate;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One iSCSI connection: the login phase, then the full feature phase of its session (RFC 7143
 * 4, 6, 7). All state lives on the channel's event loop; SCSI completions hop back here.
 * Protocol errors are answered with Reject PDUs; a broken stream closes this connection only.
 */
public final class IscsiConnection extends ChannelInboundHandlerAdapter {

    private static final Logger LOG = LoggerFactory.getLogger(IscsiConnection.class);
    private static final int RESERVED = IscsiPdu.RESERVED_TAG;
    /** RFC 7143 11.12.12: a login PDU's data segment is at most 8192 bytes (the default MaxRecvDataSegmentLength). */
    static final int LOGIN_MAX_DATA_SEGMENT = 8192;
    /** Output queued beyond which no new command runs (Data-In must drain to the low mark first). */
    public static final io.netty.channel.WriteBufferWaterMark WATER_MARK =
            new io.netty.channel.WriteBufferWaterMark(1 << 20, 4 << 20);

    private final ConnectionContext context;
    private final CodecSettings codec;
    private final LoginController login;
    /** By ITT; a primitive-keyed map: no Integer and no node per command. */
    private final IntObjectHashMap<ScsiTask> tasks = new IntObjectHashMap<>();
    private final DataOutTransfers transfers = new DataOutTransfers(this);

    private Channel channel;
    private final DataInPdu spareDataIn = new DataInPdu();
    private final ScsiResponsePdu spareResponse = new ScsiResponsePdu();
    /** Our limits: the daemon's until login, then those of the session's target. */
    private TransportSettings settings;
    /** The remote address counted in the shared limits, or null when not counted. */
    private java.net.InetAddress counted;
    /** Too many connections from this address: the login is answered "out of resources". */
    private boolean refuseLogin;
    /** Bytes of command data the running commands of this connection hold (their reservations). */
    private long dataHeld;
    /** The connection is gone and gave back all it held. */
    private boolean dataReleased;
    /** Commands received and admitted but not started yet (the output is not draining), in order. */
    private final java.util.ArrayDeque<ScsiTask> waiting = new java.util.ArrayDeque<>();
    /** Answered tasks to serve later commands (loop only; see {@link ScsiTask#reusable()}). */
    private final java.util.ArrayDeque<ScsiTask> spareTasks = new java.util.ArrayDeque<>();
    /** Enough spares for the deepest queue an initiator keeps; more go to the garbage collector. */
    private static final int SPARE_TASKS = 256;
    private ScheduledFuture<?> pingTimeout;
    /** While output does not drain: bytesBeforeWritable at the last look, or -1. */
    private long stalledAt = -1;
    private IscsiSession session;
    private Negotiation params;
    private int statSn;
    private int inFlight;
    private volatile int inFlightView;
    private boolean closed;
    private ScheduledFuture<?> loginTimeout;
    private TextExchange text;
    /** The TTT of our unanswered NOP-In ping, or 0xffffffff. */
    private int pingTag = RESERVED;
    /** We sent AsyncEvent 1: new SCSI commands are rejected until the initiator logs out. */
    private boolean logoutRequested;

    public IscsiConnection(ConnectionContext context, CodecSettings codec) {
        this.context = context;
        this.codec = codec;
        this.login = new LoginController(context.login());
        this.settings = context.settings();
    }

    // ---------------------------------------------------------------- channel events

    @Override
    public void channelActive(ChannelHandlerContext ctx) throws Exception {
        channel = ctx.channel();
        java.net.InetAddress remote = channel.remoteAddress() instanceof InetSocketAddress inet ? inet.getAddress()
                : java.net.InetAddress.getLoopbackAddress();
        switch (context.shared().opened(remote)) {
            case CLOSE -> {
                LOG.debug("{}: {} connections open, closing a new one", remote, context.shared().limits().maxConnections());
                closed = true;
                ctx.close();
                return;
            }
            case REFUSE_LOGIN -> refuseLogin = true;
            case ACCEPT -> { }
            default -> throw new IllegalStateException();
        }
        counted = remote;
        int seconds = refuseLogin ? Math.min(REFUSED_LOGIN_SECONDS, context.shared().limits().loginTimeoutSeconds())
                : context.shared().limits().loginTimeoutSeconds();
        loginTimeout = ctx.executor().schedule(() -> {
            if (session == null && !closed) {
                LOG.info("{}: no login within {} s, closing", channel.remoteAddress(), seconds);
                closed = true;
                channel.close();
            }
        }, seconds, TimeUnit.SECONDS);
        super.channelActive(ctx);
    }

    @Override
    public void handlerAdded(ChannelHandlerContext ctx) {
        channel = ctx.channel();
        codec.maxRecvDataSegmentLength(LOGIN_MAX_DATA_SEGMENT);
    }

    @Override
    public void channelRead(ChannelHandlerContext ctx, Object msg) {
        if (msg instanceof PduFramingError error) {
            LOG.warn("{}: {}; closing connection", channel.remoteAddress(), error.message());
            if (session != null && !closed && error.headerTrusted()) {
                channel.write(reject(error.header(), error.reason()));
            }
            closeAfterFlush();
            return;
        }
        if (!(msg instanceof IscsiPdu pdu)) {
            io.netty.util.ReferenceCountUtil.release(msg);
            return;
        }
        try {
            if (LOG.isTraceEnabled()) {
                LOG.trace("{} <- {} bhs={}", channel.remoteAddress(), pdu, io.netty.buffer.ByteBufUtil.hexDump(pdu.bhsBytes()));
            }
            if (closed) {
                return;
            }
            pingTag = RESERVED; // any PDU shows the initiator is alive
            if (session == null) {
                loginPhase(pdu);
            } else {
                fullFeaturePhase(pdu);
            }
        } catch (ProtocolViolation.TaskViolation e) {
            taskError(pdu, e);
        } catch (ProtocolViolation e) {
            protocolError(pdu, e.reason, e.getMessage());
        } catch (RuntimeException e) {
            context.shared().internalError();
            LOG.error("{}: failed to handle {}", channel.remoteAddress(), pdu, e);
            protocolError(pdu, RejectPdu.PROTOCOL_ERROR, "internal error: " + e);
        } finally {
            pdu.release();
        }
    }

    @Override
    public void channelReadComplete(ChannelHandlerContext ctx) {
        ctx.flush();
    }

    @Override
    public void channelInactive(ChannelHandlerContext ctx) throws Exception {
        closed = true;
        if (counted != null) {
            context.shared().closed(counted);
            counted = null;
        }
        if (loginTimeout != null) {
            loginTimeout.cancel(false);
        }
        if (pingTimeout != null) {
            pingTimeout.cancel(false);
        }
        if (session != null) {
            session.window().drainAll(); // releases commands still waiting for a CmdSN gap
        }
        ClosedChannelException cause = new ClosedChannelException();
        for (ScsiTask task : tasks.values()) {
            task.dropData(() -> cause);
            task.requestAbort();
            if (task.aborted() && !task.responded) {
                // Nothing will be answered on this connection any more: a pending abort is done.
                Runnable completion = task.abortCompletion;
                task.abortCompletion = () -> { };
                completion.run();
            }
        }
        tasks.clear();
        transfers.clear();
        // What is still in flight to scsi-core no longer counts against the budgets.
        if (dataHeld > 0) {
            context.shared().releaseData(dataHeld);
            dataHeld = 0;
        }
        dataReleased = true;
        waiting.clear();
        if (session != null) {
            endSession();
            LOG.debug("{}: {} ended", channel.remoteAddress(), session);
        }
        super.channelInactive(ctx);
    }

    /**
     * Idle connection: ping with a NOP-In carrying a Target Transfer Tag, which the initiator must
     * echo in a NOP-Out (RFC 7143 11.19.2). Still nothing after another idle period: the
     * initiator is gone; closing the connection ends its I_T nexus.
     */
    @Override
    public void userEventTriggered(ChannelHandlerContext ctx, Object event) throws Exception {
        if (!(event instanceof IdleStateEvent) || session == null || closed) {
            super.userEventTriggered(ctx, event);
            return;
        }
        if (pingTag != RESERVED) {
            return; // the ping before this one is still within its timeout
        }
        int tag = transfers.allocateTag();
        pingTag = tag;
        NopInPdu ping = new NopInPdu();
        ping.initiatorTaskTag(RESERVED);
        ping.targetTransferTag(tag);
        send(ping, false); // StatSN carried, not advanced (RFC 7143 11.19.3)
        channel.flush();
        int timeout = settings.limits().nopInTimeoutSeconds();
        pingTimeout = ctx.executor().schedule(() -> {
            if (!closed && pingTag == tag) {
                drop("no answer to NOP-In for " + timeout + " s");
            }
        }, timeout, TimeUnit.SECONDS);
    }

    /**
     * The output queue passed a water mark. Above the high one no new command runs (the commands
     * wait in order, see {@link #scsiCommand}); an initiator that reads nothing for the NOP-In
     * timeout is gone as far as we are concerned (I_T nexus loss frees its tasks and data).
     */
    @Override
    public void channelWritabilityChanged(ChannelHandlerContext ctx) throws Exception {
        if (channel.isWritable()) {
            stalledAt = -1;
            runWaiting();
        } else if (stalledAt < 0 && !closed) {
            stalledAt = channel.bytesBeforeWritable();
            watchStall(ctx);
        }
        super.channelWritabilityChanged(ctx);
    }

    private void watchStall(ChannelHandlerContext ctx) {
        int timeout = settings.limits().nopInTimeoutSeconds();
        ctx.executor().schedule(() -> {
            if (closed || stalledAt < 0 || channel.isWritable()) {
                return;
            }
            long now = channel.bytesBeforeWritable();
            if (now >= stalledAt) {
                drop("initiator read nothing of " + now + " queued bytes for " + timeout + " s");
                return;
            }
            stalledAt = now;
            watchStall(ctx);
        }, timeout, TimeUnit.SECONDS);
    }

    @Override
    public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
        if (cause instanceof java.io.IOException) {
            LOG.debug("{}: {}", channel.remoteAddress(), cause.toString());
        } else {
            context.shared().internalError();
            LOG.warn("{}: closing after error", channel.remoteAddress(), cause);
        }
        ctx.close();
    }

    /**
     * Runs {@code task} on this connection's event loop, or {@code orElse} if that is gone. A
     * failure inside {@code task} is a bug of ours: it closes this connection only (the loop and
     * the other connections on it go on).
     */
    void runOnLoop(Runnable task, Runnable orElse) {
        Channel ch = channel;
        if (ch == null) {
            orElse.run();
            return;
        }
        if (ch.eventLoop().inEventLoop()) {
            runGuarded(ch, task);
            return;
        }
        try {
            ch.eventLoop().execute(() -> runGuarded(ch, task));
        } catch (java.util.concurrent.RejectedExecutionException e) {
            orElse.run();
        }
    }

    private void runGuarded(Channel ch, Runnable task) {
        try {
            task.run();
        } catch (RuntimeException | Error e) {
            internalError(ch, e);
        }
    }

    // ---------------------------------------------------------------- login phase

    private void loginPhase(IscsiPdu pdu) {
        if (!(pdu instanceof LoginRequestPdu request)) {
            // RFC 7143 6.3, 11.13.5: only Login Requests before the login completes; anything
            // else ends the login with "invalid request during login".
            LOG.info("{}: {} before login completed, closing", channel.remoteAddress(), pdu);
            channel.write(login.refuse(null, LoginStatus.INVALID_DURING_LOGIN));
            closeAfterFlush();
            return;
        }
        if (refuseLogin) {
            LOG.info("{}: more than {} connections from this address, login refused", channel.remoteAddress(),
                    context.shared().limits().maxConnectionsPerAddress());
            channel.write(login.refuse(request, LoginStatus.OUT_OF_RESOURCES));
            closeAfterFlush();
            return;
        }
        LoginController.Step step = login.handle(request);
        LoginResponsePdu response = step.response();
        switch (step.outcome()) {
            case CONTINUE -> channel.write(response);
            case FAILED -> {
                LOG.info("{}: login failed (status 0x{}): {}", channel.remoteAddress(),
                        String.format("%04x", response.status()), step.failureReason());
                channel.write(response);
                closeAfterFlush();
            }
            case COMPLETE -> completeLogin(response);
            default -> throw new IllegalStateException();
        }
    }

    private void completeLogin(LoginResponsePdu response) {
        params = login.negotiation();
        settings = login.settings();
        IscsiSession created = new IscsiSession(login.tsih(), login.isid(), login.initiatorName(), login.target(),
                login.tpgt(), channel, new CommandWindow(login.cmdSn(), settings.queueDepth()));
        created.parameters(params.snapshot());
        created.connection(this);
        if (created.target() != null) {
            try {
                created.nexus(created.target().connect(new NexusInfo(login.initiatorName(), login.isid(),
                        login.tsih(), login.tpgt(), address(channel.remoteAddress()), address(channel.localAddress()),
                        created::parameters, () -> inFlightView,
                        lunField -> abortTasks(lun -> lun == lunField).thenApply(aborted -> (Void) null),
                        created::requestLogout))); // jtgt:session-logout: RFC 7143 11.9.1 AsyncEvent 1
            } catch (RuntimeException e) {
                context.shared().internalError();
                LOG.error("{}: target {} refused the I_T nexus", channel.remoteAddress(), created.target().name(), e);
                context.sessions().release(login.tsih());
                response.release();
                response.status(LoginStatus.TARGET_ERROR);
                response.transit(false);
                response.stages(response.currentStage(), 0);
                channel.write(response);
                closeAfterFlush();
                return;
            }
        }
        for (IscsiSession old : context.sessions().register(created)) {
            LOG.info("{}: reinstating {}", channel.remoteAddress(), old);
            old.terminate();
        }
        session = created;
        statSn = login.nextStatSn();
        if (loginTimeout != null) {
            loginTimeout.cancel(false);
        }
        channel.write(response);
        int nopIn = settings.nopInIntervalSeconds();
        if (nopIn > 0) {
            channel.pipeline().addBefore(channel.pipeline().context(this).name(), "idle",
                    new IdleStateHandler(nopIn, 0, 0, TimeUnit.SECONDS));
        }
        // Digests start with the first PDU after the final Login Response (RFC 7143 13.1).
        codec.headerDigest("CRC32C".equals(params.value(ParameterTable.HEADER_DIGEST)));
        codec.dataDigest("CRC32C".equals(params.value(ParameterTable.DATA_DIGEST)));
        codec.maxRecvDataSegmentLength(settings.maxRecvDataSegmentLength()); // what we declared
        LOG.info("{}: {} logged in, {}", channel.remoteAddress(), session, params);
    }

    private static String address(SocketAddress address) {
        if (address instanceof InetSocketAddress inet) {
            String host = inet.getAddress() == null ? inet.getHostString() : inet.getAddress().getHostAddress();
            return (host.contains(":") ? "[" + host + "]" : host) + ":" + inet.getPort();
        }
        return String.valueOf(address);
    }

    // ---------------------------------------------------------------- full feature phase

    private void fullFeaturePhase(IscsiPdu pdu) {
        if (pdu.dataDigestError()) {
            // RFC 7143 7.8: Reject with Data-Digest-Error. At ErrorRecoveryLevel 0 there is no
            // recovery R2T or SNACK (7.1.5): the session is dropped (MaxConnections=1, so closing
            // the connection ends it), which fails the task waiting for this data.
            throw new ProtocolViolation(RejectPdu.DATA_DIGEST_ERROR, "data digest error on opcode 0x"
                    + Integer.toHexString(pdu.opcode()) + " ITT 0x" + Integer.toHexString(pdu.initiatorTaskTag())
                    + " (ERL 0: session dropped)");
        }
        switch (pdu.opcode()) {
            case Opcode.DATA_OUT -> transfers.dataOut((DataOutPdu) pdu);
            case Opcode.SCSI_COMMAND, Opcode.NOP_OUT, Opcode.TASK_MGMT_REQUEST, Opcode.TEXT_REQUEST,
                    Opcode.LOGOUT_REQUEST -> ordered((InitiatorPdu) pdu);
            case Opcode.LOGIN_REQUEST -> throw new ProtocolViolation(RejectPdu.PROTOCOL_ERROR,
                    "Login Request in full feature phase");
            case Opcode.SNACK_REQUEST -> reject(pdu, RejectPdu.SNACK_REJECT); // no SNACK at ERL 0
            default -> {
                LOG.debug("{}: unsupported opcode 0x{}", channel.remoteAddress(), Integer.toHexString(pdu.opcode()));
                reject(pdu, RejectPdu.COMMAND_NOT_SUPPORTED);
            }
        }
    }

    /** Passes a numbered request through the CmdSN window (RFC 7143 4.2.2.1). */
    private void ordered(InitiatorPdu pdu) {
        CommandWindow window = session.window();
        int cmdSn = pdu.cmdSn();
        if (pdu.immediate() && pdu.opcode() == Opcode.SCSI_COMMAND && inFlight >= settings.queueDepth()) {
            // Immediate commands bypass the CmdSN window; they must not bypass the queue depth.
            reject(pdu, RejectPdu.IMMEDIATE_COMMAND_REJECT);
            return;
        }
        Admission admission = window.admit(cmdSn, pdu.immediate());
        switch (admission) {
            case DROP -> LOG.debug("{}: CmdSN {} outside [{}, {}], ignored", channel.remoteAddress(),
                    Integer.toUnsignedString(cmdSn), Integer.toUnsignedString(window.expCmdSn()),
                    Integer.toUnsignedString(window.maxCmdSn()));
            case HELD -> window.hold(cmdSn, heldDelivery(pdu));
            case DELIVER -> {
                deliver(pdu);
                window.drainHeld();
            }
            default -> throw new IllegalStateException();
        }
    }

    /**
     * A delivery that keeps the PDU (and its data: channelRead releases the original) alive while
     * it waits for an earlier CmdSN. The PDU is marked kept so the decoder does not refill it.
     */
    private Runnable heldDelivery(InitiatorPdu pdu) {
        pdu.keep();
        ByteBuf kept = pdu.data().retainedDuplicate();
        return () -> {
            pdu.data(kept);
            try {
                deliver(pdu);
            } catch (ProtocolViolation e) {
                protocolError(pdu, e.reason, e.getMessage());
            } finally {
                pdu.release();
            }
        };
    }

    private void deliver(InitiatorPdu pdu) {
        if (closed) {
            return;
        }
        switch (pdu.opcode()) {
            case Opcode.SCSI_COMMAND -> scsiCommand((ScsiCommandPdu) pdu);
            case Opcode.NOP_OUT -> nopOut((NopOutPdu) pdu);
            case Opcode.TASK_MGMT_REQUEST -> taskManagement((TaskMgmtRequestPdu) pdu);
            case Opcode.TEXT_REQUEST -> textRequest((TextRequestPdu) pdu);
            case Opcode.LOGOUT_REQUEST -> logout((LogoutRequestPdu) pdu);
            default -> throw new IllegalStateException("not an ordered request: " + pdu);
        }
    }

    // ---------------------------------------------------------------- NOP

    /** RFC 7143 11.18: a NOP-Out with a real ITT is a ping to answer; 0xffffffff needs no answer. */
    private void nopOut(NopOutPdu pdu) {
        if (pdu.initiatorTaskTag() == RESERVED) {
            if (pdu.targetTransferTag() == pingTag) {
                pingTag = RESERVED; // the answer to our NOP-In ping
            }
            return;
        }
        NopInPdu reply = new NopInPdu();
        reply.lun(pdu.lun());
        reply.initiatorTaskTag(pdu.initiatorTaskTag());
        reply.targetTransferTag(RESERVED);
        reply.data(pdu.data().retainedDuplicate());
        send(reply, true);
    }

    // ---------------------------------------------------------------- SCSI commands

    private void scsiCommand(ScsiCommandPdu pdu) {
        if (session.discovery()) {
            throw new ProtocolViolation(RejectPdu.PROTOCOL_ERROR, "SCSI command in a discovery session");
        }
        if (logoutRequested) {
            // RFC 7143 11.9.1: after asking for a logout the target MAY reject new commands so.
            reject(pdu, RejectPdu.WAITING_FOR_LOGOUT);
            return;
        }
        int itt = pdu.initiatorTaskTag();
        ScsiTask existing = tasks.get(itt);
        if (existing != null && !existing.responded) {
            reject(pdu, RejectPdu.TASK_IN_PROGRESS);
            return;
        }
        int edtl = pdu.expectedDataTransferLength();
        int immediateLength = pdu.data().readableBytes();
        boolean write = pdu.write();
        if (immediateLength > 0) {
            if (!write) {
                throw new ProtocolViolation(RejectPdu.INVALID_PDU_FIELD, "data with a command without W bit");
            }
            if (!params.boolValue(ParameterTable.IMMEDIATE_DATA)) {
                throw new ProtocolViolation(RejectPdu.PROTOCOL_ERROR, "immediate data while ImmediateData=No");
            }
        }
        int firstBurst = params.intValue(ParameterTable.FIRST_BURST_LENGTH);
        boolean initialR2t = params.boolValue(ParameterTable.INITIAL_R2T);
        int unsolicitedLimit = 0;
        if (write) {
            // RFC 7143 13.13/13.14: immediate data, and unsolicited Data-Out if InitialR2T=No, up
            // to FirstBurstLength in total.
            unsolicitedLimit = Integer.min(Integer.compareUnsigned(edtl, firstBurst) < 0 ? edtl : firstBurst,
                    initialR2t ? immediateLength : firstBurst);
            if (immediateLength > unsolicitedLimit || Integer.compareUnsigned(immediateLength, edtl) > 0) {
                throw new ProtocolViolation(RejectPdu.PROTOCOL_ERROR, "immediate data of " + immediateLength
                        + " bytes exceeds FirstBurstLength/ExpectedDataTransferLength");
            }
            if (!pdu.finalFlag() && initialR2t) {
                throw new ProtocolViolation(RejectPdu.PROTOCOL_ERROR, "unsolicited Data-Out announced while InitialR2T=Yes");
            }
        }
        if (existing != null) {
            transfers.forget(existing); // a finished task still draining unsolicited data: the ITT is reused
        }
        ScsiTask task = spareTasks.poll();
        if (task == null) {
            task = new ScsiTask(this);
        }
        byte[] cdb = Cdbs.cdb(pdu, task.cdbArray());
        task.init(itt, pdu.cmdSn(), pdu.lun(), cdb, attribute(pdu.taskAttribute()), edtl, pdu.read(), write);
        boolean admitted = reserveData(task);
        if (write) {
            task.unsolicitedLimit = unsolicitedLimit;
            task.unsolicitedDone = pdu.finalFlag() || immediateLength >= unsolicitedLimit;
            if (!admitted) {
                task.discarding = true; // its unsolicited data is drained, not kept
            } else if (immediateLength > 0) {
                transfers.place(task, pdu.data(), 0);
            }
        }
        tasks.put(itt, task);
        inFlight++;
        inFlightView = inFlight;
        if (!admitted) {
            // SAM-5 5.3.x: the data this command would hold exceeds what this connection or the
            // whole daemon may hold now; the initiator retries later, as for any TASK SET FULL.
            task.accept(TASK_SET_FULL, null);
            return;
        }
        waiting.add(task);
        runWaiting();
    }

    private static final ScsiResponse TASK_SET_FULL = new ScsiResponse(ScsiResponse.TASK_SET_FULL, new byte[0], null);

    /**
     * Reserves the data a command may hold — its ExpectedDataTransferLength, Data-Out gathered or
     * Data-In produced — in this connection's budget and the daemon's ({@link
     * io.jtgt.iscsi.server.ConnectionLimits}). A command alone on its connection always fits the
     * connection's budget (at most the whole budget is counted); false when either budget is full.
     */
    private boolean reserveData(ScsiTask task) {
        long perConnection = settings.limits().maxDataBytesPerConnection();
        long need = Math.min(Integer.toUnsignedLong(task.edtl), perConnection);
        if (need == 0) {
            return true;
        }
        if ((dataHeld > 0 && dataHeld + need > perConnection) || !context.shared().reserveData(need)) {
            return false;
        }
        dataHeld += need;
        task.dataHeld = need;
        return true;
    }

    /** Gives back what {@code task} reserved (once; nothing after the connection released all). */
    private void releaseData(ScsiTask task) {
        long held = task.dataHeld;
        task.dataHeld = 0;
        if (held > 0 && !dataReleased) {
            dataHeld -= held;
            context.shared().releaseData(held);
        }
    }

    /**
     * Starts the received commands in order while the initiator reads what we send: above the
     * output high-water mark none starts ({@link #channelWritabilityChanged} resumes), so a reader
     * that does not drain cannot make us produce Data-In without end.
     */
    private void runWaiting() {
        while (!closed && channel.isWritable() && !waiting.isEmpty()) {
            ScsiTask task = waiting.poll();
            try {
                session.nexus().execute(task, task); // the task itself is the callback: no stage per command
            } catch (RuntimeException e) {
                task.accept(null, e);
            }
        }
    }

    /**
     * scsi-core finished {@code task} (any thread): {@link #scsiDone} on this connection's loop,
     * without a task hop when already there. A failure inside is a bug of ours and closes this
     * connection only, as in {@link #runOnLoop}.
     */
    void completeOnLoop(ScsiTask task) {
        Channel ch = channel;
        if (ch != null && ch.eventLoop().inEventLoop()) {
            finish(task);
            return;
        }
        try {
            if (ch == null) {
                throw new java.util.concurrent.RejectedExecutionException("no channel");
            }
            ch.eventLoop().execute(task);
        } catch (java.util.concurrent.RejectedExecutionException e) {
            ByteBuf data = task.takeData();
            if (data != null) {
                data.release();
            }
        }
    }

    /** On the loop: the task's outcome goes out (see {@link #completeOnLoop}). */
    void finish(ScsiTask task) {
        try {
            scsiDone(task, task.takeData(), task.takeError());
        } catch (RuntimeException | Error e) {
            internalError(channel, e);
        }
    }

    /** A bug of ours surfaced on the loop: counted, logged, and only this connection closes. */
    private void internalError(Channel ch, Throwable e) {
        context.shared().internalError();
        LOG.error("{}: internal error, closing the connection", ch.remoteAddress(), e);
        closed = true;
        ch.close();
    }

    private static TaskAttribute attribute(int attr) {
        return switch (attr) {
            case 2 -> TaskAttribute.ORDERED;
            case 3 -> TaskAttribute.HEAD_OF_QUEUE;
            case 4 -> TaskAttribute.ACA;
            default -> TaskAttribute.SIMPLE; // 0 untagged is treated as simple (RFC 7143 11.3.1.3)
        };
    }

    /**
     * scsi-core answered (on the event loop): the outcome is in {@code task} ({@link
     * ScsiTask#status()}, {@link ScsiTask#sense()}), its Data-In is {@code data}; or it failed
     * ({@code error}), or the task never ran ({@code data} and {@code error} null, {@code ran} false).
     */
    private void scsiDone(ScsiTask task, ByteBuf data, Throwable error) {
        scsiDone(task, data, error, true);
    }

    private void scsiDone(ScsiTask task, ByteBuf data, Throwable error, boolean ran) {
        try {
            if (closed || task.responded) {
                return;
            }
            task.responded = true;
            inFlight--;
            inFlightView = inFlight;
            // Data-Out still in flight is drained and dropped; R2Ts are withdrawn.
            transfers.withdraw(task, () -> new CancellationException("command completed before its data arrived"));
            if (task.unsolicitedDone) {
                removeTask(task);
            }
            if (task.aborted()) {
                releaseData(task);
                task.abortCompletion.run(); // RFC 7143 11.5.1: no response for an aborted task
                return;
            }
            if (error != null || !ran) {
                releaseData(task);
                context.shared().internalError();
                LOG.error("{}: {} failed in the SCSI layer", channel.remoteAddress(), task, error);
                ResponseWriter.failure(this, task);
                return;
            }
            if (data == null || !task.readsData() || belowWaterMark(data)) {
                releaseData(task); // Data-Out went to scsi-core and is done with, or see belowWaterMark
            }
            io.netty.channel.ChannelFuture sent = ResponseWriter.respond(this, task, task.status(), task.sense(), data);
            data = null; // ownership passed
            if (task.dataHeld > 0) {
                sent.addListener(f -> releaseData(task)); // Data-In counts until it left for the socket
            } else if (task.reusable() && spareTasks.size() < SPARE_TASKS) {
                spareTasks.add(task); // nothing holds it any more: the next command's
            }
        } finally {
            if (data != null) {
                data.release();
            }
            channel.flush();
        }
    }

    /**
     * Data-In that still leaves this connection below its high-water mark ({@link #WATER_MARK}) is
     * bounded by that mark until the socket takes it: its budget can go back at once, and the write
     * needs no promise to watch (steady-state garbage). Above the mark the budget stays held until
     * the Data-In has left, so a reader that does not drain holds its budget.
     */
    private boolean belowWaterMark(ByteBuf data) {
        return data.readableBytes() + BHS_ALLOWANCE < channel.bytesBeforeUnwritable();
    }

    /** Room for the headers of the Data-In PDUs and the SCSI Response that carry the data. */
    private static final int BHS_ALLOWANCE = 64 << 10;

    // ---------------------------------------------------------------- text, logout, TMF

    private void textRequest(TextRequestPdu pdu) {
        if (text == null) {
            text = new TextExchange(this, context.discovery());
        }
        text.request(pdu);
    }

    private void logout(LogoutRequestPdu pdu) {
        LogoutResponsePdu response = new LogoutResponsePdu();
        response.initiatorTaskTag(pdu.initiatorTaskTag());
        int reason = pdu.reasonCode();
        boolean close = false;
        if (reason == LogoutRequestPdu.CLOSE_SESSION) {
            response.response(LogoutResponsePdu.CLOSED_SUCCESSFULLY);
            close = true;
        } else if (reason == LogoutRequestPdu.CLOSE_CONNECTION) {
            if (pdu.cid() == login.cid()) {
                response.response(LogoutResponsePdu.CLOSED_SUCCESSFULLY);
                close = true;
            } else {
                response.response(LogoutResponsePdu.CID_NOT_FOUND);
            }
        } else if (reason == LogoutRequestPdu.REMOVE_CONNECTION_FOR_RECOVERY) {
            response.response(LogoutResponsePdu.RECOVERY_NOT_SUPPORTED); // ERL 0 (RFC 7143 11.15.1)
        } else {
            throw new ProtocolViolation(RejectPdu.INVALID_PDU_FIELD, "logout reason " + reason);
        }
        if (response.response() == LogoutResponsePdu.CLOSED_SUCCESSFULLY) {
            response.time2Wait(params.intValue(ParameterTable.DEFAULT_TIME2WAIT));
            response.time2Retain(0); // ERL 0: no task reassignment
        }
        if (close && session != null && tasks.isEmpty()) {
            // The session ends with this logout (MaxConnections=1), and its I_T nexus loss (PREVENT
            // MEDIUM REMOVAL cleared, reservations released, unit attentions) must be in effect before the
            // initiator reads the response and logs in again: the close of this socket may be
            // handled on this loop after the next connection's first commands on another.
            endSession(); // idempotent: channelInactive's is then a no-op
        }
        send(response, true);
        if (close) {
            LOG.debug("{}: logout of {}", channel.remoteAddress(), session);
            closeAfterFlush();
        }
    }

    /** I_T nexus loss: the session leaves the registry and its nexus closes (idempotent). */
    private void endSession() {
        context.sessions().unregister(session);
        session.close();
    }

    /**
     * Asks the initiator to log out (RFC 7143 11.9.1, AsyncEvent 1) within {@code seconds}
     * (Parameter3), e.g. because its target was removed; closes the connection if it has not by
     * then. Any thread; a second request while one is pending is ignored.
     */
    void requestLogout(int seconds) {
        runOnLoop(() -> {
            if (closed || session == null || logoutRequested) {
                return;
            }
            logoutRequested = true;
            AsyncMessagePdu message = new AsyncMessagePdu();
            message.asyncEvent(AsyncMessagePdu.LOGOUT_REQUESTED);
            message.parameters(0, 0, seconds);
            send(message, true); // an Async Message carries and advances StatSN like any status
            channel.flush();
            LOG.info("{}: asked {} to log out within {} s", channel.remoteAddress(), session, seconds);
            channel.eventLoop().schedule(() -> {
                if (!closed) {
                    LOG.info("{}: no logout within {} s, closing {}", channel.remoteAddress(), seconds, session);
                    closeAfterFlush();
                }
            }, seconds, TimeUnit.SECONDS);
        }, () -> { });
    }

    private void taskManagement(TaskMgmtRequestPdu pdu) {
        new TaskManagement(this).handle(pdu);
    }

    // ---------------------------------------------------------------- helpers used by collaborators

    IntObjectMap<ScsiTask> tasks() {
        return tasks;
    }

    /** Removes {@code task} if it still holds its ITT (a reused ITT may belong to a newer task). */
    void removeTask(ScsiTask task) {
        if (tasks.get(task.itt) == task) {
            tasks.remove(task.itt);
        }
    }

    IscsiSession session() {
        return session;
    }

    Negotiation params() {
        return params;
    }

    Channel channel() {
        return channel;
    }

    ConnectionContext context() {
        return context;
    }

    int allocateTag() {
        return transfers.allocateTag();
    }

    /** scsi-core asked for a command's Data-Out (any thread). */
    /**
     * scsi-core asks for {@code task}'s Data-Out (any thread). Usually it asks from the handler
     * this loop runs: then it is served at once, without task objects (steady-state garbage).
     */
    void requestData(ScsiTask task, int length, java.util.function.BiConsumer<? super ByteBuf, ? super Throwable> then) {
        Channel ch = channel;
        if (ch != null && ch.eventLoop().inEventLoop()) {
            try {
                transfers.receiveData(task, length, then);
            } catch (RuntimeException | Error e) {
                internalError(ch, e);
            }
            return;
        }
        runOnLoop(() -> transfers.receiveData(task, length, then),
                () -> then.accept(null, new IllegalStateException("connection closed")));
    }

    /** Aborts the live tasks on matching LUNs; see {@link #abortTasks(java.util.function.Predicate, LongPredicate)}. */
    CompletableFuture<Integer> abortTasks(LongPredicate lun) {
        return abortTasks(task -> true, lun);
    }

    /**
     * Aborts (on this connection's loop, from any thread) every live task matching both
     * predicates: its Data-Out is cancelled and its SCSI outcome will be swallowed. Completes
     * once scsi-core has finished all of them (or at once when the connection is gone), with how
     * many tasks were aborted.
     */
    CompletableFuture<Integer> abortTasks(java.util.function.Predicate<ScsiTask> which, LongPredicate lun) {
        CompletableFuture<Integer> done = new CompletableFuture<>();
        runOnLoop(() -> {
            List<ScsiTask> victims = new ArrayList<>();
            if (!closed) {
                for (ScsiTask task : tasks.values()) {
                    if (!task.responded && which.test(task) && lun.test(task.lunField())) {
                        victims.add(task);
                    }
                }
            }
            if (victims.isEmpty()) {
                done.complete(0);
                return;
            }
            int[] remaining = {victims.size()};
            for (ScsiTask task : victims) {
                Runnable earlier = task.abortCompletion;
                task.abortCompletion = () -> {
                    if (earlier != null) {
                        earlier.run();
                    }
                    if (--remaining[0] == 0) {
                        done.complete(victims.size());
                    }
                };
                transfers.withdraw(task, () -> new CancellationException("task aborted"));
                task.requestAbort();
                if (waiting.remove(task)) {
                    scsiDone(task, null, null, false); // never started: nothing of scsi-core to wait for
                }
            }
        }, () -> done.complete(0));
        return done;
    }

    TransportSettings settings() {
        return settings;
    }

    boolean isClosed() {
        return closed;
    }

    /** The StatSN the next status will carry (R2T and Data-In show it without using it). */
    int nextStatSn() {
        return statSn;
    }

    /** Fills ExpCmdSN/MaxCmdSN with the current window. */
    void numbers(TargetPdu pdu) {
        CommandWindow window = session.window();
        window.update(inFlight);
        pdu.expCmdSn(window.expCmdSn());
        pdu.maxCmdSn(window.maxCmdSn());
    }

    /** Sends a response PDU, consuming a StatSN when {@code status} is true. */
    void send(TargetPdu pdu, boolean status) {
        send(pdu, status, false);
    }

    /**
     * Sends a response PDU, consuming a StatSN when {@code status} is true; when {@code watched},
     * the returned future tells when it left for the socket (the only promise a command costs, and
     * only while it holds data of the budget), otherwise it is the void promise and takes no listener.
     */
    /**
     * A Data-In PDU to fill and {@link #send}. On the connection's loop it is the same one each
     * time (renewed): a PDU sent from the loop has been encoded, and is no longer referenced, by the
     * time {@code send} returns. Elsewhere a new one.
     */
    DataInPdu dataInPdu() {
        if (channel != null && channel.eventLoop().inEventLoop()) {
            spareDataIn.renew();
            return spareDataIn;
        }
        return new DataInPdu();
    }

    /** A SCSI Response PDU to fill and {@link #send}; reused on the loop as {@link #dataInPdu()}. */
    ScsiResponsePdu scsiResponsePdu() {
        if (channel != null && channel.eventLoop().inEventLoop()) {
            spareResponse.renew();
            return spareResponse;
        }
        return new ScsiResponsePdu();
    }

    io.netty.channel.ChannelFuture send(TargetPdu pdu, boolean status, boolean watched) {
        pdu.statSn(status ? statSn++ : statSn);
        numbers(pdu);
        if (watched) {
            return channel.write(pdu);
        }
        // No promise per PDU (steady-state garbage): a failed write reaches exceptionCaught, which closes.
        return channel.write(pdu, channel.voidPromise());
    }

    private void reject(IscsiPdu pdu, int reason) {
        channel.write(reject(pdu.bhsBytes(), reason));
    }

    private RejectPdu reject(byte[] header, int reason) {
        RejectPdu reject = new RejectPdu();
        reject.reason(reason);
        reject.data(header);
        reject.statSn(statSn++);
        if (session != null) {
            numbers(reject);
        }
        return reject;
    }

    /** RFC 7143 7.1.3: a protocol error at ERL 0 ends the connection after a Reject. */
    private void protocolError(IscsiPdu pdu, int reason, String message) {
        LOG.warn("{}: protocol error ({}), closing connection: {}", channel.remoteAddress(), message, pdu);
        if (!closed && session != null) {
            reject(pdu, reason);
        }
        closeAfterFlush();
    }

    private void closeAfterFlush() {
        closed = true;
        closeAfterFlush(channel);
    }

    /** A connection whose login will be refused gets this long to ask for it. */
    private static final int REFUSED_LOGIN_SECONDS = 2;

    /** Seconds the last words (a Reject, a login failure) get to reach a peer that does not read. */
    static final int LAST_WORDS_SECONDS = 5;

    /** Flushes what is queued, then closes; a peer that reads nothing is closed on anyway. */
    static void closeAfterFlush(Channel channel) {
        channel.writeAndFlush(io.netty.buffer.Unpooled.EMPTY_BUFFER).addListener(ChannelFutureListener.CLOSE);
        channel.eventLoop().schedule(() -> {
            channel.close();
        }, LAST_WORDS_SECONDS, TimeUnit.SECONDS);
    }

    /** Ends the connection now (ERL 0: nothing is recovered), for a peer that stopped cooperating. */
    void drop(String why) {
        LOG.info("{}: {}, closing {}", channel.remoteAddress(), why, session);
        closed = true;
        channel.close();
    }


    private void taskError(IscsiPdu pdu, ProtocolViolation.TaskViolation e) {
        LOG.warn("{}: {} rejected, dropping {}: {}", channel.remoteAddress(), pdu, e.task, e.getMessage());
        reject(pdu, e.reason);
        ScsiTask task = e.task;
        removeTask(task);
        if (!task.responded && !task.aborted()) {
            task.abortCompletion = () -> { };
        }
        transfers.withdraw(task, () -> new CancellationException("task dropped after a protocol error"));
    }
}
