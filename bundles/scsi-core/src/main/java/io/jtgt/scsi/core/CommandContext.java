package io.jtgt.scsi.core;

import io.jtgt.scsi.api.ScsiCommand;
import io.jtgt.scsi.api.ScsiResponse;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;

/**
 * What a handler gets: the command, the logical unit it addresses and the nexus it came through.
 * Only scsi-core makes one (the dispatcher's {@link CommandRun} is the context of its command).
 */
public class CommandContext {

    private final ScsiCommand command;
    private final byte[] cdb;
    private final Nexus nexus;
    private final int lun;
    private final Device device;
    private final Medium medium;
    private final CommandTable table;

    CommandContext(ScsiCommand command, byte[] cdb, Nexus nexus, int lun, Device device, Medium medium,
            CommandTable table) {
        this.command = command;
        this.cdb = cdb;
        this.nexus = nexus;
        this.lun = lun;
        this.device = device;
        this.medium = medium;
        this.table = table;
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
