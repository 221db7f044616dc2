package io.jtgt.scsi.core;

import io.jtgt.scsi.api.ScsiCommand;
import io.jtgt.scsi.api.ScsiResponse;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.CompletionStage;

/**
 * What a handler gets: the command, the logical unit it addresses and the nexus it came through.
 * Only scsi-core makes one (the dispatcher's {@link CommandRun} is the context of its command).
 */
public class CommandContext {

    /**
     * What a hot handler returns once it has {@linkplain #claimDirect() claimed} the direct way: it
     * reports through {@link #reportIo} instead, so this never completes. Never return it otherwise.
     */
    public static final CompletionStage<ScsiResponse> REPORTED_DIRECTLY = new CompletableFuture<>();

    // Not final: the dispatcher's CommandRun is reused with the transport's command object.
    private ScsiCommand command;
    private byte[] cdb;
    private Nexus nexus;
    private int lun;
    private Device device;
    private Medium medium;
    private CommandTable table;
    /** Set by the dispatcher only while it calls the handler itself and will read its result. */
    private boolean directOffered;
    /** A handler took the direct way: it reports through {@link #reportIo}. */
    private boolean directClaimed;
    /** The hot handler's reusable state (a read's or write's I/O object), kept across reuses. */
    private Object handlerState;

    CommandContext(ScsiCommand command, byte[] cdb, Nexus nexus, int lun, Device device, Medium medium,
            CommandTable table) {
        reset(command, cdb, nexus, lun, device, medium, table);
    }

    /** This context now serves another command (see {@link CommandRun#of}). */
    final void reset(ScsiCommand command, byte[] cdb, Nexus nexus, int lun, Device device, Medium medium,
            CommandTable table) {
        this.command = command;
        this.cdb = cdb;
        this.nexus = nexus;
        this.lun = lun;
        this.device = device;
        this.medium = medium;
        this.table = table;
        this.directOffered = false;
        this.directClaimed = false;
    }

    /** The dispatcher offers the direct way for the handler call it is about to make (or withdraws it). */
    final void offerDirect(boolean offered) {
        directOffered = offered;
    }

    final boolean claimedDirect() {
        return directClaimed;
    }

    /**
     * Whether the handler may report its outcome through {@link #reportIo} and return {@link
     * #REPORTED_DIRECTLY}; true at most once, and only when the dispatcher called the handler
     * itself. A handler that gets true must do so, and must touch nothing of this context after
     * it reported: the context may serve the next command by then.
     */
    public final boolean claimDirect() {
        if (!directOffered) {
            return false;
        }
        directOffered = false;
        directClaimed = true;
        return true;
    }

    /**
     * The direct outcome of a handler that {@linkplain #claimDirect() claimed} it (any thread):
     * GOOD with {@code data} (null for none, ownership passes) when {@code failure} is null,
     * otherwise the failure as CHECK CONDITION.
     */
    public void reportIo(ByteBuf data, Throwable failure) {
        throw new IllegalStateException("only the dispatcher's context takes a direct outcome");
    }

    /**
     * The hot handler's reusable state of {@code type}, made by {@code make} when this context has
     * none of that type yet. Only for a handler that {@linkplain #claimDirect() claimed} the direct
     * way: the state is reused for a later command once this one reported.
     */
    public final <T> T handlerState(Class<T> type, java.util.function.Supplier<T> make) {
        Object state = handlerState;
        if (type.isInstance(state)) {
            return type.cast(state);
        }
        T made = make.get();
        handlerState = made;
        return made;
    }

    /** The I_T nexus the command came through. */
    final Nexus nexus() {
        return nexus;
    }

    public ScsiCommand command() {
        return command;
    }

    /** The CDB; handlers only read it. */
    public byte[] cdb() {
        return cdb;
    }

    /** The LUN number addressed. */
    public int lun() {
        return lun;
    }

    /** The logical unit, or null when the LUN is not configured (only for ANY_LUN commands). */
    public Device device() {
        return device;
    }

    /** The opened store; non-null for NEEDS_MEDIUM commands. */
    public Medium medium() {
        return medium;
    }

    public CommandTable table() {
        return table;
    }

    public String targetName() {
        return nexus.target().name();
    }

    /** The target portal group tag of the nexus (the iSCSI target port, RFC 7143 / SPC-4 7.6.4.5). */
    public int tpgt() {
        return nexus.info().tpgt();
    }

