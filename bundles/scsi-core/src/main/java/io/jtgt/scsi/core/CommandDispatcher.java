package io.jtgt.scsi.core;

import io.jtgt.scsi.api.ScsiCommand;
import io.jtgt.scsi.api.ScsiResponse;
import io.jtgt.scsi.api.TaskAttribute;
import io.jtgt.scsi.spi.BackingStoreException;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ExecutionException;
import java.util.function.BiConsumer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Runs one command through the checks SAM-5 / SPC-4 order before a command executes, then its
 * handler, and turns every failure into CHECK CONDITION. The future it returns never fails.
 *
 * <p>Order: LUN addressing (SPC-4 4.6.4: an unknown LUN answers INQUIRY, REPORT LUNS and REQUEST
 * SENSE, everything else LOGICAL UNIT NOT SUPPORTED), unit attention (SAM-5 5.14, before the
 * opcode is even looked at), opcode / service action, reserved CDB bits and NACA (SAM-5 5.9: no
 * ACA support), readiness, reservations, then the task set (SAM-5 8.6 task attributes) and the
 * handler.
 */
final class CommandDispatcher {

    private static final Logger LOG = LoggerFactory.getLogger(CommandDispatcher.class);

    private final CommandTable table;

    CommandDispatcher(CommandTable table) {
        this.table = table;
    }

    /** Runs {@code command}; its response goes to {@code outcome} (any thread, never as a failure). */
    void dispatch(Nexus nexus, ScsiCommand command, BiConsumer<? super ScsiResponse, ? super Throwable> outcome) {
        int lun = LunAddressing.decode(command.lunField());
        CommandRun run = CommandRun.of(command, nexus, lun, nexus.target().device(lun), table, outcome);
        CompletionStage<ScsiResponse> stage;
        try {
            stage = start(run);
        } catch (Throwable t) {
            run.accept(null, t);
            return;
        }
        if (stage == CommandContext.REPORTED_DIRECTLY) {
            return; // the hot handler reports to the run itself (and the run may serve another command by now)
        }
        stage.whenComplete(run);
    }

    private CompletionStage<ScsiResponse> start(CommandRun run) {
        byte[] cdb = run.cdb();
        if (cdb == null || cdb.length == 0) {
            throw new ScsiException(SenseCode.INVALID_COMMAND_OPERATION_CODE);
        }
        Nexus nexus = run.nexus();
        int lun = run.lun();
        Device device = run.device();
        CommandDescriptor d = lookupQuietly(cdb);
        boolean exempt = d != null && d.has(CommandFlag.NO_UNIT_ATTENTION);
        if (device == null) {
            if (d == null || !d.has(CommandFlag.ANY_LUN)) {
                throw new ScsiException(SenseCode.LOGICAL_UNIT_NOT_SUPPORTED);
            }
        } else if (!exempt) {
            SenseCode ua = nexus.unitAttentions().poll(lun);
            if (ua != null) {
                throw new ScsiException(ua);
            }
        }
        if (d == null) {
            d = table.lookup(cdb); // throws the right CHECK CONDITION
        }
        checkCdb(d, cdb);
        if (device != null && !d.has(CommandFlag.ALLOWED_DURING_SANITIZE)) {
            SenseCode sanitizing = device.sanitizeState().blocking();
            // SBC-3 4.11: NOT READY while it runs; after a failure only SANITIZE may touch the medium
            if (sanitizing != null && (sanitizing.key() == SenseCode.KEY_NOT_READY
                    || (d.has(CommandFlag.NEEDS_MEDIUM) && (cdb[0] & 0xFF) != 0x48))) {
                throw new ScsiException(sanitizing);
            }
        }
        if (d.has(CommandFlag.NEEDS_MEDIUM)) {
            if (run.medium() == null) {
                SenseCode why = device.notReadySense();
                throw new ScsiException(why == null ? SenseCode.NOT_READY_BECOMING_READY : why);
            }
            if (device.removableMedium().ejected()) {
                throw new ScsiException(SenseCode.MEDIUM_NOT_PRESENT_TRAY_OPEN); // SBC-3 5.20 LOEJ
            }
        }
        if (device != null && conflicts(device, nexus, d, exempt)) {
            if (device.reservations().legacyHolder() == null) {
                return CompletableFuture.completedFuture(RESERVATION_CONFLICT);
            }
            // An SPC-2 reservation ends with its I_T nexus (SPC-2 5.5.1). An initiator that drops one
            // connection and goes on through another expects that order, but the two connections are
            // served by different event loops: the loss may still be on its way. Look again once the
            // loops have had a moment; the answer still comes from the reservation state only.
            CommandDescriptor row = d;
            return CompletableFuture.runAsync(() -> { }, LEGACY_CONFLICT_SETTLE)
                    .thenCompose(v -> conflicts(device, nexus, row, exempt)
                            ? CompletableFuture.completedFuture(RESERVATION_CONFLICT)
                            : proceed(row, run, false));
        }
        return proceed(d, run, true);
    }

    private static final ScsiResponse RESERVATION_CONFLICT =
            new ScsiResponse(ScsiResponse.RESERVATION_CONFLICT, new byte[0], null);
    private static final java.util.concurrent.Executor LEGACY_CONFLICT_SETTLE =
            CompletableFuture.delayedExecutor(5, java.util.concurrent.TimeUnit.MILLISECONDS);

