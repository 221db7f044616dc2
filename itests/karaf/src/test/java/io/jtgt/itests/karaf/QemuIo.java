package io.jtgt.itests.karaf;

import java.io.Closeable;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.TimeUnit;

/**
 * An interactive {@code qemu-io} on one iSCSI LUN: one libiscsi session held open for as long as
 * the test wants, commands sent one at a time on stdin, each answered by the text qemu-io prints
 * before its next prompt. Every wait is bounded.
 */
final class QemuIo implements Closeable {

    private static final String PROMPT = "qemu-io> ";
    private static final long COMMAND_TIMEOUT_MS = 60_000;

    private final Process process;
    private final OutputStream stdin;
    private final StringBuilder output = new StringBuilder();
    private final Thread reader;
    private int consumed;

    /** Opens LUN {@code lun} of {@code target} and waits for the first prompt (the session is up). */
    QemuIo(String portal, String target, int lun) throws IOException {
        this(portal, target, lun, null);
    }

    /** The same, logging in as {@code initiatorName} (null: QEMU's own). */
    QemuIo(String portal, String target, int lun, String initiatorName) throws IOException {
        process = new ProcessBuilder("qemu-io", "--image-opts", "driver=iscsi,transport=tcp,portal=" + portal + ",target="
                + target + ",lun=" + lun + (initiatorName == null ? "" : ",initiator-name=" + initiatorName))
                .redirectErrorStream(true).start();
        stdin = process.getOutputStream();
        InputStream out = process.getInputStream();
        reader = new Thread(() -> {
            byte[] buffer = new byte[4096];
            try {
                for (int n; (n = out.read(buffer)) >= 0; ) {
                    synchronized (output) {
                        output.append(new String(buffer, 0, n, StandardCharsets.UTF_8));
                        output.notifyAll();
                    }
                }
            } catch (IOException e) {
                // the process went away: what it printed is kept
            }
            synchronized (output) {
                output.notifyAll();
            }
        }, "qemu-io output");
        reader.setDaemon(true);
        reader.start();
        String opened = next();
        if (!process.isAlive()) {
            throw new IOException("qemu-io could not open LUN " + lun + " of " + target + ":\n" + opened);
        }
    }

    /** Runs one qemu-io command; returns what it printed (errors included). */
    String run(String command) throws IOException {
        stdin.write((command + "\n").getBytes(StandardCharsets.UTF_8));
        stdin.flush();
        return next();
    }

    /** Runs a command that must succeed: no "failed" and no pattern mismatch in its output. */
    String ok(String command) throws IOException {
        String printed = run(command);
        if (printed.contains("failed") || printed.contains("error") || !process.isAlive()) {
            throw new AssertionError("qemu-io '" + command + "' failed:\n" + printed);
        }
        return printed;
    }

    boolean alive() {
        return process.isAlive();
    }

    /** Text up to the next prompt (or to the end, if qemu-io exits), consumed. */
    private String next() throws IOException {
        long deadline = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(COMMAND_TIMEOUT_MS);
        synchronized (output) {
            while (true) {
                int prompt = output.indexOf(PROMPT, consumed);
                if (prompt >= 0) {
                    String text = output.substring(consumed, prompt);
                    consumed = prompt + PROMPT.length();
                    return text;
                }
                long left = TimeUnit.NANOSECONDS.toMillis(deadline - System.nanoTime());
                if (!reader.isAlive() || left <= 0) {
                    String text = output.substring(consumed);
                    consumed = output.length();
                    if (left <= 0) {
                        throw new IOException("qemu-io gave no prompt within " + COMMAND_TIMEOUT_MS + " ms:\n" + text);
                    }
                    return text;
                }
                try {
                    output.wait(Math.min(left, 1000));
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                    throw new IOException("interrupted", e);
                }
            }
        }
    }

    /** Quits qemu-io (its session logs out), killing it if it does not go within 10 s. */
    @Override
    public void close() {
        try {
            stdin.write("quit\n".getBytes(StandardCharsets.UTF_8));
            stdin.close();
        } catch (IOException e) {
            // already gone
        }
        try {
            if (!process.waitFor(10, TimeUnit.SECONDS)) {
                process.destroyForcibly().waitFor(10, TimeUnit.SECONDS);
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            process.destroyForcibly();
        }
    }
}
