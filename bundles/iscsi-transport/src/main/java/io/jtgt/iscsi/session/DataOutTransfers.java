package io.jtgt.iscsi.session;

import io.jtgt.iscsi.login.ParameterTable;
import io.jtgt.iscsi.pdu.DataOutPdu;
import io.jtgt.iscsi.pdu.IscsiPdu;
import io.jtgt.iscsi.pdu.R2tPdu;
import io.netty.buffer.ByteBuf;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CancellationException;
import java.util.concurrent.TimeUnit;
import java.util.function.BiConsumer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The Data-Out side of one connection's write commands (RFC 7143 11.7, 11.8): immediate and
 * unsolicited data up to FirstBurstLength, then R2Ts of at most MaxBurstLength, MaxOutstandingR2T
 * at a time, each checked for DataSN, offset and F bit, gathered into the task's one buffer and
 * handed to scsi-core when it has asked for that much. Event loop only.
 */
final class DataOutTransfers {

    private static final Logger LOG = LoggerFactory.getLogger(DataOutTransfers.class);

    private final IscsiConnection connection;
    /** Tasks by the Target Transfer Tag of their outstanding R2Ts. */
    private final Map<Integer, ScsiTask> byTransferTag = new HashMap<>();
    private int nextTransferTag = 1;
    /** When Data-Out last arrived (or a command started waiting for it), System.nanoTime(). */
    private long lastProgress;
    private boolean watching;

    DataOutTransfers(IscsiConnection connection) {
        this.connection = connection;
    }

    /** scsi-core asked for the command's Data-Out (on the event loop). */
    void receiveData(ScsiTask task, int length, BiConsumer<? super ByteBuf, ? super Throwable> then) {
        if (connection.isClosed() || task.responded || task.aborted() || connection.tasks().get(task.itt) != task) {
            then.accept(null, task.aborted() ? new CancellationException("task aborted")
                    : new IllegalStateException("task no longer active"));
            return;
        }
        if (task.dataRequested()) {
            then.accept(null, new IllegalStateException("data already requested"));
            return;
        }
        task.requested = length;
        task.dataRequestedBy(then);
        if (length < 0 || !task.writesData() || Integer.compareUnsigned(length, task.edtl) > 0) {
            // The CDB wants more than the initiator announced; scsi-core answers the command.
            task.dropData(() -> new IllegalStateException("command needs " + length
                    + " bytes but the initiator announced " + Integer.toUnsignedString(task.edtl)
                    + (task.writesData() ? "" : " (no W bit)")));
            return;
        }
        if (completeDataIfReady(task)) {
            return; // handed over: the task may already be answered (and serving another command)
        }
        lastProgress = System.nanoTime();
        watch();
        if (task.unsolicitedDone) {
            solicit(task);
            connection.channel().flush();
        }
    }

    /**
     * Data-Out timeout: while a command waits for its data, the initiator must keep sending some;
     * none for {@code dataOutTimeoutSeconds} ends the connection (ERL 0 has no recovery R2T), which
     * frees the command and what it holds.
     */
    private void watch() {
        if (watching) {
            return;
        }
        watching = true;
        long timeout = TimeUnit.SECONDS.toNanos(connection.settings().limits().dataOutTimeoutSeconds());
        long delay = Math.max(0, lastProgress + timeout - System.nanoTime());
        connection.channel().eventLoop().schedule(() -> {
            watching = false;
            if (connection.isClosed() || !awaitingData()) {
                return;
            }
            if (System.nanoTime() - lastProgress >= timeout) {
                connection.drop("no Data-Out for " + TimeUnit.NANOSECONDS.toSeconds(timeout) + " s");
                return;
            }
            watch();
        }, delay, TimeUnit.NANOSECONDS);
    }

    private boolean awaitingData() {
        for (ScsiTask task : connection.tasks().values()) {
            if (task.awaitingData()) {
                return true;
            }
        }
        return false;
    }

    /** Copies one segment of Data-Out into the task's buffer (or discards it after delivery). */
    void place(ScsiTask task, ByteBuf data, int offset) {
        int length = data.readableBytes();
        if (!task.discarding) {
            if (task.buffer == null) {
                int initial = Math.max(length, Math.min(task.edtl < 0 ? Integer.MAX_VALUE : task.edtl,
                        task.requested >= 0 ? task.requested : task.unsolicitedLimit));
                int max = task.edtl < 0 ? Integer.MAX_VALUE : Math.max(initial, task.edtl);
                task.buffer = connection.channel().alloc().directBuffer(initial, max);
            }
            task.buffer.writeBytes(data, data.readerIndex(), length);
        }
        task.received = offset + length;
    }

    /** Hands the Data-Out over once all of it is here; true if it did (touch the task no more then). */
    private boolean completeDataIfReady(ScsiTask task) {
        if (!task.awaitingData() || task.received < task.requested) {
            return false;
        }
        ByteBuf data;
        if (task.requested == 0 || task.buffer == null) {
            data = connection.channel().alloc().directBuffer(0);
        } else {
            data = task.buffer;
            data.writerIndex(task.requested); // extra unsolicited bytes are not the command's
        }
        task.buffer = null;
        task.discarding = true;
        task.answerData(data, null);
        return true;
    }