    private static boolean conflicts(Device device, Nexus nexus, CommandDescriptor d, boolean exempt) {
        return device.reservations().conflicts(nexus.portNames(), d.has(CommandFlag.MEDIUM_READ),
                d.has(CommandFlag.MEDIUM_WRITE), exempt || d.has(CommandFlag.LEGACY_RESERVATION_EXEMPT));
    }

    /** Write protection, availability, the task set (SAM-5 8.6) and the handler. */
    private CompletionStage<ScsiResponse> proceed(CommandDescriptor d, CommandRun ctx, boolean direct) {
        Device device = ctx.device();
        if (d.has(CommandFlag.WRITES_BLOCKS) && device.writeProtected()) {
            throw new ScsiException(SenseCode.WRITE_PROTECTED); // SBC-3 4.x readOnly storage, SPC-4 7.5.8 SWP
        }
        if (!d.availableFor(ctx)) {
            if (d.hasServiceAction()) {
                throw ScsiException.invalidCdbField(1, 4); // SPC-4 4.3.4.2: unsupported service action
            }
            throw new ScsiException(SenseCode.INVALID_COMMAND_OPERATION_CODE);
        }
        CommandDescriptor row = d;
        if (device == null) {
            return run(row, ctx);
        }
        TaskSet tasks = device.taskSet();
        TaskAttribute attribute = ctx.command().attribute();
        CompletableFuture<Void> enabled = tasks.enter(attribute);
        ctx.entered(tasks, attribute); // it leaves when the outcome arrives, however the task ends
        if (enabled.isDone()) {
            // Called from here, a hot handler may report to the run directly (no future per command);
            // the offer is withdrawn if it did not take it, and nothing touches the run if it did.
            ctx.offerDirect(direct);
            CompletionStage<ScsiResponse> result = run(row, ctx);
            if (result != CommandContext.REPORTED_DIRECTLY) {
                ctx.offerDirect(false);
            }
            return result;
        }
        // A task whose LUN went while it waited never runs (dispatch then answers it).
        int lun = ctx.lun();
        long deviceId = device.definition().deviceId();
        return enabled.thenCompose(v -> ctx.nexus().target().stillMaps(lun, deviceId) ? run(row, ctx)
                : CompletableFuture.failedFuture(new ScsiException(SenseCode.LOGICAL_UNIT_NOT_SUPPORTED)));
    }

    private static CompletionStage<ScsiResponse> run(CommandDescriptor d, CommandContext ctx) {
        CompletionStage<ScsiResponse> result = d.handler().execute(ctx);
        if (result == null) {
            throw new IllegalStateException(d.name() + " handler returned no result");
        }
        return result;
    }

    private CommandDescriptor lookupQuietly(byte[] cdb) {
        try {
            return table.lookup(cdb);
        } catch (ScsiException e) {
            return null;
        }
    }

    /** Reserved bits (outside the CDB USAGE DATA mask) and the NACA bit. */
    private static void checkCdb(CommandDescriptor d, byte[] cdb) {
        byte[] usage = d.usageData();
        if (cdb.length < usage.length) {
            throw ScsiException.invalidCdbField(0, -1);
        }
        for (int i = 1; i < usage.length; i++) {
            int stray = cdb[i] & ~usage[i] & 0xFF;
            if (stray != 0) {
                throw ScsiException.invalidCdbField(i, 31 - Integer.numberOfLeadingZeros(stray));
            }
        }
        int control = usage.length - 1;
        if ((cdb[control] & 0x04) != 0) {
            throw ScsiException.invalidCdbField(control, 2); // NACA=1 without ACA support
        }
    }

    /** Maps any failure to CHECK CONDITION (SPC-4 sense codes for each backend failure kind). */
    static ScsiResponse failure(Throwable t, ScsiCommand command) {
        Throwable cause = t;
        while ((cause instanceof CompletionException || cause instanceof ExecutionException) && cause.getCause() != null) {
            cause = cause.getCause();
        }
        if (cause instanceof ScsiException e) {
            return ScsiResponse.checkCondition(e.sense().build());
        }
        if (cause instanceof BackingStoreException e) {
            SenseCode code = switch (e.kind()) {
                case READ_ERROR -> SenseCode.UNRECOVERED_READ_ERROR;
                case WRITE_ERROR -> SenseCode.WRITE_ERROR;
                case UNAVAILABLE -> SenseCode.NOT_READY_COMMUNICATION_FAILURE;
                case NO_SPACE -> SenseCode.SPACE_ALLOCATION_FAILED_WRITE_PROTECT;
                case UNSUPPORTED -> SenseCode.INVALID_COMMAND_OPERATION_CODE;
                case INTERNAL -> SenseCode.INTERNAL_TARGET_FAILURE;
            };
            LOG.warn("command 0x{} (task {}) failed in the backend: {} {}", hex(command), command.taskTag(), e.kind(),
                    e.getMessage());
            return ScsiResponse.checkCondition(code.toSense());
        }
        LOG.warn("command 0x{} (task {}) failed unexpectedly", hex(command), command.taskTag(), cause);
        return ScsiResponse.checkCondition(SenseCode.INTERNAL_TARGET_FAILURE.toSense());
    }

    static String hex(ScsiCommand command) {
        byte[] cdb = command.cdb();
        return cdb == null || cdb.length == 0 ? "??" : String.format("%02x", cdb[0] & 0xFF);
    }
}
