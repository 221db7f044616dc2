package io.jtgt.backend.file;

import java.io.IOException;
import java.nio.file.Path;
import java.util.Optional;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The few Linux file calls Java's {@link java.nio.channels.FileChannel} does not offer: punching
 * holes, preallocating and walking the allocation map of a sparse file. They work on a file
 * descriptor of our own (the JDK does not hand out the one inside a FileChannel without
 * reflection), opened on the same file.
 *
 * <p>This interface names no JNA type, so the backend still loads and serves plain I/O when JNA
 * or libc is missing; {@link #load()} then returns empty and the store reports no thin
 * provisioning capabilities instead of faking them.
 */
interface LinuxFileCalls {

    /** Opens {@code path} for these calls; the result is a file descriptor. */
    int open(Path path, boolean readOnly) throws IOException;

    void close(int fd);

    /** fallocate(FALLOC_FL_PUNCH_HOLE | FALLOC_FL_KEEP_SIZE): deallocates, size unchanged. */
    void punchHole(int fd, long offset, long length) throws IOException;

    /** fallocate(mode 0): allocates blocks so later writes cannot fail for lack of space. */
    void allocate(int fd, long offset, long length) throws IOException;

    /** lseek(SEEK_DATA): the first data byte at or after {@code offset}, or -1 if none (ENXIO). */
    long seekData(int fd, long offset) throws IOException;

    /** lseek(SEEK_HOLE): the first hole byte at or after {@code offset} (EOF counts as a hole), -1 past EOF. */
    long seekHole(int fd, long offset) throws IOException;

    /** What {@link #readCached} returns when the read would have to wait for the disk or a lock. */
    int NOT_CACHED = -1;

    /**
     * preadv2(RWF_NOWAIT) of {@code length} bytes at {@code offset} into native memory at
     * {@code address}: returns at once with what the page cache held (fewer bytes when only part
     * of it was there, or at EOF), or {@link #NOT_CACHED}. It never waits for the disk (Linux
     * 4.14+), so an event loop may call it.
     *
     * @throws UnsupportedOperationException where RWF_NOWAIT reads are not offered (an older
     *     kernel or libc, a filesystem without them)
     */
    default int readCached(int fd, long address, int length, long offset) throws IOException {
        throw new UnsupportedOperationException("preadv2(RWF_NOWAIT) is not bound");
    }

    /** The JNA implementation if JNA and libc are usable on this platform, else empty. */
    static Optional<LinuxFileCalls> load() {
        Logger log = LoggerFactory.getLogger(LinuxFileCalls.class);
        if (!System.getProperty("os.name", "").toLowerCase(java.util.Locale.ROOT).contains("linux")) {
            log.info("Not Linux: file backend without hole punching and allocation map");
            return Optional.empty();
        }
        try {
            return Optional.of(new JnaLinuxFileCalls());
        } catch (Throwable t) { // NoClassDefFoundError without JNA, UnsatisfiedLinkError without libc
            log.warn("JNA/libc unavailable ({}): file backend without hole punching and allocation map", t.toString());
            return Optional.empty();
        }
    }
}
