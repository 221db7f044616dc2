package io.jtgt.scsi.core;

import io.jtgt.scsi.api.ScsiCommand;
import io.jtgt.scsi.api.ScsiOutcome;
import io.jtgt.scsi.api.ScsiResponse;
import io.jtgt.scsi.api.TaskAttribute;
import io.netty.buffer.ByteBuf;
import java.util.function.BiConsumer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One command in scsi-core: the context its handler gets, and its way out: the handler's outcome
 * arrives ({@link #accept}, or {@link #reportIo} from a hot handler), the task leaves its task set,
 * a LUN that went meanwhile or a failure becomes CHECK CONDITION, READ and WRITE are counted, and
 * the response goes to the transport's callback, never as a failure.
 *
 * <p>Being the context, the outcome's callback and the way to the transport, a command costs one
 * object here instead of a context, a future and a chain of stages. A command whose hot handler
 * reported directly costs not even that: this object is attached to the transport's command and
 * reused with it ({@link ScsiCommand#reusableAfterOutcome()}), and the outcome goes out in parts
 * when the transport takes them ({@link ScsiOutcome}), so a READ or WRITE in steady state makes no
 * garbage here.
 */
final class CommandRun extends CommandContext implements BiConsumer<ScsiResponse, Throwable> {

    private static final Logger LOG = LoggerFactory.getLogger(CommandRun.class);
    private static final byte[] NO_SENSE = ScsiResponse.good().sense();

    private long started;
    /** Set once the task entered a task set (SAM-5 8.6); it leaves when the outcome arrives. */
    private TaskSet taskSet;
    private TaskAttribute attribute;
    /** Who gets the response (the transport's task), and the same as a listener in parts, or null. */
    private BiConsumer<? super ScsiResponse, ? super Throwable> outcome;
    private ScsiOutcome parts;
    /** The outcome went out: only then may a transport's reuse of the command bring this back. */
    private boolean over;

    private CommandRun(ScsiCommand command, Nexus nexus, int lun, Device addressed, CommandTable table,
            BiConsumer<? super ScsiResponse, ? super Throwable> outcome) {
        super(command, command.cdb(), nexus, lun, addressed, addressed == null ? null : addressed.medium(), table);
        start(outcome);
    }

    /**
     * The run of {@code command}: the one attached to it when the transport reuses a command
     * object whose last outcome went out, otherwise a new one, attached for next time.
     *
     * @param lun the LUN number addressed; {@code addressed} is its unit when the command arrived
     *     (null if none), kept in case the LUN goes while the command runs
     */
    static CommandRun of(ScsiCommand command, Nexus nexus, int lun, Device addressed, CommandTable table,
            BiConsumer<? super ScsiResponse, ? super Throwable> outcome) {
        if (command.attachment() instanceof CommandRun run && run.over) {
            run.reset(command, command.cdb(), nexus, lun, addressed, addressed == null ? null : addressed.medium(),
                    table);
            run.taskSet = null;
            run.attribute = null;
            run.start(outcome);
            return run;
        }
        CommandRun run = new CommandRun(command, nexus, lun, addressed, table, outcome);
        command.attach(run);
        return run;
    }

    private void start(BiConsumer<? super ScsiResponse, ? super Throwable> outcome) {
        this.outcome = outcome;
        this.parts = outcome instanceof ScsiOutcome o ? o : null;
        this.over = false;
        this.started = System.nanoTime();
    }

    /** The task holds a place in {@code tasks} from now until its outcome. */
    void entered(TaskSet tasks, TaskAttribute attribute) {
        this.taskSet = tasks;
        this.attribute = attribute;
    }

    /** The handler's outcome (any thread); {@code t} is any failure, mapped to CHECK CONDITION. */
    @Override
    public void accept(ScsiResponse r, Throwable t) {
        ScsiResponse response;
        try {
            leaveTaskSet();
            response = lunGone() ? lunWent(r) : t == null ? r : CommandDispatcher.failure(t, command());
            account(response.status(), response.data());
        } catch (RuntimeException | Error e) {
            response = CommandDispatcher.failure(e, command()); // a bug of ours: the task still ends
        }
        handOver(response, response.status(), response.sense(), response.data());
    }

    /** A hot handler's direct outcome (any thread): GOOD with {@code data}, or the failure. */
    @Override
    public void reportIo(ByteBuf data, Throwable failure) {
        if (failure != null) {
            accept(null, failure);
            return;
        }
        try {
            leaveTaskSet();
            if (lunGone()) {
                ScsiResponse went = lunWent(ScsiResponse.good(data));
                handOver(went, went.status(), went.sense(), went.data());
                return;
            }
            account(ScsiResponse.GOOD, data);
        } catch (RuntimeException | Error e) {
            if (data != null) {
                data.release();
            }
            ScsiResponse response = CommandDispatcher.failure(e, command()); // a bug of ours: the task still ends
            handOver(response, response.status(), response.sense(), null);
            return;
        }
        handOver(null, ScsiResponse.GOOD, NO_SENSE, data);
    }

    /**
     * The last thing this run does with its command. A hot handler that reported directly is done
     * with everything, so the transport may reuse its command object (and this run with it).
     */
    private void handOver(ScsiResponse response, int status, byte[] sense, ByteBuf data) {
        ScsiCommand command = command();
        BiConsumer<? super ScsiResponse, ? super Throwable> to = outcome;
        ScsiOutcome inParts = parts;
        if (claimedDirect()) {
            over = true;
            command.reusableAfterOutcome();
        }
        if (inParts != null) {
            inParts.outcome(status, sense, data);
        } else {
            to.accept(response != null ? response : new ScsiResponse(status, sense, data), null);
        }
    }

    private void leaveTaskSet() {
        if (taskSet != null) {
            taskSet.exit(attribute);
        }
    }

    private boolean lunGone() {
        Device addressed = device();
        return addressed != null && !nexus().target().stillMaps(lun(), addressed.definition().deviceId());
    }

    /**
     * The task's LUN went while it ran or waited (a forced lun-unmap, its storage or its target
     * removed): it ends with CHECK CONDITION, ILLEGAL REQUEST, LOGICAL UNIT NOT SUPPORTED, the answer
     * a command sent to that LUN now gets (SPC-4 4.6.4), whatever its work did — the blocks it
     * addressed are indeterminate, as after any failed command. The answer comes once the work has
     * ended (the backend may still be using the buffers, a write may still reach the medium), so
     * nothing happens to the medium after the initiator heard the task end; its Data-In, if any, is
     * dropped.
     */
    private ScsiResponse lunWent(ScsiResponse r) {
        if (r != null && r.data() != null) {
            r.data().release();
        }
        LOG.debug("command 0x{} (task {}): LUN {} went while it ran", CommandDispatcher.hex(command()),
                command().taskTag(), lun());
        return ScsiResponse.checkCondition(SenseCode.LOGICAL_UNIT_NOT_SUPPORTED.toSense());
    }

    /** Counts a READ or WRITE in its storage's and its nexus's {@link IoStats}; allocates nothing. */
    private void account(int status, ByteBuf data) {
        byte[] cdb = cdb();
        if (cdb == null || cdb.length == 0) {
            return;
        }
        int opcode = cdb[0] & 0xFF;
        boolean read = IoStats.isRead(opcode);
        if (!read && !IoStats.isWrite(opcode)) {
            return;
        }
        Device device = nexus().target().device(lun());
        if (device == null) {
            return;
        }
        if (status != ScsiResponse.GOOD) {
            device.stats().error();
            nexus().stats().error();
            return;
        }
        long nanos = System.nanoTime() - started;
        if (read) {
            long bytes = data == null ? 0 : data.readableBytes();
            device.stats().read(bytes, nanos);
            nexus().stats().read(bytes, nanos);
        } else {
            long bytes = IoStats.transferBlocks(cdb) * device.definition().blockSize();
            device.stats().write(bytes, nanos);
            nexus().stats().write(bytes, nanos);
        }
    }
}
