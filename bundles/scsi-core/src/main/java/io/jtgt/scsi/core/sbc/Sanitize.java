package io.jtgt.scsi.core.sbc;

import static io.jtgt.scsi.core.Cdb.u16;

import io.jtgt.scsi.api.ScsiResponse;
import io.jtgt.scsi.core.CommandContext;
import io.jtgt.scsi.core.Medium;
import io.jtgt.scsi.core.SanitizeState;
import io.jtgt.scsi.core.ScsiException;
import io.jtgt.scsi.core.Sequential;
import io.jtgt.scsi.core.SenseCode;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.PooledByteBufAllocator;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * SANITIZE (SBC-3 5.30). Service actions:
 * <ul>
 * <li>OVERWRITE (01h): the initialization pattern (1 byte .. one block, repeated to fill a block)
 *     written over every block OVERWRITE COUNT times, inverted on alternate passes with INVERT;
 * <li>BLOCK ERASE (02h), only where logical block provisioning is enabled: every block is
 *     deallocated (holes punched), so it reads back as zeros (LBPRZ) and GET LBA STATUS reports
 *     the whole medium deallocated; VPD B1h WABEREQ=01b says reads after it succeed;
 * <li>EXIT FAILURE MODE (1Fh).
 * </ul>
 * CRYPTOGRAPHIC ERASE (03h) is not offered: the stores keep user data unencrypted, so there is no
 * key to change; it answers INVALID FIELD IN CDB and REPORT SUPPORTED OPERATION CODES does not list it.
 * The operation runs in the background state {@link SanitizeState}: other commands get NOT READY,
 * SANITIZE IN PROGRESS until it ends (IMMED only decides whether this command waits), and task
 * management does not stop it (SBC-3 4.11.2). The storage option {@code sanitizeRate} caps how fast
 * an overwrite writes, so sanitizing one LUN does not starve the others sharing its storage.
 */
final class Sanitize {

    static final int OVERWRITE = 0x01;
    static final int BLOCK_ERASE = 0x02;
    static final int EXIT_FAILURE_MODE = 0x1F;

    /** Bytes written per step of an overwrite pass. */
    private static final int CHUNK_BYTES = 1 << 20;

    private static final Logger LOG = LoggerFactory.getLogger(Sanitize.class);

    private Sanitize() {}

    static CompletionStage<ScsiResponse> execute(CommandContext ctx) {
        byte[] cdb = ctx.cdb();
        boolean immediate = (cdb[1] & 0x80) != 0;
        boolean ause = (cdb[1] & 0x20) != 0;
        int serviceAction = cdb[1] & 0x1F;
        int parameterLength = u16(cdb, 7);
        Medium m = ctx.medium();
        SanitizeState state = ctx.device().sanitizeState();
        if (serviceAction == EXIT_FAILURE_MODE || serviceAction == BLOCK_ERASE) {
            if (parameterLength != 0) {
                throw ScsiException.invalidCdbField(7, -1); // SBC-3 5.30.2: no parameter list
            }
            if (serviceAction == EXIT_FAILURE_MODE) {
                if (!state.exitFailureMode()) {
                    throw ScsiException.invalidCdbField(1, 4); // the failed SANITIZE had AUSE=0
                }
                return CommandContext.good();
            }
            return run(ctx, immediate, ause, () -> eraseBlocks(m));
        }
        // OVERWRITE: SBC-3 5.30.3 parameter list of 4 header bytes and 1..block size pattern bytes
        if (parameterLength <= 4 || parameterLength > m.blockSize() + 4) {
            throw ScsiException.invalidCdbField(7, -1);
        }
        return ctx.receiveData(parameterLength).thenCompose(list -> {
            byte[] params = new byte[parameterLength];
            list.getBytes(list.readerIndex(), params);
            list.release();
            boolean invert = (params[0] & 0x80) != 0;
            int test = (params[0] >> 5) & 0x03;
            int count = params[0] & 0x1F;
            int patternLength = ((params[2] & 0xFF) << 8) | (params[3] & 0xFF);
            // libiscsi expects INVALID FIELD IN CDB for every malformed overwrite request
            if (test != 0 || count == 0 || patternLength == 0 || patternLength > m.blockSize()
                    || patternLength != parameterLength - 4) {
                throw ScsiException.invalidCdbField(7, -1);
            }
            byte[] pattern = new byte[patternLength];
            System.arraycopy(params, 4, pattern, 0, patternLength);
            int rate = ctx.device().definition().sanitizeRate();
            return run(ctx, immediate, ause, () -> overwrite(m, pattern, count, invert, rate));
        });
    }

