package io.jtgt.bench;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.channels.ServerSocketChannel;
import java.nio.channels.SocketChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;

/**
 * The Data-In question of issue 8 item 5, measured without the rest of the target: moving one
 * read of a page-cached image file into a loopback TCP socket either as the data path does it
 * now (pread into a direct buffer, then write: two copies) or with sendfile ({@code
 * FileChannel.transferTo}, what a Netty FileRegion does on epoll: the socket references the
 * page-cache pages). A second thread drains the socket, like the initiator would.
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.Throughput)
@OutputTimeUnit(TimeUnit.SECONDS)
public class DataInCopyBench {

    private static final long FILE_SIZE = 64L << 20;

    @Param({"4096", "131072", "1048576"})
    public int size;

    private Path file;
    private FileChannel image;
    private ServerSocketChannel listener;
    private SocketChannel out;
    private Thread drain;
    private ByteBuffer buffer;
    private long position;

    @Setup
    public void setup() throws IOException {
        file = Files.createTempFile("jtgt-datain", ".img");
        byte[] chunk = new byte[1 << 20];
        new java.util.Random(7).nextBytes(chunk);
        try (FileChannel w = FileChannel.open(file, StandardOpenOption.WRITE)) {
            for (long p = 0; p < FILE_SIZE; p += chunk.length) {
                w.write(ByteBuffer.wrap(chunk), p);
            }
        }
        image = FileChannel.open(file, StandardOpenOption.READ);
        ByteBuffer warm = ByteBuffer.allocateDirect(1 << 20);
        for (long p = 0; p < FILE_SIZE; p += warm.capacity()) { // page cache warm, as in bench/run.sh
            warm.clear();
            image.read(warm, p);
        }
        listener = ServerSocketChannel.open().bind(new InetSocketAddress("127.0.0.1", 0));
        out = SocketChannel.open(listener.getLocalAddress());
        SocketChannel in = listener.accept();
        drain = new Thread(() -> {
            ByteBuffer sink = ByteBuffer.allocateDirect(1 << 20);
            try {
                while (in.read(sink) >= 0) {
                    sink.clear();
                }
            } catch (IOException closed) {
                // the benchmark is over
            }
        }, "drain");
        drain.setDaemon(true);
        drain.start();
        buffer = ByteBuffer.allocateDirect(size);
    }

    @TearDown
    public void tearDown() throws Exception {
        out.close();
        drain.join(5000);
        listener.close();
        image.close();
        Files.deleteIfExists(file);
    }

    private long next() {
        position = (position + 7919L * 4096) % (FILE_SIZE - size);
        return position / 4096 * 4096;
    }

    @Benchmark
    public long preadThenWrite() throws IOException {
        long at = next();
        buffer.clear();
        while (buffer.hasRemaining()) {
            image.read(buffer, at + buffer.position());
        }
        buffer.flip();
        while (buffer.hasRemaining()) {
            out.write(buffer);
        }
        return at;
    }

    @Benchmark
    public long sendfile() throws IOException {
        long at = next();
        long sent = 0;
        while (sent < size) {
            sent += image.transferTo(at + sent, size - sent, out);
        }
        return at;
    }
}
