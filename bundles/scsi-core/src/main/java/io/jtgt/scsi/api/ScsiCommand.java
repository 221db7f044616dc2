package io.jtgt.scsi.api;

import io.netty.buffer.ByteBuf;
import java.util.concurrent.CompletableFuture;

/** One SCSI command as the transport received it; implemented by the transport. */
public interface ScsiCommand {

    /** The 8-byte LUN field exactly as received (SAM-5 4.6 addressing, decoded by scsi-core). */
    long lunField();

    /** The CDB bytes (6 to 16, or more with additional CDB). Must not be modified. */
    byte[] cdb();

    /** Initiator task tag, for logs and task management. */
    long taskTag();

    /** SAM task attribute. */
    TaskAttribute attribute();

    /** Expected data transfer length the initiator announced, in bytes. */
    int expectedDataTransferLength();

    /** True when the initiator announced it will send data (iSCSI W bit). */
    boolean writesData();

    /** True when the initiator expects data back (iSCSI R bit). */
    boolean readsData();

    /**
     * Fetches the command's Data-Out: the first {@code length} bytes the initiator sends (the
     * transport soliciting them with R2T as needed). {@code length} is what the CDB asks for; if
     * the initiator announced less, the future fails with {@link IllegalStateException} and the
     * SCSI layer answers accordingly. The caller owns and must release the returned buffer.
     */
    CompletableFuture<ByteBuf> receiveData(int length);

    /**
     * Tells the transport how many bytes of Data-Out the CDB itself asks for (the SCSI transfer
     * length, e.g. blocks x block size for a WRITE), for commands that receive Data-Out. The
     * transport compares it with {@link #expectedDataTransferLength()} to report residual overflow
     * or underflow (RFC 7143 11.4.5.1). scsi-core calls it before it calls {@link #receiveData};
     * when the EDTL is smaller than the CDB's transfer length scsi-core only asks for the whole
     * blocks the EDTL covers and answers GOOD (libiscsi's residual tests expect exactly this), so
     * the transport must then report overflow by the difference. For Data-In the residual follows
     * from the Data-In length the response carries. The default ignores it.
     */
    default void scsiTransferLength(int bytes) {}

    /**
     * Completes when the transport starts aborting this command (ABORT TASK, ABORT TASK SET, CLEAR
     * TASK SET, a reset, I_T nexus loss). A command whose work must outlive its task (SANITIZE: SBC-3
     * 4.11.2, task management does not stop a sanitize operation) then completes its future at once,
     * so the task management function need not wait for the work; every other command ignores it
     * and the transport waits for its future as usual. The default never completes.
     */
    default java.util.concurrent.CompletionStage<Void> abortRequested() {
        return new CompletableFuture<>();
    }

    /**
     * Where the command's Data-In buffer should come from: the transport's allocator for the
     * connection (e.g. the pool of the NUMA node its event loop is pinned to), so the buffer the
     * backend fills is the one the socket sends. The default is Netty's shared pool.
     *
     * @since 2.4
     */
    default io.netty.buffer.ByteBufAllocator allocator() {
        return io.netty.buffer.PooledByteBufAllocator.DEFAULT;
    }

    /**
     * Fetches the command's Data-Out as {@link #receiveData(int)} does, handing it to {@code then}
     * (any thread) instead of through a future: the WRITE hot path, one object less per command.
     * {@code then} gets the buffer (the caller releases it) or the failure. Default: through
     * {@link #receiveData(int)}.
     *
     * @since 2.6
     */
    default void receiveData(int length, java.util.function.BiConsumer<? super ByteBuf, ? super Throwable> then) {
        receiveData(length).whenComplete(then);
    }

    /**
     * scsi-core calls this just before it hands over the outcome of a command it will not touch
     * again once the outcome is handed over: neither this object, nor its CDB array, nor its
     * {@link #attachment()}. A transport may then reuse the object and its CDB array for a later
     * command, once it has dealt with the outcome. Without this call it must not: a command whose
     * work outlives its task (SANITIZE) may still look at it. The default ignores it.
     *
     * @since 2.6
     */
    default void reusableAfterOutcome() {}

    /**
     * What scsi-core attached to this object ({@link #attach}), or null. A transport that reuses
     * the object (see {@link #reusableAfterOutcome()}) keeps the attachment across uses, so that
     * scsi-core's own per-command state is reused with it. The default keeps nothing.
     *
     * @since 2.6
     */
    default Object attachment() {
        return null;
    }

    /** Keeps {@code state} for {@link #attachment()}; scsi-core's alone. The default drops it. */
    default void attach(Object state) {}
}