    private static CompletableFuture<ScsiResponse> run(CommandContext ctx, boolean immediate, boolean ause,
            java.util.function.Supplier<CompletableFuture<Void>> operation) {
        SanitizeState state = ctx.device().sanitizeState();
        CompletionStage<Void> abortRequested = ctx.command().abortRequested();
        if (!state.start()) {
            throw new ScsiException(SenseCode.SANITIZE_IN_PROGRESS);
        }
        CompletableFuture<Void> done;
        try {
            done = operation.get();
        } catch (RuntimeException e) {
            done = CompletableFuture.failedFuture(e);
        }
        CompletableFuture<ScsiResponse> finished = done.handle((v, t) -> {
            state.finish(t == null, ause);
            if (t != null) {
                LOG.error("SANITIZE failed; the unit is in the sanitize failure mode: {}", t.toString());
                throw new ScsiException(SenseCode.SANITIZE_COMMAND_FAILED);
            }
            return ScsiResponse.good();
        });
        if (immediate) {
            return CommandContext.good();
        }
        // an aborted task ends here; the operation itself goes on (SBC-3 4.11.2)
        CompletableFuture<ScsiResponse> taskEnds = new CompletableFuture<>();
        finished.whenComplete((r, t) -> {
            if (t != null) {
                taskEnds.completeExceptionally(t);
            } else {
                taskEnds.complete(r);
            }
        });
        abortRequested.whenComplete((v, t) -> taskEnds.complete(ScsiResponse.good()));
        return taskEnds;
    }

    /** Deallocates the whole medium, then makes it durable. */
    private static CompletableFuture<Void> eraseBlocks(Medium m) {
        long bytes = m.bytes(m.blocks());
        return m.store().unmap(0, bytes).thenCompose(v -> m.store().flush());
    }

    /** OVERWRITE COUNT passes of the pattern over every block, then a flush. */
    private static CompletableFuture<Void> overwrite(Medium m, byte[] pattern, int passes, boolean invert,
            int mibPerSecond) {
        int chunk = (int) Math.min(CHUNK_BYTES, m.bytes(m.blocks()));
        chunk -= chunk % m.blockSize();
        ByteBuf plain = filled(chunk, m.blockSize(), pattern, false);
        ByteBuf inverted = invert ? filled(chunk, m.blockSize(), pattern, true) : plain.retainedDuplicate();
        long total = m.bytes(m.blocks());
        long chunksPerPass = (total + chunk - 1) / chunk;
        int size = chunk;
        long started = System.nanoTime();
        CompletableFuture<Void> done = Sequential.run(passes * chunksPerPass, i -> {
            long pass = i / chunksPerPass;
            long offset = (i % chunksPerPass) * size;
            int n = (int) Math.min(size, total - offset);
            ByteBuf source = pass % 2 == 1 ? inverted : plain; // SBC-3 5.30.3: INVERT between passes
            CompletableFuture<Void> written = m.store().write(offset, source.slice(0, n), false);
            return mibPerSecond == 0 ? written : written.thenCompose(v -> pace(started, (i + 1) * size, mibPerSecond));
        }).thenCompose(v -> m.store().flush());
        return done.whenComplete((v, t) -> {
            plain.release();
            inverted.release();
        });
    }

    /** Completes when {@code bytesSoFar} written since {@code started} no longer exceed the rate (never blocks). */
    private static CompletableFuture<Void> pace(long started, long bytesSoFar, int mibPerSecond) {
        long dueNanos = bytesSoFar * 1_000_000_000L / ((long) mibPerSecond << 20);
        long waitNanos = dueNanos - (System.nanoTime() - started);
        if (waitNanos <= 0) {
            return CompletableFuture.completedFuture(null);
        }
        return CompletableFuture.runAsync(() -> { },
                CompletableFuture.delayedExecutor(waitNanos, java.util.concurrent.TimeUnit.NANOSECONDS));
    }

    /** Blocks each holding the pattern repeated from the block's first byte (SBC-3 5.30.3). */
    private static ByteBuf filled(int length, int blockSize, byte[] pattern, boolean invert) {
        ByteBuf b = PooledByteBufAllocator.DEFAULT.directBuffer(length);
        for (int i = 0; i < length; i++) {
            byte p = pattern[(i % blockSize) % pattern.length];
            b.writeByte(invert ? ~p : p);
        }
        return b;
    }
}
