package io.jtgt.backend.iouring;

import io.jtgt.scsi.spi.StorageConfig;
import java.io.IOException;
import java.io.RandomAccessFile;
import java.nio.file.Files;
import java.nio.file.Path;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Creates a missing image as a sparse file of {@code deviceSize} bytes and reports the size of an
 * existing one, with the same rules and messages as the file backend (the file's size wins).
 * Blocking: called on the provider's blocking pool, never on a ring.
 */
final class ImageFiles {

    private static final Logger LOG = LoggerFactory.getLogger(ImageFiles.class);

    private ImageFiles() {
    }

    /** Returns the usable size in bytes of the image at {@code path}, creating it if allowed. */
    static long prepare(StorageConfig config, Path path) throws IOException {
        String where = "storage " + config.deviceId();
        int blockSize = config.blockSize();
        if (Files.exists(path)) {
            if (!Files.isRegularFile(path)) {
                throw new IllegalArgumentException(where + ": path " + path + " is not a regular file");
            }
            long size = Files.size(path);
            if (size < blockSize) {
                throw new IllegalArgumentException(where + ": file " + path + " holds " + size
                        + " bytes, less than one block of " + blockSize);
            }
            if (config.deviceSize() > 0 && config.deviceSize() != size) {
                LOG.info("{}: {} exists with {} bytes; deviceSize {} is ignored (the file's size wins)",
                        where, path, size, config.deviceSize());
            }
            return size - size % blockSize; // a partial tail block is not addressable
        }
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
        Path parent = path.toAbsolutePath().getParent();
        if (parent != null) {
            Files.createDirectories(parent);
        }
        try (RandomAccessFile file = new RandomAccessFile(path.toFile(), "rw")) {
            file.setLength(deviceSize); // ftruncate: sparse, no block allocated yet
        }
        LOG.info("Created {} of {} bytes (sparse)", path, deviceSize);
        return deviceSize;
    }
}
