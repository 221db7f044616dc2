package io.jtgt.scsi.core;

import io.jtgt.scsi.spi.BackingStore;
import io.jtgt.scsi.spi.Capabilities;

/**
 * An opened store as one command sees it: taken once when the command starts, so a provider
 * leaving mid-command cannot swap the store under it (the backend finishes in-flight I/O before
 * it closes).
 *
 * @param thinProvisioned the storage is configured thin and the store can unmap (SBC-3 LBPME)
 */
public record Medium(BackingStore store, int blockSize, Capabilities capabilities, boolean thinProvisioned) {

    /** Number of logical blocks; follows the store's size if the backend learns of a resize. */
    public long blocks() {
        return store.size() / blockSize;
    }

    /** SBC-3 LBPRZ: unmapped blocks read as zeros. */
    public boolean unmappedReadsZeros() {
        return thinProvisioned && capabilities.unmapReadsZeros();
    }

    /** Converts a block count to bytes. */
    public long bytes(long blocks) {
        return blocks * blockSize;
    }
}