    /** Sends R2Ts for the rest of the requested data (RFC 7143 11.8), MaxOutstandingR2T at a time. */
    private void solicit(ScsiTask task) {
        if (task.nextR2tOffset < 0) {
            task.nextR2tOffset = task.received;
        }
        int maxBurst = connection.params().intValue(ParameterTable.MAX_BURST_LENGTH);
        int maxOutstanding = connection.params().intValue(ParameterTable.MAX_OUTSTANDING_R2T);
        while (task.r2ts.size() < maxOutstanding && task.nextR2tOffset < task.requested) {
            int length = Math.min(maxBurst, task.requested - task.nextR2tOffset);
            int tag = allocateTag();
            ScsiTask.R2t r2t = new ScsiTask.R2t(tag, task.nextR2tOffset, length);
            task.addR2t(r2t);
            byTransferTag.put(tag, task);
            task.nextR2tOffset += length;
            R2tPdu pdu = new R2tPdu();
            pdu.lun(task.lunField());
            pdu.initiatorTaskTag(task.itt);
            pdu.targetTransferTag(tag);
            pdu.r2tSn(task.r2tSn++);
            pdu.bufferOffset(r2t.offset);
            pdu.desiredDataTransferLength(length);
            pdu.statSn(connection.nextStatSn()); // the next StatSN, not consumed (RFC 7143 11.8.3)
            connection.numbers(pdu);
            connection.channel().write(pdu);
        }
    }

    int allocateTag() {
        while (true) {
            int tag = nextTransferTag++;
            if (tag != IscsiPdu.RESERVED_TAG && !byTransferTag.containsKey(tag)) {
                return tag;
            }
        }
    }

    /** RFC 7143 11.7: Data-Out, unsolicited (TTT 0xffffffff) or answering an R2T. */
    void dataOut(DataOutPdu pdu) {
        ScsiTask task = connection.tasks().get(pdu.initiatorTaskTag());
        if (task == null) {
            // Data for a task that ended (aborted, answered early): nothing to do with it.
            LOG.debug("{}: Data-Out for unknown ITT 0x{}, discarded", connection.channel().remoteAddress(),
                    Integer.toHexString(pdu.initiatorTaskTag()));
            return;
        }
        int offset = pdu.bufferOffset();
        int length = pdu.data().readableBytes();
        int tag = pdu.targetTransferTag();
        lastProgress = System.nanoTime();
        if (tag == IscsiPdu.RESERVED_TAG) {
            if (task.unsolicitedDone) {
                throw new ProtocolViolation.TaskViolation(task, "unsolicited Data-Out after the final one");
            }
            if (pdu.dataSn() != task.unsolicitedDataSn++) {
                throw new ProtocolViolation.TaskViolation(task, "DataSN " + pdu.dataSn() + " out of order");
            }
            if (offset != task.received || offset + (long) length > task.unsolicitedLimit) {
                throw new ProtocolViolation.TaskViolation(task, "unsolicited data at " + offset + "+" + length
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
                if (task.responded || task.discarding && !task.dataRequested()) {
                    return; // the R2T was withdrawn when the task ended
                }
                throw new ProtocolViolation.TaskViolation(task, "unknown Target Transfer Tag 0x" + Integer.toHexString(tag));
            }
            if (pdu.dataSn() != r2t.nextDataSn++) {
                throw new ProtocolViolation.TaskViolation(task, "DataSN " + pdu.dataSn() + " out of order");
            }
            if (offset != r2t.offset + r2t.received || offset != task.received
                    || r2t.received + length > r2t.length) {
                throw new ProtocolViolation.TaskViolation(task, "solicited data at " + offset + "+" + length
                        + " does not continue R2T " + r2t.offset + "+" + r2t.length);
            }
            place(task, pdu.data(), offset);
            r2t.received += length;
            if (pdu.finalFlag()) {
                if (r2t.received != r2t.length) {
                    throw new ProtocolViolation.TaskViolation(task, "final Data-Out before the R2T was filled");
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
        if (!completeDataIfReady(task) && task.awaitingData() && task.unsolicitedDone) {
            solicit(task);
        }
    }

    /** Removes a finished task that was still draining Data-Out. */
    void forget(ScsiTask task) {
        connection.removeTask(task);
        withdraw(task, () -> new CancellationException("task ended"));
    }

    /** Withdraws the task's R2Ts, drops its gathered data and fails a pending data request. */
    void withdraw(ScsiTask task, java.util.function.Supplier<? extends Throwable> cause) {
        if (!task.r2ts.isEmpty()) { // most commands had none: no iterator over the shared empty list
            for (ScsiTask.R2t r2t : task.r2ts) {
                byTransferTag.remove(r2t.transferTag);
            }
            task.r2ts = List.of();
        }
        task.dropData(cause);
    }

    /** The connection is gone. */
    void clear() {
        byTransferTag.clear();
    }
}
