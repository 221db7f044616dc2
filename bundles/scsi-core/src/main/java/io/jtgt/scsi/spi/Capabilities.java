package io.jtgt.scsi.spi;

/**
 * What a {@link BackingStore} supports beyond read/write/flush.
 *
 * @param canUnmap {@link BackingStore#unmap} really deallocates (e.g. punches a hole)
 * @param unmapReadsZeros unmapped ranges read back as zeros (drives SBC-3 LBPRZ)
 * @param canReportAllocation {@link BackingStore#allocation} reflects the real allocation map
 * @param volatileCache writes without FUA may sit in a volatile cache until {@link BackingStore#flush}
 * @param optimalIoBytes preferred transfer size in bytes, 0 if none (VPD B0 OPTIMAL TRANSFER LENGTH)
 * @param alignmentBytes required alignment of offsets and lengths in bytes, 1 if any is fine
 */
public record Capabilities(
        boolean canUnmap,
        boolean unmapReadsZeros,
        boolean canReportAllocation,
        boolean volatileCache,
        int optimalIoBytes,
        int alignmentBytes) {

    /** A store that only reads, writes and flushes. */
    public static final Capabilities BASIC = new Capabilities(false, false, false, true, 0, 1);
}
