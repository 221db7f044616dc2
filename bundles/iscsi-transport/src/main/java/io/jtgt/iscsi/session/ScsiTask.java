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
 */
final class ScsiTask implements ScsiCommand, java.util.function.BiConsumer<io.jtgt.scsi.api.ScsiResponse, Throwable>,
        Runnable {

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
    final int itt;
    final int cmdSn;
    private final long lun;
    private final byte[] cdb;
    private final TaskAttribute attribute;
    final int edtl;
    private final boolean read;
    private final boolean write;

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
    CompletableFuture<ByteBuf> dataFuture;
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

    /** scsi-core's outcome, handed from its thread to the loop (written before the hop, read after). */
    private io.jtgt.scsi.api.ScsiResponse response;
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
    public void accept(io.jtgt.scsi.api.ScsiResponse r, Throwable t) {
        this.response = r;
        this.error = t;
        connection.completeOnLoop(this);
    }

    /** On the connection's loop, after {@link #accept}'s hop. */
    @Override
    public void run() {
        connection.finish(this);
    }

    io.jtgt.scsi.api.ScsiResponse takeResponse() {
        io.jtgt.scsi.api.ScsiResponse r = response;
        response = null;
        return r;
    }

    Throwable takeError() {
        Throwable t = error;
        error = null;
        return t;
    }

    ScsiTask(IscsiConnection connection, int itt, int cmdSn, long lun, byte[] cdb, TaskAttribute attribute,
            int edtl, boolean read, boolean write) {
        this.connection = connection;
        this.itt = itt;
        this.cmdSn = cmdSn;
        this.lun = lun;
        this.cdb = cdb;
        this.attribute = attribute;
        this.edtl = edtl;
        this.read = read;
        this.write = write;
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
        connection.requestData(this, length, future);
        return future;
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
        if (dataFuture != null && !dataFuture.isDone()) {
            dataFuture.completeExceptionally(cause.get());
        }
    }

    @Override
    public String toString() {
        return "task[itt=0x" + Integer.toHexString(itt) + ", cdb[0]=0x"
                + Integer.toHexString(cdb.length > 0 ? cdb[0] & 0xff : 0) + ", edtl=" + edtl + "]";
    }
}
