package io.jtgt.backend.rbd;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.concurrent.TimeUnit;

/**
 * An interactive {@code qemu-io} holding one iSCSI session open across commands, so a test can
 * change something under a logged-in initiator (e.g. resize the image) and see what that
 * initiator hears next. Its stdout is line-buffered ({@code stdbuf -oL}) so each answer arrives
 * as it is printed; stderr (qemu's iSCSI error reports) is merged in.
 */
final class QemuIoSession implements AutoCloseable {

    private final Process process;
    private final OutputStream stdin;
    private final StringBuffer output = new StringBuffer();
    private final Thread reader;

    QemuIoSession(String url) throws IOException {
        process = new ProcessBuilder("stdbuf", "-oL", "qemu-io", "-f", "raw", url).redirectErrorStream(true).start();
        stdin = process.getOutputStream();
        InputStream in = process.getInputStream();
        reader = new Thread(() -> {
            byte[] buf = new byte[4096];
            try {
                for (int n; (n = in.read(buf)) > 0; ) {
                    output.append(new String(buf, 0, n, StandardCharsets.UTF_8));
                }
            } catch (IOException ended) {
                // the process is gone
            }
        }, "qemu-io-reader");
        reader.setDaemon(true);
        reader.start();
    }

    /**
     * Sends one command and waits (bounded) until the output printed after it contains
     * {@code expected}; returns that output.
     */
    String command(String command, String expected, Duration limit) throws IOException, InterruptedException {
        int from = output.length();
        stdin.write((command + "\n").getBytes(StandardCharsets.UTF_8));
        stdin.flush();
        long deadline = System.nanoTime() + limit.toNanos();
        while (true) {
            String since = output.substring(from);
            if (since.contains(expected)) {
                return since;
            }
            if (System.nanoTime() > deadline || !process.isAlive()) {
                throw new AssertionError("qemu-io: '" + command + "' did not print '" + expected + "' within " + limit
                        + "; output so far:\n" + output);
            }
            Thread.sleep(20);
        }
    }

    String output() {
        return output.toString();
    }

    @Override
    public void close() throws InterruptedException {
        try {
            stdin.write("quit\n".getBytes(StandardCharsets.UTF_8));
            stdin.close();
        } catch (IOException gone) {
            // already ended
        }
        if (!process.waitFor(30, TimeUnit.SECONDS)) {
            process.destroyForcibly().waitFor(10, TimeUnit.SECONDS);
        }
        reader.join(5000);
    }
}
