package io.jtgt.scsi.core.spc;

import static io.jtgt.scsi.core.Cdb.u16;
import static io.jtgt.scsi.core.Cdb.u32;
import static io.jtgt.scsi.core.Cdb.u64;

import io.jtgt.scsi.api.ScsiResponse;
import io.jtgt.scsi.core.CommandContext;
import io.jtgt.scsi.core.CopyResults;
import io.jtgt.scsi.core.Device;
import io.jtgt.scsi.core.Medium;
import io.jtgt.scsi.core.ScsiException;
import io.jtgt.scsi.core.Sequential;
import io.jtgt.scsi.core.SenseCode;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.PooledByteBufAllocator;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.atomic.AtomicLong;

/**
 * EXTENDED COPY (LID1) (SPC-4 6.3): the copy manager (this logical unit) copies blocks between
 * logical units of the same target. Supported: identification descriptor target descriptors
 * (E4h, SPC-4 6.3.6.2) naming a logical unit by its NAA or T10 vendor id designator from VPD 83h,
 * with LU ID TYPE 00b and peripheral type 00h; block device to block device segment descriptors
 * (02h, SPC-4 6.3.7.5). No inline or held data. Every limit here is what RECEIVE COPY RESULTS /
 * OPERATING PARAMETERS and VPD 8Fh report.
 */
final class ExtendedCopy {

    static final int MAX_TARGET_DESCRIPTORS = 2;
    static final int MAX_SEGMENT_DESCRIPTORS = 16;
    static final int TARGET_DESCRIPTOR_LENGTH = 32;
    static final int SEGMENT_DESCRIPTOR_LENGTH = 28;
    static final int MAX_DESCRIPTOR_LIST_LENGTH =
            MAX_TARGET_DESCRIPTORS * TARGET_DESCRIPTOR_LENGTH + MAX_SEGMENT_DESCRIPTORS * SEGMENT_DESCRIPTOR_LENGTH;
    /** MAXIMUM SEGMENT LENGTH in bytes: NUMBER OF BLOCKS is 16 bits, so 65535 blocks of up to 4 KiB. */
    static final long MAX_SEGMENT_BYTES = 65535L * 4096;
    static final int TARGET_IDENTIFICATION = 0xE4;
    static final int SEGMENT_BLOCK_TO_BLOCK = 0x02;

    private static final int HEADER_LENGTH = 16;
    private static final int CHUNK_BYTES = 1 << 20;

    private ExtendedCopy() {}

    /** A resolved target descriptor: the logical unit and the block size the initiator expects. */
    private record CopyTarget(Device device, int blockSize) {}

    private record Segment(int source, int destination, boolean destinationCount, int blocks, long sourceLba,
            long destinationLba) {}

    static CompletionStage<ScsiResponse> execute(CommandContext ctx) {
        int length = (int) Math.min(u32(ctx.cdb(), 10), Integer.MAX_VALUE);
        if (length == 0) {
            return CommandContext.good(); // SPC-4 6.3.1: no parameter list, nothing to copy
        }
        if (length < HEADER_LENGTH) {
            throw new ScsiException(SenseCode.PARAMETER_LIST_LENGTH_ERROR);
        }
        if (length > HEADER_LENGTH + MAX_DESCRIPTOR_LIST_LENGTH + 4096) {
            throw new ScsiException(SenseCode.PARAMETER_LIST_LENGTH_ERROR); // beyond any list we accept
        }
        return ctx.receiveData(length).thenCompose(buf -> {
            byte[] list = new byte[length];
            buf.getBytes(buf.readerIndex(), list);
            buf.release();
            return run(ctx, list);
        });
    }