    /** The logical unit at another LUN of this target (EXTENDED COPY source/destination), or null. */
    public Device deviceAt(int otherLun) {
        return nexus.target().device(otherLun);
    }

    /** The target portal group tags (iSCSI target ports) of this target. */
    public java.util.Set<Integer> targetPortGroups() {
        return nexus.target().portalGroups().keySet();
    }

    /** The LUNs of this target, ascending. */
    public List<Integer> luns() {
        return nexus.target().luns();
    }

    /** Removes and returns the next pending unit attention for this LUN, or null. */
    public SenseCode pollUnitAttention() {
        return nexus.unitAttentions().poll(lun);
    }

    /** Drops a pending unit attention for this LUN. */
    public void clearUnitAttention(SenseCode code) {
        nexus.unitAttentions().clear(lun, code);
    }

    /** The I_T nexus identifier reservations are kept under. */
    public String nexusId() {
        return nexus.portNames();
    }

    /** Whether the transport can abort tasks of a nexus (PREEMPT AND ABORT is offered only then). */
    public boolean canAbortTasks() {
        return nexus.info().taskAborter() != null;
    }

    /**
     * Aborts the tasks for this LUN of the live nexuses with these identifiers (SPC-4 5.9.11.5);
     * completes when the transport has finished with all of them.
     */
    public CompletableFuture<Void> abortTasksOf(java.util.Collection<String> nexusIds) {
        List<CompletableFuture<Void>> aborts = new java.util.ArrayList<>();
        for (Nexus n : nexus.target().nexuses()) {
            io.jtgt.scsi.api.TaskAborter aborter = n.info().taskAborter();
            if (aborter != null && nexusIds.contains(n.portNames())) {
                aborts.add(aborter.abortTasks(LunAddressing.encode(lun)).toCompletableFuture());
            }
        }
        return CompletableFuture.allOf(aborts.toArray(CompletableFuture[]::new));
    }

    /** Queues a unit attention for this LUN on the live nexuses with these identifiers. */
    public void unitAttentionFor(java.util.Collection<String> nexusIds, SenseCode code) {
        nexus.target().unitAttention(nexusIds, lun, code);
    }

    /** Queues a unit attention for this LUN on every other nexus of the target (SPC-4 7.5.x: mode changes). */
    public void unitAttentionForOthers(SenseCode code) {
        nexus.target().unitAttentionOnOtherNexuses(nexus, lun, code);
    }

    /**
     * Fetches {@code length} bytes of Data-Out (the caller releases the buffer). A failed data
     * phase (connection lost, or the initiator announced fewer bytes) becomes ABORTED COMMAND,
     * DATA PHASE ERROR (4Bh/00h).
     */
    public CompletableFuture<ByteBuf> receiveData(int length) {
        return requestData(length).handle((buf, t) -> {
            if (t != null) {
                throw dataPhaseError();
            }
            return buf;
        });
    }

    /**
     * {@link #receiveData} without its mapping stage, for callers that are themselves the
     * callback (the WRITE hot path): they turn a failure into {@link #dataPhaseError()}.
     */
    public CompletableFuture<ByteBuf> requestData(int length) {
        try {
            return command.receiveData(length);
        } catch (RuntimeException e) {
            return CompletableFuture.failedFuture(e);
        }
    }

    /**
     * {@link #requestData(int)} handing the Data-Out (or the failure) to {@code then} without a
     * future: the WRITE hot path.
     */
    public void requestData(int length, java.util.function.BiConsumer<? super ByteBuf, ? super Throwable> then) {
        try {
            command.receiveData(length, then);
        } catch (RuntimeException e) {
            then.accept(null, e);
        }
    }

    /** What a failed data phase becomes: ABORTED COMMAND, DATA PHASE ERROR (4Bh/00h). */
    public static CompletionException dataPhaseError() {
        return new CompletionException(new ScsiException(SenseCode.DATA_PHASE_ERROR));
    }

    /** GOOD with parameter data cut to the allocation length (SPC-4 4.2.5.6). */
    public static ScsiResponse dataIn(byte[] data, int allocationLength) {
        int n = Math.min(data.length, allocationLength);
        return ScsiResponse.good(n == 0 ? null : Unpooled.wrappedBuffer(data, 0, n));
    }

    public static CompletableFuture<ScsiResponse> done(ScsiResponse r) {
        return CompletableFuture.completedFuture(r);
    }

    public static CompletableFuture<ScsiResponse> good() {
        return CompletableFuture.completedFuture(ScsiResponse.good());
    }
}
