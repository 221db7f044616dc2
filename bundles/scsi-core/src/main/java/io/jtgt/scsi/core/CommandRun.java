package io.jtgt.scsi.core;

import io.jtgt.scsi.api.ScsiCommand;
import io.jtgt.scsi.api.ScsiResponse;
import io.jtgt.scsi.api.TaskAttribute;
import java.util.function.BiConsumer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One command in scsi-core: the context its handler gets, and its way out: the handler's outcome
 * arrives ({@link #accept}), the task leaves its task set, a LUN that went meanwhile or a failure
 * becomes CHECK CONDITION, READ and WRITE are counted, and the response goes to the transport's
 * callback, never as a failure.
 *
 * <p>Being the context, the outcome's callback and the way to the transport, a command costs one
 * object here instead of a context, a future and a chain of stages: the dispatcher's part of the
 * per-I/O garbage.
 */
final class CommandRun extends CommandContext implements BiConsumer<ScsiResponse, Throwable> {

    private static final Logger LOG = LoggerFactory.getLogger(CommandRun.class);

    private final long started = System.nanoTime();
    /** Set once the task entered a task set (SAM-5 8.6); it leaves when the outcome arrives. */
    private TaskSet taskSet;
    private TaskAttribute attribute;
    /** Who gets the response (the transport's task). */
    private final BiConsumer<? super ScsiResponse, ? super Throwable> outcome;

    /**
     * @param lun the LUN number addressed; {@code addressed} is its unit when the command arrived
     *     (null if none), kept in case the LUN goes while the command runs
     */
    CommandRun(ScsiCommand command, Nexus nexus, int lun, Device addressed, CommandTable table,
            BiConsumer<? super ScsiResponse, ? super Throwable> outcome) {
        super(command, command.cdb(), nexus, lun, addressed, addressed == null ? null : addressed.medium(), table);
        this.outcome = outcome;
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
            if (taskSet != null) {
                taskSet.exit(attribute);
            }
            Device addressed = device();
            response = addressed != null && !nexus().target().stillMaps(lun(), addressed.definition().deviceId())
                    ? lunWent(r) : t == null ? r : CommandDispatcher.failure(t, command());
            account(response);
        } catch (RuntimeException | Error e) {
            response = CommandDispatcher.failure(e, command()); // a bug of ours: the task still ends
        }
        outcome.accept(response, null);
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
    private void account(ScsiResponse response) {
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
        if (response.status() != ScsiResponse.GOOD) {
            device.stats().error();
            nexus().stats().error();
            return;
        }
        long nanos = System.nanoTime() - started;
        if (read) {
            long bytes = response.data() == null ? 0 : response.data().readableBytes();
            device.stats().read(bytes, nanos);
            nexus().stats().read(bytes, nanos);
        } else {
            long bytes = IoStats.transferBlocks(cdb) * device.definition().blockSize();
            device.stats().write(bytes, nanos);
            nexus().stats().write(bytes, nanos);
        }
    }
}
