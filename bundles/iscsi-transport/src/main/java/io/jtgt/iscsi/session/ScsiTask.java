package io.jtgt.iscsi.session;

import io.jtgt.scsi.api.ScsiCommand;
import io.jtgt.scsi.api.TaskAttribute;
import io.netty.buffer.ByteBuf;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;

/**
 * One SCSI command of a session, as handed to scsi-core. The identity fields are immutable; the
 * Data-Out state is touched only on the connection's event loop ({@link #receiveData} hops
 * there).
 *
 * <p>Write data is gathered into ONE pooled direct buffer by copying each Data-Out segment: the
 * backends do positional I/O on a single contiguous region, and copying lets the decoder's
 * input buffers go at once instead of pinning them for the whole (R2T-paced) transfer.
 *
 * <p>A task whose outcome scsi-core declared final ({@link #reusableAfterOutcome()}) and that ended
 * the plain way (answered, no data left to drain, no task management or budget listener holding
 * it) goes back to its connection and serves a later command ({@link #init}), with its CDB array
 * and scsi-core's attachment: a READ or WRITE in steady state makes no task object.
 */
final class ScsiTask implements ScsiCommand, io.jtgt.scsi.api.ScsiOutcome, Runnable {

    /** An R2T we sent and whose Data-Out sequence is not complete yet. */
    static final class R2t {
        final int transferTag;
        final int offset;
        final int length;
        int received;
        int nextDataSn;

        R2t(int transferTag, int offset, int length) {
            this.transferTag = transferTag;
            this.offset = offset;
            this.length = length;
        }
    }

    private final IscsiConnection connection;
    // The command's identity: set by init, then not changed until the task is reused.
    int itt;
    int cmdSn;
    private long lun;
    private byte[] cdb;
    private TaskAttribute attribute;
    int edtl;
    private boolean read;
    private boolean write;
    /** scsi-core's state for this object, kept across reuses. */
    private Object attachment;
    /** scsi-core will not touch this task again once its outcome is in (loop reads it after the hop). */
    private boolean reusable;

    // Data-Out state (event loop only).
    ByteBuf buffer;
    /** Bytes of Data-Out received so far (in order, from offset 0). */
    int received;
    /** Most unsolicited data (immediate + unsolicited Data-Out) allowed for this command. */
    int unsolicitedLimit;
    boolean unsolicitedDone = true;
    int unsolicitedDataSn;
    /** Length the SCSI layer asked for; -1 until it asks. */
    int requested = -1;
    /** Who waits for the Data-Out; null until scsi-core asks. */
    private java.util.function.BiConsumer<? super ByteBuf, ? super Throwable> dataListener;
    /** The Data-Out (or its failure) went to {@link #dataListener}. */
    private boolean dataAnswered;
    /** True once the buffer went to the SCSI layer (or was dropped): later data is discarded. */
    boolean discarding;
    int nextR2tOffset = -1;
    int r2tSn;
    /** The R2Ts outstanding; the shared empty list until a first R2T (most commands have none). */
    List<R2t> r2ts = List.of();

    void addR2t(R2t r2t) {
        if (r2ts.isEmpty()) {
            r2ts = new ArrayList<>(2);
        }
        r2ts.add(r2t);
    }

    /** The CDB's own transfer length as scsi-core reported it; -1 if it did not. */
    private volatile int transferLength = -1;

    /** Bytes of the data budgets this command holds until its data is done with. */
    long dataHeld;

    boolean responded;
    /** Data-In PDUs sent for the response (the ExpDataSN of a separate SCSI Response). */
    int dataInPdus;
    /** Set by ABORT TASK: the response is suppressed and this runs when SCSI is done. */
    Runnable abortCompletion;
    /**
     * Completed when the task is aborted or its connection is lost, so that a long-running command
     * (SANITIZE) can end its task while its operation goes on (SBC-3 5.30, SAM-5 7.2).
     */
    private CompletableFuture<Void> abortRequested; // made when first asked for (SANITIZE); guarded by this
    private boolean abortWanted;

    /** scsi-core's outcome in its parts, handed from its thread to the loop (written before the hop, read after). */
    private int status;
    private byte[] sense;
    private ByteBuf data;
    private Throwable error;

    @Override
    public synchronized java.util.concurrent.CompletionStage<Void> abortRequested() {
        if (abortRequested == null) {
            abortRequested = new CompletableFuture<>();
            if (abortWanted) {
                abortRequested.complete(null);
            }
        }
        return abortRequested;
    }

    /** The task is being aborted or its connection is gone (completes {@link #abortRequested()}). */
    synchronized void requestAbort() {
        abortWanted = true;
        if (abortRequested != null) {
            abortRequested.complete(null);
        }
    }

    /** scsi-core finished (its thread): keep the outcome, continue on the connection's loop. */
    @Override
    public void outcome(int status, byte[] sense, ByteBuf data) {
        this.status = status;
        this.sense = sense;
        this.data = data;
        this.error = null;
        connection.completeOnLoop(this);
    }

    /** An outcome as one object, or a failure of the SCSI layer itself (a bug: TARGET FAILURE). */
    @Override
    public void accept(io.jtgt.scsi.api.ScsiResponse r, Throwable t) {
        if (t != null || r == null) {
            this.data = null;
            this.error = t != null ? t : new IllegalStateException("no response");
            connection.completeOnLoop(this);
            return;
        }
        outcome(r.status(), r.sense(), r.data());
    }

    /** On the connection's loop, after {@link #accept}'s hop. */
    @Override
    public void run() {
        connection.finish(this);
    }

    int status() {
        return status;
    }

