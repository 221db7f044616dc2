package io.jtgt.backend.file;

import io.jtgt.scsi.spi.Capabilities;
import io.jtgt.scsi.spi.StorageConfig;
import java.io.IOException;
import java.io.RandomAccessFile;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.Optional;
import java.util.concurrent.Executor;
import java.util.function.Consumer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Turns a {@link StorageConfig} into an open {@link FileBackingStore}: checks the configuration,
 * creates a missing file (sparse when thin-provisioned, fully allocated otherwise), opens the
 * channels and finds out which thin-provisioning calls really work on this file's filesystem.
 * Blocking; runs on the provider's I/O pool.
 */
final class BackingFileOpener {

    private static final Logger LOG = LoggerFactory.getLogger(BackingFileOpener.class);

    private final Optional<LinuxFileCalls> linux;
    private final Executor executor;
    /** The seed's per-storage NUMA keys, which the provider reads. */
    static final java.util.Set<String> NUMA_OPTIONS = java.util.Set.of("enableNUMA", "numaNode");

    BackingFileOpener(Optional<LinuxFileCalls> linux, Executor executor) {
        this.linux = linux;
        this.executor = executor;
    }

    FileBackingStore open(StorageConfig config, Consumer<FileBackingStore> onClosed) throws IOException {
        return open(config, onClosed, executor);
    }

    /** Opens a store whose I/O runs on {@code ioExecutor} (its NUMA node's pool, or the shared one). */
    FileBackingStore open(StorageConfig config, Consumer<FileBackingStore> onClosed, Executor ioExecutor)
            throws IOException {
        String where = "storage deviceID=" + config.deviceId();
        if (config.location() == null || config.location().isBlank()) {
            throw new IllegalArgumentException(where + ": path is empty; expected file:/abs/path.img");
        }
        int blockSize = config.blockSize() > 0 ? config.blockSize() : 512;
        Path path = Path.of(config.location()).toAbsolutePath();
        boolean created = false;
        if (Files.exists(path)) {
            if (!Files.isRegularFile(path)) {
                throw new IllegalArgumentException(where + ": path " + path
                        + " is not a regular file (the file backend serves flat image files)");
            }
        } else {
            create(config, where, path, blockSize);
            created = true;
        }
        try {
            return openExisting(config, where, path, blockSize, onClosed, ioExecutor);
        } catch (IOException | RuntimeException e) {
            if (created) {
                Files.deleteIfExists(path); // do not leave a half-made device behind
            }
            throw e;
        }
    }

    private void create(StorageConfig config, String where, Path path, int blockSize) throws IOException {
        if (config.readOnly()) {
            throw new IllegalArgumentException(where + ": file " + path + " does not exist and the storage is read-only");
        }
        long deviceSize = config.deviceSize();
        if (deviceSize <= 0) {
            throw new IllegalArgumentException(where + ": file " + path
                    + " does not exist and deviceSize is not set; deviceSize (bytes, > 0) is required to create it");
        }
        if (deviceSize % blockSize != 0) {
            throw new IllegalArgumentException(where + ": deviceSize " + deviceSize
                    + " is not a multiple of the block size " + blockSize);
        }
        if (path.getParent() != null) {
            Files.createDirectories(path.getParent());
        }
        Files.createFile(path); // fails if someone else created it meanwhile: never clobber data
        try (RandomAccessFile file = new RandomAccessFile(path.toFile(), "rw")) {
            file.setLength(deviceSize); // ftruncate: sparse, no block allocated yet
        }
        if (!config.thinProvisioning()) {
            preallocate(path, deviceSize);
        }
        LOG.info("Created {} of {} bytes ({})", path, deviceSize,
                config.thinProvisioning() ? "sparse, thin-provisioned" : "fully provisioned");
    }

    /** SBC-3 4.7.2: a fully provisioned LU must not run out of space on a write. */
    private void preallocate(Path path, long deviceSize) throws IOException {
        if (linux.isEmpty()) {
            LOG.warn("Cannot preallocate {} without JNA/libc: the file stays sparse", path);
            return;
        }
        LinuxFileCalls calls = linux.get();
        int fd = calls.open(path, false);
        try {
            calls.allocate(fd, 0, deviceSize);
        } catch (NativeCallException e) {
            if (e.errno() != NativeCallException.EOPNOTSUPP) {
                throw e;
            }
            LOG.warn("Filesystem of {} cannot preallocate: the file stays sparse", path);
        } finally {
            calls.close(fd);
        }
    }

