package io.jtgt.backend.s3;

import java.io.IOException;
import java.io.StringReader;
import java.nio.charset.StandardCharsets;
import java.util.Properties;

/**
 * The device's shape, recorded in the metadata object {@value #OBJECT_NAME} under the prefix so
 * that a reopen with another chunk size (which would read the wrong bytes from every object) is
 * refused instead of corrupting data.
 *
 * @param size device size in bytes
 * @param chunkSize bytes per chunk object (the last chunk may be shorter)
 * @param blockSize logical block size in bytes
 */
record Geometry(long size, int chunkSize, int blockSize) {

    static final String OBJECT_NAME = "jtgt-geometry.properties";

    long chunkCount() {
        return (size + chunkSize - 1) / chunkSize;
    }

    long chunkStart(long index) {
        return index * chunkSize;
    }

    /** Length of chunk {@code index}: the chunk size, or less for a last partial chunk. */
    int chunkLength(long index) {
        return (int) Math.min(chunkSize, size - chunkStart(index));
    }

    long chunkOf(long offset) {
        return offset / chunkSize;
    }

    byte[] encode() {
        String text = "# jtgt S3 device geometry: do not edit; reopening with other values is refused\n"
                + "format=1\nsize=" + size + "\nchunkSize=" + chunkSize + "\nblockSize=" + blockSize + "\n";
        return text.getBytes(StandardCharsets.UTF_8);
    }

    static Geometry decode(byte[] bytes, String where) {
        Properties p = new Properties();
        try {
            p.load(new StringReader(new String(bytes, StandardCharsets.UTF_8)));
            return new Geometry(Long.parseLong(p.getProperty("size").trim()),
                    Integer.parseInt(p.getProperty("chunkSize").trim()),
                    Integer.parseInt(p.getProperty("blockSize").trim()));
        } catch (IOException | RuntimeException e) {
            throw new IllegalStateException(where + " is not a readable jtgt geometry object: " + e);
        }
    }
}