    byte[] sense() {
        return sense;
    }

    /** The outcome's Data-In, now the caller's to send or release. */
    ByteBuf takeData() {
        ByteBuf d = data;
        data = null;
        return d;
    }

    Throwable takeError() {
        Throwable t = error;
        error = null;
        return t;
    }

    ScsiTask(IscsiConnection connection) {
        this.connection = connection;
    }

    /**
     * This task now is the command {@code itt}: every field starts afresh but the attachment (and
     * the CDB array, when {@code cdb} is it, refilled).
     */
    ScsiTask init(int itt, int cmdSn, long lun, byte[] cdb, TaskAttribute attribute, int edtl, boolean read,
            boolean write) {
        this.itt = itt;
        this.cmdSn = cmdSn;
        this.lun = lun;
        this.cdb = cdb;
        this.attribute = attribute;
        this.edtl = edtl;
        this.read = read;
        this.write = write;
        reusable = false;
        buffer = null;
        received = 0;
        unsolicitedLimit = 0;
        unsolicitedDone = true;
        unsolicitedDataSn = 0;
        requested = -1;
        dataListener = null;
        dataAnswered = false;
        discarding = false;
        nextR2tOffset = -1;
        r2tSn = 0;
        r2ts = List.of();
        transferLength = -1;
        dataHeld = 0;
        responded = false;
        dataInPdus = 0;
        abortCompletion = null;
        synchronized (this) {
            abortRequested = null;
            abortWanted = false;
        }
        status = 0;
        sense = null;
        data = null;
        error = null;
        return this;
    }

    /** The CDB array, for the next command to refill when it has the same length. */
    byte[] cdbArray() {
        return cdb;
    }

    @Override
    public void reusableAfterOutcome() {
        reusable = true;
    }

    /**
     * Whether this answered task may serve a later command: scsi-core is done with it, and nothing
     * of the transport still holds it (a budget listener, task management, data still draining).
     */
    synchronized boolean reusable() {
        return reusable && responded && unsolicitedDone && r2ts.isEmpty() && buffer == null && dataHeld == 0
                && abortCompletion == null && abortRequested == null && !abortWanted;
    }

    @Override
    public Object attachment() {
        return attachment;
    }

    @Override
    public void attach(Object state) {
        attachment = state;
    }

    @Override
    public long lunField() {
        return lun;
    }

    @Override
    public byte[] cdb() {
        return cdb;
    }

    @Override
    public long taskTag() {
        return itt & 0xffffffffL;
    }

    @Override
    public TaskAttribute attribute() {
        return attribute;
    }

    @Override
    public int expectedDataTransferLength() {
        return edtl;
    }

    @Override
    public boolean writesData() {
        return write;
    }

    @Override
    public boolean readsData() {
        return read;
    }

    @Override
    public CompletableFuture<ByteBuf> receiveData(int length) {
        CompletableFuture<ByteBuf> future = new CompletableFuture<>();
        receiveData(length, (buf, t) -> {
            if (t != null) {
                future.completeExceptionally(t);
            } else if (!future.complete(buf)) {
                buf.release(); // someone gave up on the future meanwhile
            }
        });
        return future;
    }

    /** The WRITE hot path: no future (see {@link ScsiCommand#receiveData(int, java.util.function.BiConsumer)}). */
    @Override
    public void receiveData(int length, java.util.function.BiConsumer<? super ByteBuf, ? super Throwable> then) {
        connection.requestData(this, length, then);
    }

    /** Whether scsi-core asked for the Data-Out. */
    boolean dataRequested() {
        return dataListener != null;
    }

    /** Whether scsi-core asked for the Data-Out and has not had it (or a failure) yet. */
    boolean awaitingData() {
        return dataListener != null && !dataAnswered;
    }

    void dataRequestedBy(java.util.function.BiConsumer<? super ByteBuf, ? super Throwable> listener) {
        dataListener = listener;
    }

    /**
     * Hands the Data-Out (or the failure) to whoever asked, once; false if already answered (the
     * caller keeps the buffer). Nothing of this task is touched after the hand-over: scsi-core may
     * have finished the command, and the task gone back to its connection, by the time it returns.
     */
    boolean answerData(ByteBuf buf, Throwable failure) {
        if (dataListener == null || dataAnswered) {
            return false;
        }
        dataAnswered = true;
        dataListener.accept(buf, failure);
        return true;
    }

    /** The connection's allocator (its NUMA node's pool when placement is active). */
    @Override
    public io.netty.buffer.ByteBufAllocator allocator() {
        io.netty.channel.Channel ch = connection.channel();
        return ch == null ? io.netty.buffer.PooledByteBufAllocator.DEFAULT : ch.alloc();
    }

    @Override
    public void scsiTransferLength(int bytes) {
        transferLength = bytes;
    }

    int transferLength() {
        return transferLength;
    }

    boolean aborted() {
        return abortCompletion != null;
    }

    /** Releases the gathered data if it is still ours, and fails a pending data request. */
    /** The cause is built only when a waiting future needs it: most commands end with none waiting. */
    void dropData(java.util.function.Supplier<? extends Throwable> cause) {
        discarding = true;
        if (buffer != null) {
            buffer.release();
            buffer = null;
        }
        if (awaitingData()) {
            answerData(null, cause.get());
        }
    }

    @Override
    public String toString() {
        return "task[itt=0x" + Integer.toHexString(itt) + ", cdb[0]=0x"
                + Integer.toHexString(cdb.length > 0 ? cdb[0] & 0xff : 0) + ", edtl=" + edtl + "]";
    }
}