    private FileBackingStore openExisting(StorageConfig config, String where, Path path, int blockSize,
            Consumer<FileBackingStore> onClosed, Executor ioExecutor) throws IOException {
        boolean readOnly = config.readOnly();
        FileChannel channel = null;
        FileChannel dsyncChannel = null;
        NativeFile nativeFile = null;
        try {
            channel = readOnly
                    ? FileChannel.open(path, StandardOpenOption.READ)
                    : FileChannel.open(path, StandardOpenOption.READ, StandardOpenOption.WRITE);
            if (!readOnly) {
                dsyncChannel = FileChannel.open(path, StandardOpenOption.WRITE, StandardOpenOption.DSYNC);
            }
            long size = channel.size();
            if (size < blockSize) {
                throw new IllegalArgumentException(where + ": file " + path + " holds " + size
                        + " bytes, less than one block of " + blockSize);
            }
            if (config.deviceSize() > 0 && config.deviceSize() != size) {
                LOG.info("{}: {} exists with {} bytes; deviceSize {} is ignored (the file's size wins)",
                        where, path, size, config.deviceSize());
            }
            java.util.Set<String> ignored = new java.util.TreeSet<>(config.options().keySet());
            ignored.removeAll(NUMA_OPTIONS); // placed by the provider (its node's I/O pool)
            if (!ignored.isEmpty()) {
                LOG.info("{}: options {} have no effect on the file backend", where, ignored);
            }
            if (size % blockSize != 0) {
                LOG.warn("{}: {} bytes of {} is not a multiple of the block size {}; the tail is not addressable",
                        where, size, path, blockSize);
            }
            nativeFile = openNative(path, readOnly);
            boolean canUnmap = nativeFile != null && !readOnly && config.thinProvisioning()
                    && punchHoleWorks(nativeFile, size, blockSize);
            boolean canReportAllocation = nativeFile != null && seekDataWorks(nativeFile);
            // unmapReadsZeros: a punched hole (or any never-written range) of a file reads as zeros.
            Capabilities capabilities = new Capabilities(canUnmap, true, canReportAllocation, true, 0, 1);
            FileBackingStore store = new FileBackingStore(path, channel, dsyncChannel, nativeFile, capabilities,
                    blockSize, size, ioExecutor, onClosed);
            LOG.info("Opened {}", store);
            return store;
        } catch (IOException | RuntimeException e) {
            closeAll(channel, dsyncChannel, nativeFile);
            throw e;
        }
    }

    private NativeFile openNative(Path path, boolean readOnly) {
        if (linux.isEmpty()) {
            return null;
        }
        try {
            return new NativeFile(linux.get(), linux.get().open(path, readOnly));
        } catch (IOException e) {
            LOG.warn("Cannot open {} through libc ({}): no hole punching or allocation map", path, e.getMessage());
            return null;
        }
    }

    /**
     * Probes hole punching where it cannot touch data: beyond EOF, with KEEP_SIZE. A filesystem
     * without punch-hole support answers EOPNOTSUPP before looking at the range.
     */
    private static boolean punchHoleWorks(NativeFile file, long size, int blockSize) {
        try {
            file.calls().punchHole(file.fd(), size, blockSize);
            return true;
        } catch (IOException e) {
            LOG.info("Hole punching unavailable ({}): unmap disabled", e.getMessage());
            return false;
        }
    }

    private static boolean seekDataWorks(NativeFile file) {
        try {
            file.calls().seekData(file.fd(), 0);
            return true;
        } catch (IOException e) {
            LOG.info("SEEK_DATA unavailable ({}): no allocation map", e.getMessage());
            return false;
        }
    }

    private static void closeAll(FileChannel channel, FileChannel dsyncChannel, NativeFile nativeFile) {
        for (FileChannel c : new FileChannel[] {channel, dsyncChannel}) {
            if (c != null) {
                try {
                    c.close();
                } catch (IOException ignored) {
                    // already failing; the first error is the one reported
                }
            }
        }
        if (nativeFile != null) {
            nativeFile.close();
        }
    }
}
