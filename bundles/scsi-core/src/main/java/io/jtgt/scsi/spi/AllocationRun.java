package io.jtgt.scsi.spi;

/**
 * A run of bytes that are all mapped or all unmapped (for GET LBA STATUS, SBC-3 5.7).
 *
 * @param offset first byte of the run
 * @param length length of the run in bytes, at least one logical block
 * @param mapped true when the range holds written data
 */
public record AllocationRun(long offset, long length, boolean mapped) {}
