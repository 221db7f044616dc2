package io.jtgt.iscsi.session;

import io.jtgt.iscsi.login.LoginController;
import io.jtgt.iscsi.login.LoginStatus;
import io.jtgt.iscsi.login.Negotiation;
import io.jtgt.iscsi.login.ParameterTable;
import io.jtgt.iscsi.pdu.CodecSettings;
import io.jtgt.iscsi.pdu.DataOutPdu;
import io.jtgt.iscsi.pdu.InitiatorPdu;
import io.jtgt.iscsi.pdu.IscsiPdu;
import io.jtgt.iscsi.pdu.LoginRequestPdu;
import io.jtgt.iscsi.pdu.LoginResponsePdu;
import io.jtgt.iscsi.pdu.LogoutRequestPdu;
import io.jtgt.iscsi.pdu.LogoutResponsePdu;
import io.jtgt.iscsi.pdu.NopInPdu;
import io.jtgt.iscsi.pdu.NopOutPdu;
import io.jtgt.iscsi.pdu.Opcode;
import io.jtgt.iscsi.pdu.PduFramingError;
import io.jtgt.iscsi.pdu.R2tPdu;
import io.jtgt.iscsi.pdu.RejectPdu;
import io.jtgt.iscsi.pdu.ScsiCommandPdu;
import io.jtgt.iscsi.pdu.TargetPdu;
import io.jtgt.iscsi.pdu.TaskMgmtRequestPdu;
import io.jtgt.iscsi.pdu.TextRequestPdu;
import io.jtgt.iscsi.session.CommandWindow.Admission;
import io.jtgt.scsi.api.NexusInfo;
import io.jtgt.scsi.api.ScsiResponse;
import io.jtgt.scsi.api.TaskAttribute;
import io.netty.buffer.ByteBuf;
import io.netty.channel.Channel;
import io.netty.channel.ChannelFutureListener;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.handler.timeout.IdleStateEvent;
import io.netty.handler.timeout.IdleStateHandler;
import io.netty.util.concurrent.ScheduledFuture;
import java.net.InetSocketAddress;
import java.net.SocketAddress;
import java.nio.channels.ClosedChannelException;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CancellationException;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
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
    private static final long LOGIN_TIMEOUT_SECONDS = 30;

    private final ConnectionContext context;
    private final CodecSettings codec;
    private final LoginController login;
    private final Map<Integer, ScsiTask> tasks = new HashMap<>();
    private final Map<Integer, ScsiTask> byTransferTag = new HashMap<>();

    private Channel channel;
    private IscsiSession session;
    private Negotiation params;
    private int statSn;
    private int nextTransferTag = 1;
    private int inFlight;
    private volatile int inFlightView;
    private boolean closed;
    private ScheduledFuture<?> loginTimeout;
    private TextExchange text;
    /** The TTT of our unanswered NOP-In ping, or 0xffffffff. */
    private int pingTag = RESERVED;

    public IscsiConnection(ConnectionContext context, CodecSettings codec) {
        this.context = context;
        this.codec = codec;
        this.login = new LoginController(context.login());
    }

    // ---------------------------------------------------------------- channel events

    @Override
    public void channelActive(ChannelHandlerContext ctx) throws Exception {
        channel = ctx.channel();
        loginTimeout = ctx.executor().schedule(() -> {
            if (session == null) {
                LOG.info("{}: no login within {} s, closing", channel.remoteAddress(), LOGIN_TIMEOUT_SECONDS);
                channel.close();
            }
        }, LOGIN_TIMEOUT_SECONDS, TimeUnit.SECONDS);
        super.channelActive(ctx);
    }

    @Override
    public void handlerAdded(ChannelHandlerContext ctx) {
        channel = ctx.channel();
    }

    @Override
    public void channelRead(ChannelHandlerContext ctx, Object msg) {
        if (msg instanceof PduFramingError error) {
            LOG.warn("{}: {}; closing connection", channel.remoteAddress(), error.message());
            if (session != null && !closed) {
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
                LOG.trace("{} <- {} bhs={}", channel.remoteAddress(), pdu, io.netty.buffer.ByteBufUtil.hexDump(pdu.bhs()));
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
        } catch (TaskViolation e) {
            taskError(pdu, e);
        } catch (ProtocolViolation e) {
            protocolError(pdu, e.reason, e.getMessage());
        } catch (RuntimeException e) {
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
        if (loginTimeout != null) {
            loginTimeout.cancel(false);
        }
        if (session != null) {
            session.window().drainAll(); // releases commands still waiting for a CmdSN gap
        }
        ClosedChannelException cause = new ClosedChannelException();
        for (ScsiTask task : tasks.values()) {
            task.dropData(cause);
        }
        tasks.clear();
        byTransferTag.clear();
        if (session != null) {
            context.sessions().unregister(session);
            session.close();
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
            LOG.info("{}: no answer to NOP-In for {} s, closing {}", channel.remoteAddress(),
                    context.settings().nopInIntervalSeconds(), session);
            closeAfterFlush();
            return;
        }
        pingTag = allocateTransferTag();
        NopInPdu ping = new NopInPdu();
        ping.initiatorTaskTag(RESERVED);
        ping.targetTransferTag(pingTag);
        send(ping, false); // StatSN carried, not advanced (RFC 7143 11.19.3)
        channel.flush();
    }

    @Override
    public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
        if (cause instanceof java.io.IOException) {
            LOG.debug("{}: {}", channel.remoteAddress(), cause.toString());
        } else {
            LOG.warn("{}: closing after error", channel.remoteAddress(), cause);
        }
        ctx.close();
    }

    /** Runs {@code task} on this connection's event loop, or {@code orElse} if that is gone. */
    void runOnLoop(Runnable task, Runnable orElse) {
        Channel ch = channel;
        if (ch == null) {
            orElse.run();
            return;
        }
        if (ch.eventLoop().inEventLoop()) {
            task.run();
            return;
        }
        try {
            ch.eventLoop().execute(task);
        } catch (java.util.concurrent.RejectedExecutionException e) {
            orElse.run();
        }
    }

    // ---------------------------------------------------------------- login phase

    private void loginPhase(IscsiPdu pdu) {
        if (!(pdu instanceof LoginRequestPdu request)) {
            // RFC 7143 6.3: only Login Requests before the login completes.
            LOG.info("{}: {} before login completed, closing", channel.remoteAddress(), pdu);
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
        IscsiSession created = new IscsiSession(login.tsih(), login.isid(), login.initiatorName(), login.target(),
                login.tpgt(), channel, new CommandWindow(login.cmdSn(), context.settings().queueDepth()));
        created.parameters(params.snapshot());
        if (created.target() != null) {
            try {
                created.nexus(created.target().connect(new NexusInfo(login.initiatorName(), login.isid(),
                        login.tsih(), login.tpgt(), address(channel.remoteAddress()), address(channel.localAddress()),
                        created::parameters, () -> inFlightView)));
            } catch (RuntimeException e) {
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
        int nopIn = context.settings().nopInIntervalSeconds();
        if (nopIn > 0) {
            channel.pipeline().addBefore(channel.pipeline().context(this).name(), "idle",
                    new IdleStateHandler(nopIn, 0, 0, TimeUnit.SECONDS));
        }
        // Digests start with the first PDU after the final Login Response (RFC 7143 13.1).
        codec.headerDigest("CRC32C".equals(params.value(ParameterTable.HEADER_DIGEST)));
        codec.dataDigest("CRC32C".equals(params.value(ParameterTable.DATA_DIGEST)));
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
            // At ErrorRecoveryLevel 0 lost data cannot be recovered within the connection.
            throw new ProtocolViolation(RejectPdu.DATA_DIGEST_ERROR, "data digest error");
        }
        switch (pdu.opcode()) {
            case Opcode.DATA_OUT -> dataOut((DataOutPdu) pdu);
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
        if (pdu.immediate() && pdu.opcode() == Opcode.SCSI_COMMAND && inFlight >= context.settings().queueDepth()) {
            // Immediate commands bypass the CmdSN window; they must not bypass the queue depth.
            reject(pdu, RejectPdu.IMMEDIATE_COMMAND_REJECT);
            return;
        }
        ByteBuf[] kept = new ByteBuf[1];
        Runnable later = heldDelivery(pdu, kept);
        Admission admission = window.admit(cmdSn, pdu.immediate(), later);
        switch (admission) {
            case DROP -> LOG.debug("{}: CmdSN {} outside [{}, {}], ignored", channel.remoteAddress(),
                    Integer.toUnsignedString(cmdSn), Integer.toUnsignedString(window.expCmdSn()),
                    Integer.toUnsignedString(window.maxCmdSn()));
            case HELD -> kept[0] = pdu.data().retainedDuplicate(); // channelRead releases the original
            case DELIVER -> {
                deliver(pdu);
                window.drainHeld();
            }
            default -> throw new IllegalStateException();
        }
    }

    /** A delivery that keeps the PDU's data alive while it waits for an earlier CmdSN. */
    private Runnable heldDelivery(InitiatorPdu pdu, ByteBuf[] kept) {
        return () -> {
            pdu.data(kept[0]);
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
            forget(existing); // a finished task still draining unsolicited data: the ITT is reused
        }
        byte[] cdb = Cdbs.cdb(pdu.cdbField(), Cdbs.extendedCdb(pdu.ahs()));
        ScsiTask task = new ScsiTask(this, itt, pdu.cmdSn(), pdu.lun(), cdb, attribute(pdu.taskAttribute()), edtl,
                pdu.read(), write);
        if (write) {
            task.unsolicitedLimit = unsolicitedLimit;
            task.unsolicitedDone = pdu.finalFlag() || immediateLength >= unsolicitedLimit;
            if (immediateLength > 0) {
                place(task, pdu.data(), 0);
            }
        }
        tasks.put(itt, task);
        inFlight++;
        inFlightView = inFlight;
        CompletableFuture<ScsiResponse> result;
        try {
            result = session.nexus().execute(task);
        } catch (RuntimeException e) {
            result = CompletableFuture.failedFuture(e);
        }
        result.whenComplete((response, error) -> runOnLoop(() -> scsiDone(task, response, error), () -> {
            if (response != null && response.data() != null) {
                response.data().release();
            }
        }));
    }

    private static TaskAttribute attribute(int attr) {
        return switch (attr) {
            case 2 -> TaskAttribute.ORDERED;
            case 3 -> TaskAttribute.HEAD_OF_QUEUE;
            case 4 -> TaskAttribute.ACA;
            default -> TaskAttribute.SIMPLE; // 0 untagged is treated as simple (RFC 7143 11.3.1.3)
        };
    }

    /** scsi-core asked for the command's Data-Out (on the event loop). */
    void receiveData(ScsiTask task, int length, CompletableFuture<ByteBuf> future) {
        if (closed || task.responded || task.aborted() || tasks.get(task.itt) != task) {
            future.completeExceptionally(task.aborted() ? new CancellationException("task aborted")
                    : new IllegalStateException("task no longer active"));
            return;
        }
        if (task.dataFuture != null) {
            future.completeExceptionally(new IllegalStateException("data already requested"));
            return;
        }
        task.requested = length;
        if (length < 0 || !task.writesData() || Integer.compareUnsigned(length, task.edtl) > 0) {
            // The CDB wants more than the initiator announced; scsi-core answers the command.
            task.dataFuture = future;
            task.dropData(new IllegalStateException("command needs " + length
                    + " bytes but the initiator announced " + Integer.toUnsignedString(task.edtl)
                    + (task.writesData() ? "" : " (no W bit)")));
            return;
        }
        task.dataFuture = future;
        completeDataIfReady(task);
        if (!future.isDone() && task.unsolicitedDone) {
            solicit(task);
            channel.flush();
        }
    }

    /** Copies one segment of Data-Out into the task's buffer (or discards it after delivery). */
    private void place(ScsiTask task, ByteBuf data, int offset) {
        int length = data.readableBytes();
        if (!task.discarding) {
            if (task.buffer == null) {
                int initial = Math.max(length, Math.min(task.edtl < 0 ? Integer.MAX_VALUE : task.edtl,
                        task.requested >= 0 ? task.requested : task.unsolicitedLimit));
                int max = task.edtl < 0 ? Integer.MAX_VALUE : Math.max(initial, task.edtl);
                task.buffer = channel.alloc().directBuffer(initial, max);
            }
            task.buffer.writeBytes(data, data.readerIndex(), length);
        }
        task.received = offset + length;
    }

    private void completeDataIfReady(ScsiTask task) {
        CompletableFuture<ByteBuf> future = task.dataFuture;
        if (future == null || future.isDone() || task.received < task.requested) {
            return;
        }
        ByteBuf data;
        if (task.requested == 0 || task.buffer == null) {
            data = channel.alloc().directBuffer(0);
        } else {
            data = task.buffer;
            data.writerIndex(task.requested); // extra unsolicited bytes are not the command's
        }
        task.buffer = null;
        task.discarding = true;
        if (!future.complete(data)) {
            data.release();
        }
    }

    /** Sends R2Ts for the rest of the requested data (RFC 7143 11.8), MaxOutstandingR2T at a time. */
    private void solicit(ScsiTask task) {
        if (task.nextR2tOffset < 0) {
            task.nextR2tOffset = task.received;
        }
        int maxBurst = params.intValue(ParameterTable.MAX_BURST_LENGTH);
        int maxOutstanding = params.intValue(ParameterTable.MAX_OUTSTANDING_R2T);
        while (task.r2ts.size() < maxOutstanding && task.nextR2tOffset < task.requested) {
            int length = Math.min(maxBurst, task.requested - task.nextR2tOffset);
            int tag = allocateTransferTag();
            ScsiTask.R2t r2t = new ScsiTask.R2t(tag, task.nextR2tOffset, length);
            task.r2ts.add(r2t);
            byTransferTag.put(tag, task);
            task.nextR2tOffset += length;
            R2tPdu pdu = new R2tPdu();
            pdu.lun(task.lunField());
            pdu.initiatorTaskTag(task.itt);
            pdu.targetTransferTag(tag);
            pdu.r2tSn(task.r2tSn++);
            pdu.bufferOffset(r2t.offset);
            pdu.desiredDataTransferLength(length);
            pdu.statSn(statSn); // the next StatSN, not consumed (RFC 7143 11.8.3)
            numbers(pdu);
            channel.write(pdu);
        }
    }

    private int allocateTransferTag() {
        while (true) {
            int tag = nextTransferTag++;
            if (tag != RESERVED && !byTransferTag.containsKey(tag)) {
                return tag;
            }
        }
    }

    /** RFC 7143 11.7: Data-Out, unsolicited (TTT 0xffffffff) or answering an R2T. */
    private void dataOut(DataOutPdu pdu) {
        ScsiTask task = tasks.get(pdu.initiatorTaskTag());
        if (task == null) {
            // Data for a task that ended (aborted, answered early): nothing to do with it.
            LOG.debug("{}: Data-Out for unknown ITT 0x{}, discarded", channel.remoteAddress(),
                    Integer.toHexString(pdu.initiatorTaskTag()));
            return;
        }
        int offset = pdu.bufferOffset();
        int length = pdu.data().readableBytes();
        int tag = pdu.targetTransferTag();
        if (tag == RESERVED) {
            if (task.unsolicitedDone) {
                throw new TaskViolation(task, "unsolicited Data-Out after the final one");
            }
            if (pdu.dataSn() != task.unsolicitedDataSn++) {
                throw new TaskViolation(task, "DataSN " + pdu.dataSn() + " out of order");
            }
            if (offset != task.received || offset + (long) length > task.unsolicitedLimit) {
                throw new TaskViolation(task, "unsolicited data at " + offset + "+" + length
                        + " outside the first burst of " + task.unsolicitedLimit);
            }
            place(task, pdu.data(), offset);
            if (pdu.finalFlag()) {
                task.unsolicitedDone = true;
            }
        } else {
            ScsiTask.R2t r2t = null;
            for (ScsiTask.R2t candidate : task.r2ts) {
                if (candidate.transferTag == tag) {
                    r2t = candidate;
                }
            }
            if (r2t == null) {
                if (task.discarding && task.dataFuture == null) {
                    return; // the R2T was withdrawn when the task ended
                }
                throw new TaskViolation(task, "unknown Target Transfer Tag 0x" + Integer.toHexString(tag));
            }
            if (pdu.dataSn() != r2t.nextDataSn++) {
                throw new TaskViolation(task, "DataSN " + pdu.dataSn() + " out of order");
            }
            if (offset != r2t.offset + r2t.received || offset != task.received
                    || r2t.received + length > r2t.length) {
                throw new TaskViolation(task, "solicited data at " + offset + "+" + length
                        + " does not continue R2T " + r2t.offset + "+" + r2t.length);
            }
            place(task, pdu.data(), offset);
            r2t.received += length;
            if (pdu.finalFlag()) {
                if (r2t.received != r2t.length) {
                    throw new TaskViolation(task, "final Data-Out before the R2T was filled");
                }
                task.r2ts.remove(r2t);
                byTransferTag.remove(tag);
            }
        }
        if (task.responded) {
            if (task.unsolicitedDone && task.r2ts.isEmpty()) {
                forget(task);
            }
            return;
        }
        completeDataIfReady(task);
        if (task.dataFuture != null && !task.dataFuture.isDone() && task.unsolicitedDone) {
            solicit(task);
        }
    }

    private void forget(ScsiTask task) {
        tasks.remove(task.itt, task);
        for (ScsiTask.R2t r2t : task.r2ts) {
            byTransferTag.remove(r2t.transferTag);
        }
        task.r2ts.clear();
        task.dropData(new CancellationException("task ended"));
    }

    /** scsi-core answered (on the event loop). */
    private void scsiDone(ScsiTask task, ScsiResponse response, Throwable error) {
        ByteBuf data = response == null ? null : response.data();
        try {
            if (closed || task.responded) {
                return;
            }
            task.responded = true;
            inFlight--;
            inFlightView = inFlight;
            // Data-Out still in flight is drained and dropped; R2Ts are withdrawn.
            for (ScsiTask.R2t r2t : task.r2ts) {
                byTransferTag.remove(r2t.transferTag);
            }
            task.r2ts.clear();
            task.dropData(new CancellationException("command completed before its data arrived"));
            if (task.unsolicitedDone) {
                tasks.remove(task.itt, task);
            }
            if (task.aborted()) {
                task.abortCompletion.run(); // RFC 7143 11.5.1: no response for an aborted task
                return;
            }
            if (error != null || response == null) {
                LOG.error("{}: {} failed in the SCSI layer", channel.remoteAddress(), task, error);
                ResponseWriter.failure(this, task);
                return;
            }
            ResponseWriter.respond(this, task, response, data);
            data = null; // ownership passed
        } finally {
            if (data != null) {
                data.release();
            }
            channel.flush();
        }
    }

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
        send(response, true);
        if (close) {
            LOG.debug("{}: logout of {}", channel.remoteAddress(), session);
            closeAfterFlush();
        }
    }

    private void taskManagement(TaskMgmtRequestPdu pdu) {
        new TaskManagement(this).handle(pdu);
    }

    // ---------------------------------------------------------------- helpers used by collaborators

    Map<Integer, ScsiTask> tasks() {
        return tasks;
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
        return allocateTransferTag();
    }

    /** Withdraws a task's R2Ts and fails its pending data request (task abort). */
    void abortTransfer(ScsiTask task) {
        for (ScsiTask.R2t r2t : task.r2ts) {
            byTransferTag.remove(r2t.transferTag);
        }
        task.r2ts.clear();
        task.dropData(new CancellationException("task aborted"));
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
        pdu.statSn(status ? statSn++ : statSn);
        numbers(pdu);
        channel.write(pdu);
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
        channel.writeAndFlush(io.netty.buffer.Unpooled.EMPTY_BUFFER).addListener(ChannelFutureListener.CLOSE);
    }

    List<ScsiTask> liveTasks() {
        List<ScsiTask> result = new ArrayList<>();
        for (Iterator<ScsiTask> it = tasks.values().iterator(); it.hasNext(); ) {
            ScsiTask task = it.next();
            if (!task.responded) {
                result.add(task);
            }
        }
        return result;
    }

    /**
     * A Data-Out that breaks its command's sequence (DataSN, offset, F bit): the PDU is rejected
     * and that command is dropped without a response; the connection and the other commands go
     * on. The initiator matches the Reject to the command by the ITT in the returned header.
     */
    static final class TaskViolation extends ProtocolViolation {
        private static final long serialVersionUID = 1L;
        final transient ScsiTask task;

        TaskViolation(ScsiTask task, String message) {
            super(RejectPdu.PROTOCOL_ERROR, message);
            this.task = task;
        }
    }

    private void taskError(IscsiPdu pdu, TaskViolation e) {
        LOG.warn("{}: {} rejected, dropping {}: {}", channel.remoteAddress(), pdu, e.task, e.getMessage());
        reject(pdu, e.reason);
        ScsiTask task = e.task;
        tasks.remove(task.itt, task);
        if (!task.responded && !task.aborted()) {
            task.abortCompletion = () -> { };
        }
        abortTransfer(task);
    }

    /** A protocol violation found while handling a PDU: Reject + close (ERL 0). */
    static class ProtocolViolation extends RuntimeException {
        private static final long serialVersionUID = 1L;
        final int reason;

        ProtocolViolation(int reason, String message) {
            super(message, null, false, false);
            this.reason = reason;
        }
    }
}