    private static CompletableFuture<ScsiResponse> run(CommandContext ctx, byte[] p) {
        int listId = p[0] & 0xFF;
        int listIdUsage = (p[1] >> 3) & 0x03;
        int targetsLength = u16(p, 2);
        long segmentsLength = u32(p, 8);
        long inlineLength = u32(p, 12);
        if (listIdUsage == 0x01) {
            throw ScsiException.invalidParameterField(1, 4); // reserved LIST ID USAGE
        }
        if (HEADER_LENGTH + targetsLength + segmentsLength + inlineLength > p.length) {
            throw new ScsiException(SenseCode.PARAMETER_LIST_LENGTH_ERROR); // SPC-4 6.3.1: truncated list
        }
        if (targetsLength + segmentsLength > MAX_DESCRIPTOR_LIST_LENGTH) {
            throw new ScsiException(SenseCode.PARAMETER_LIST_LENGTH_ERROR); // above MAXIMUM DESCRIPTOR LIST LENGTH
        }
        if (targetsLength / TARGET_DESCRIPTOR_LENGTH > MAX_TARGET_DESCRIPTORS) {
            throw new ScsiException(SenseCode.TOO_MANY_TARGET_DESCRIPTORS);
        }
        if (segmentsLength / SEGMENT_DESCRIPTOR_LENGTH > MAX_SEGMENT_DESCRIPTORS) {
            throw new ScsiException(SenseCode.TOO_MANY_SEGMENT_DESCRIPTORS);
        }
        if (inlineLength != 0) {
            throw ScsiException.invalidParameterField(12, -1); // no inline data: no segment type uses it
        }
        List<CopyTarget> targets = new ArrayList<>();
        for (int off = HEADER_LENGTH; off < HEADER_LENGTH + targetsLength; off += TARGET_DESCRIPTOR_LENGTH) {
            targets.add(target(ctx, p, off));
        }
        List<Segment> segments = new ArrayList<>();
        int segEnd = HEADER_LENGTH + targetsLength + (int) segmentsLength;
        for (int off = HEADER_LENGTH + targetsLength; off < segEnd; ) {
            int type = p[off] & 0xFF;
            int descriptorLength = u16(p, off + 2) + 4;
            if (type != SEGMENT_BLOCK_TO_BLOCK) {
                throw new ScsiException(SenseCode.UNSUPPORTED_SEGMENT_DESCRIPTOR_TYPE);
            }
            if (descriptorLength != SEGMENT_DESCRIPTOR_LENGTH || off + descriptorLength > segEnd) {
                throw ScsiException.invalidParameterField(off + 2, -1);
            }
            segments.add(new Segment(u16(p, off + 4), u16(p, off + 6), (p[off + 1] & 0x02) != 0, u16(p, off + 10),
                    u64(p, off + 12), u64(p, off + 20)));
            off += descriptorLength;
        }
        AtomicLong copied = new AtomicLong();
        int[] done = {0};
        CompletableFuture<Void> all = Sequential.run(segments.size(), i -> copy(ctx, targets, segments.get((int) i), copied)
                .thenRun(() -> done[0]++));
        return all.handle((v, t) -> {
            if (listIdUsage == 0x00) { // SPC-4 6.3.1: hold the status for RECEIVE COPY RESULTS
                ctx.device().copyResults().put(ctx.nexusId(), listId,
                        new CopyResults.Status(t == null ? 0x01 : 0x02, done[0], copied.get()));
            }
            if (t != null) {
                throw t instanceof RuntimeException r ? r : new java.util.concurrent.CompletionException(t);
            }
            return ScsiResponse.good();
        });
    }

    /** SPC-4 6.3.6.2 identification descriptor target descriptor, resolved to a logical unit of this target. */
    private static CopyTarget target(CommandContext ctx, byte[] p, int off) {
        int type = p[off] & 0xFF;
        if (type != TARGET_IDENTIFICATION) {
            throw new ScsiException(SenseCode.UNSUPPORTED_TARGET_DESCRIPTOR_TYPE);
        }
        // SPC-4 6.3.6.2: the LU ID TYPE and LU IDENTIFIER fields are ignored (the designator names the unit)
        boolean nul = (p[off + 1] & 0x20) != 0; // obsolete in SPC-4: a null device is not offered
        int peripheralType = p[off + 1] & 0x1F;
        if (nul || peripheralType != 0x00) {
            throw new ScsiException(SenseCode.COPY_TARGET_NOT_REACHABLE); // no null or non-block devices
        }
        int codeSet = p[off + 4] & 0x0F;
        int associationAndType = p[off + 5] & 0x3F;
        int designatorLength = p[off + 7] & 0xFF;
        if (designatorLength > 20) {
            throw ScsiException.invalidParameterField(off + 7, -1);
        }
        byte[] designator = Arrays.copyOfRange(p, off + 8, off + 8 + designatorLength);
        int blockSize = ((p[off + 29] & 0xFF) << 16) | ((p[off + 30] & 0xFF) << 8) | (p[off + 31] & 0xFF);
        for (int lun : ctx.luns()) {
            Device d = ctx.deviceAt(lun);
            if (d != null && matches(d, codeSet, associationAndType, designator)) {
                return new CopyTarget(d, blockSize);
            }
        }
        throw new ScsiException(SenseCode.COPY_TARGET_NOT_REACHABLE);
    }

