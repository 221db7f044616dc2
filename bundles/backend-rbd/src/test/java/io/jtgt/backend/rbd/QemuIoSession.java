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
 * initiator hears next. qemu-io prints its prompt once a command is done; one command is sent at
 * a time, after the prompt (qemu-io reads stdin through stdio: lines sent ahead would sit in its
 * buffer unseen). stdout is line-buffered ({@code stdbuf -oL}); stderr, where qemu reports iSCSI
 * errors, is merged in.
 */
final class QemuIoSession implements AutoCloseable {

    private static final String PROMPT = "qemu-io> ";

    private final Process process;
    private final OutputStream stdin;
    private final StringBuffer output = new StringBuffer();
    private final Thread reader;
    private int consumed;

    /** Starts qemu-io on {@code url} and waits (bounded) until it has logged in and prompts. */
    QemuIoSession(String url, Duration limit) throws IOException, InterruptedException {
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
        untilPrompt("(open)", limit);
    }

    /** Sends one command and returns what it printed, once qemu-io prompts again (bounded). */
    String command(String command, Duration limit) throws IOException, InterruptedException {
        stdin.write((command + "\n").getBytes(StandardCharsets.UTF_8));
        stdin.flush();
        return untilPrompt(command, limit);
    }

    private String untilPrompt(String command, Duration limit) throws InterruptedException {
        long deadline = System.nanoTime() + limit.toNanos();
        while (true) {
            int at = output.indexOf(PROMPT, consumed);
            if (at >= 0) {
                String printed = output.substring(consumed, at);
                consumed = at + PROMPT.length();
                return printed;
            }
            if (System.nanoTime() > deadline || !process.isAlive()) {
                throw new AssertionError("qemu-io: '" + command + "' did not finish within " + limit
                        + "; output so far:\n" + output);
            }
            Thread.sleep(5);
        }
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
