package io.jtgt.itests.sample;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;

import io.jtgt.scsi.spi.BackingStore;
import io.jtgt.scsi.spi.BackingStoreException;
import io.jtgt.scsi.spi.StorageConfig;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The sample backend keeps the SPI's promise: no I/O it accepted is ever left without an answer. */
class MemoryBackendTest {

    private final MemoryBackend backend = new MemoryBackend();

    @TempDir
    Path dir;

    @AfterEach
    void close() {
        backend.close();
    }

    private BackingStore open(Map<String, String> options) throws Exception {
        return backend.open(new StorageConfig(1, "memory", "disk-" + options.hashCode(), 1 << 20, 512, false, false,
                options)).get(5, TimeUnit.SECONDS);
    }

    private static ByteBuf block(int value) {
        byte[] b = new byte[512];
        java.util.Arrays.fill(b, (byte) value);
        return Unpooled.wrappedBuffer(b);
    }

    private static int firstByte(BackingStore store, long offset) throws Exception {
        ByteBuf dst = Unpooled.buffer(512);
        store.read(offset, dst, 512).get(5, TimeUnit.SECONDS);
        return dst.getByte(0);
    }

    @Test
    void aHeldWriteWaitsForTheHoldFileToGo() throws Exception {
        Path hold = Files.createFile(dir.resolve("hold"));
        BackingStore store = open(Map.of("holdFile", hold.toString()));
        CompletableFuture<Void> write = store.write(0, block(0x42), false);
        assertFalse(write.isDone(), "held while the file exists");
        Files.delete(hold);
        write.get(5, TimeUnit.SECONDS);
        assertEquals(0x42, firstByte(store, 0));
    }

    @Test
    void closeLetsHeldIoFinishFirstAndRefusesNewIo() throws Exception {
        Path hold = Files.createFile(dir.resolve("hold"));
        BackingStore store = open(Map.of("holdFile", hold.toString()));
        CompletableFuture<Void> write = store.write(512, block(0x43), false);
        CompletableFuture<Void> closed = store.close();
        closed.get(5, TimeUnit.SECONDS);
        assertEquals(true, write.isDone() && !write.isCompletedExceptionally(), "completed before the close did");
        ExecutionException refused = assertThrows(ExecutionException.class,
                () -> store.write(0, block(1), false).get(5, TimeUnit.SECONDS));
        assertInstanceOf(BackingStoreException.class, refused.getCause());
    }

    @Test
    void stoppingTheBackendDropsNoSlowIo() throws Exception {
        BackingStore store = open(Map.of("latencyMs", "200"));
        CompletableFuture<Void> write = store.write(0, block(0x44), false);
        backend.close(); // the bundle stops: what was scheduled still runs
        write.get(5, TimeUnit.SECONDS);
    }
}