    /** The logical unit's NAA or T10 vendor id designator as VPD 83h reports it (association LU). */
    private static boolean matches(Device d, int codeSet, int associationAndType, byte[] designator) {
        if (codeSet == 1 && associationAndType == 0x03 && designator.length == 8) {
            return u64(designator, 0) == d.identity().naa();
        }
        if (codeSet == 2 && associationAndType == 0x01) {
            byte[] t10 = (io.jtgt.scsi.core.DeviceIdentity.VENDOR + d.identity().serial())
                    .getBytes(java.nio.charset.StandardCharsets.US_ASCII);
            return Arrays.equals(t10, designator);
        }
        return false;
    }

    /** SPC-4 6.3.7.5 block device to block device: read from the source, write to the destination, chunk by chunk. */
    private static CompletableFuture<Void> copy(CommandContext ctx, List<CopyTarget> targets, Segment s,
            AtomicLong copied) {
        if (s.source() >= targets.size() || s.destination() >= targets.size()) {
            throw new ScsiException(SenseCode.COPY_TARGET_NOT_REACHABLE); // index beyond the target list
        }
        CopyTarget src = targets.get(s.source());
        CopyTarget dst = targets.get(s.destination());
        Medium in = src.device().medium();
        Medium out = dst.device().medium();
        if (in == null || out == null || src.device().removableMedium().ejected()
                || dst.device().removableMedium().ejected()) {
            throw new ScsiException(SenseCode.COPY_TARGET_NOT_REACHABLE);
        }
        if (src.blockSize() != in.blockSize() || dst.blockSize() != out.blockSize()) {
            throw new ScsiException(SenseCode.COPY_ABORTED); // DISK BLOCK LENGTH does not match the unit
        }
        if (dst.device().writeProtected()) {
            throw new ScsiException(SenseCode.WRITE_PROTECTED);
        }
        long bytes = (long) s.blocks() * (s.destinationCount() ? out.blockSize() : in.blockSize());
        if (bytes % in.blockSize() != 0 || bytes % out.blockSize() != 0) {
            throw new ScsiException(SenseCode.COPY_ABORTED); // not whole blocks on both sides
        }
        long srcBlocks = bytes / in.blockSize();
        long dstBlocks = bytes / out.blockSize();
        if (Long.compareUnsigned(s.sourceLba(), in.blocks()) > 0 || srcBlocks > in.blocks() - s.sourceLba()
                || Long.compareUnsigned(s.destinationLba(), out.blocks()) > 0
                || dstBlocks > out.blocks() - s.destinationLba()) {
            throw new ScsiException(SenseCode.COPY_ABORTED); // segment beyond a unit's capacity
        }
        long srcOffset = s.sourceLba() * in.blockSize();
        long dstOffset = s.destinationLba() * out.blockSize();
        long chunks = (bytes + CHUNK_BYTES - 1) / CHUNK_BYTES;
        return Sequential.run(chunks, i -> {
            long at = i * CHUNK_BYTES;
            int n = (int) Math.min(CHUNK_BYTES, bytes - at);
            ByteBuf buf = PooledByteBufAllocator.DEFAULT.directBuffer(n, n);
            CompletableFuture<Void> step = src.device().atomicWriteGate()
                    .plain((srcOffset + at) / in.blockSize(), n / in.blockSize(),
                            () -> in.store().read(srcOffset + at, buf, n))
                    .thenCompose(v -> dst.device().atomicWriteGate().plain((dstOffset + at) / out.blockSize(),
                            n / out.blockSize(), () -> out.store().write(dstOffset + at, buf, false)))
                    .thenRun(() -> copied.addAndGet(n));
            return step.whenComplete((v, t) -> buf.release());
        }).exceptionally(t -> {
            Throwable cause = t instanceof java.util.concurrent.CompletionException && t.getCause() != null
                    ? t.getCause() : t;
            if (cause instanceof ScsiException e) {
                throw e;
            }
            throw new ScsiException(SenseCode.COPY_ABORTED); // an I/O error ends the copy (SPC-4 6.3.x)
        });
    }
}
