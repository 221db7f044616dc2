package io.jtgt.backend.s3;

import java.io.BufferedInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * An HTTP/1.1 relay on 127.0.0.1 in front of the S3 server, for the fault tests:
 *
 * <ul>
 *   <li>{@link #freeze(boolean) frozen}, it accepts connections and reads requests but forwards
 *       nothing either way, like a hung server (SIGSTOP);
 *   <li>{@link #throttle(int, boolean) throttling}, it answers the next N requests itself with
 *       {@code 503 SlowDown}, as S3 does when a prefix gets more requests than it takes: either
 *       after reading the body (having sent {@code 100 Continue}), or at once in answer to
 *       {@code Expect: 100-continue}, without reading the body, and then closes the connection;
 *   <li>{@link #drop(int) dropping}, it closes the connection of each of the next N requests as
 *       soon as their head arrived, answering nothing: what a client sees when a server (or a load
 *       balancer) closes a kept-alive connection just as the client reuses it.
 * </ul>
 *
 * It reads each request's head and {@code Content-Length} body to find request boundaries on a
 * kept-alive connection; responses are pumped back unparsed (clients do not pipeline, so a
 * request arrives only after the previous response ended).
 */
public final class FreezableRelay implements AutoCloseable {

    static final String SLOW_DOWN_BODY = "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n<Error><Code>SlowDown</Code>"
            + "<Message>Please reduce your request rate.</Message><RequestId>relay-503</RequestId></Error>";
    private static final int MAX_HEAD_BYTES = 64 * 1024;

    private final ServerSocket listener;
    private final InetSocketAddress target;
    private final List<Socket> sockets = new CopyOnWriteArrayList<>();
    private final AtomicInteger throttleLeft = new AtomicInteger();
    private final AtomicInteger throttled = new AtomicInteger();
    private final AtomicInteger dropLeft = new AtomicInteger();
    private final AtomicInteger dropped = new AtomicInteger();
    private final AtomicInteger forwarded = new AtomicInteger();
    /** The heads of the last {@value #KEPT_HEADS} requests, for tests of what the client sends. */
    private final java.util.Deque<String> heads = new java.util.concurrent.ConcurrentLinkedDeque<>();
    private static final int KEPT_HEADS = 64;
    private volatile boolean throttleBeforeBody;
    private volatile boolean frozen;
    private volatile boolean closed;

    public FreezableRelay(int targetPort) throws IOException {
        this.target = new InetSocketAddress(InetAddress.getLoopbackAddress(), targetPort);
        this.listener = new ServerSocket(0, 50, InetAddress.getLoopbackAddress());
        daemon(this::acceptLoop, "relay-accept");
    }

    public String endpoint() {
        return "http://127.0.0.1:" + listener.getLocalPort();
    }

    public void freeze(boolean value) {
        frozen = value;
    }

    /**
     * Answers the next {@code requests} requests with 503 SlowDown ({@link Integer#MAX_VALUE}:
     * until called again); {@code beforeBody} answers an {@code Expect: 100-continue} request at
     * once instead of after its body.
     */
    public void throttle(int requests, boolean beforeBody) {
        throttleBeforeBody = beforeBody;
        throttleLeft.set(requests);
    }

    /** Closes the connection of each of the next {@code requests} requests when its head arrived, answering nothing. */
    public void drop(int requests) {
        dropLeft.set(requests);
    }

    /** Requests whose connection was dropped so far. */
    public int dropped() {
        return dropped.get();
    }

    /** Requests answered with 503 so far. */
    public int throttled() {
        return throttled.get();
    }

    /** The request heads (request line and headers) seen last, oldest first. */
    public List<String> heads() {
        return List.copyOf(heads);
    }

    /** Requests passed on to the server so far. */
    public int forwarded() {
        return forwarded.get();
    }

    private void acceptLoop() {
        while (!closed) {
            try {
                Socket client = listener.accept();
                sockets.add(client);
                daemon(() -> serve(client), "relay-requests");
            } catch (IOException e) {
                if (closed) {
                    return;
                }
            }
        }
    }

    /** One client connection: request by request, answered here (503) or forwarded. */
    private void serve(Socket client) {
        Socket server = null;
        try (client) {
            InputStream in = new BufferedInputStream(client.getInputStream());
            OutputStream toClient = client.getOutputStream();
            while (!closed) {
                byte[] head = readHead(in);
                if (head == null) {
                    return; // the client closed the connection
                }
                String headText = new String(head, StandardCharsets.ISO_8859_1);
                heads.addLast(headText);
                while (heads.size() > KEPT_HEADS) {
                    heads.pollFirst();
                }
                long bodyLength = contentLength(headText);
                boolean expectContinue = header(headText, "expect").equalsIgnoreCase("100-continue");
                if (dropLeft.getAndUpdate(n -> Math.max(n - 1, 0)) > 0) {
                    dropped.incrementAndGet();
                    return; // closes the client connection: no answer at all
                }
                if (takeThrottleSlot()) {
                    if (expectContinue && throttleBeforeBody) {
                        sendSlowDown(toClient, true); // the body never comes: this connection is done
                        return;
                    }
                    if (expectContinue) {
                        toClient.write("HTTP/1.1 100 Continue\r\n\r\n".getBytes(StandardCharsets.ISO_8859_1));
                        toClient.flush();
                    }
                    in.skipNBytes(bodyLength);
                    sendSlowDown(toClient, false);
                    continue;
                }
                awaitThaw();
                if (server == null) {
                    server = new Socket(target.getAddress(), target.getPort());
                    sockets.add(server);
                    Socket from = server;
                    daemon(() -> pump(from, client), "relay-responses");
                }
                OutputStream toServer = server.getOutputStream();
                toServer.write(head);
                toServer.flush();
                forwarded.incrementAndGet();
                copy(in, toServer, bodyLength);
            }
        } catch (IOException | InterruptedException e) {
            // either side went away
        } finally {
            if (server != null) {
                closeQuietly(server);
            }
        }
    }

    private boolean takeThrottleSlot() {
        while (true) {
            int left = throttleLeft.get();
            if (left <= 0) {
                return false;
            }
            if (left == Integer.MAX_VALUE || throttleLeft.compareAndSet(left, left - 1)) {
                throttled.incrementAndGet();
                return true;
            }
        }
    }

    private void sendSlowDown(OutputStream out, boolean close) throws IOException {
        byte[] body = SLOW_DOWN_BODY.getBytes(StandardCharsets.UTF_8);
        String head = "HTTP/1.1 503 Slow Down\r\nContent-Type: application/xml\r\nContent-Length: " + body.length
                + "\r\nx-amz-request-id: relay-503\r\n" + (close ? "Connection: close\r\n" : "") + "\r\n";
        out.write(head.getBytes(StandardCharsets.ISO_8859_1));
        out.write(body);
        out.flush();
    }

    /** The request line and headers up to the blank line, or null at end of stream. */
    private static byte[] readHead(InputStream in) throws IOException {
        ByteArrayOutputStream head = new ByteArrayOutputStream();
        int lastFour = 0;
        int b;
        while ((b = in.read()) >= 0) {
            head.write(b);
            lastFour = (lastFour << 8) | b;
            if (lastFour == 0x0D0A0D0A) { // CRLF CRLF ends the head
                return head.toByteArray();
            }
            if (head.size() > MAX_HEAD_BYTES) {
                throw new IOException("request head over " + MAX_HEAD_BYTES + " bytes");
            }
        }
        if (head.size() > 0) {
            throw new IOException("connection closed inside a request head");
        }
        return null;
    }

    private static long contentLength(String head) throws IOException {
        if (header(head, "transfer-encoding").toLowerCase(Locale.ROOT).contains("chunked")) {
            throw new IOException("chunked request bodies are not relayed");
        }
        String value = header(head, "content-length");
        return value.isEmpty() ? 0 : Long.parseLong(value);
    }

    private static String header(String head, String name) {
        for (String line : head.split("\r\n")) {
            int colon = line.indexOf(':');
            if (colon > 0 && line.substring(0, colon).trim().equalsIgnoreCase(name)) {
                return line.substring(colon + 1).trim();
            }
        }
        return "";
    }

    private void copy(InputStream in, OutputStream out, long length) throws IOException, InterruptedException {
        byte[] buffer = new byte[64 * 1024];
        long left = length;
        while (left > 0) {
            int n = in.read(buffer, 0, (int) Math.min(buffer.length, left));
            if (n < 0) {
                throw new IOException("client closed inside a request body");
            }
            awaitThaw();
            out.write(buffer, 0, n);
            left -= n;
        }
        out.flush();
    }

    private void pump(Socket from, Socket to) {
        byte[] buffer = new byte[64 * 1024];
        try (InputStream in = from.getInputStream(); OutputStream out = to.getOutputStream()) {
            int n;
            while ((n = in.read(buffer)) >= 0) {
                awaitThaw(); // hold the bytes: the peer sees a hung server
                out.write(buffer, 0, n);
                out.flush();
            }
        } catch (IOException | InterruptedException e) {
            // connection closed by either side
        } finally {
            closeQuietly(from);
            closeQuietly(to);
        }
    }

    private void awaitThaw() throws InterruptedException {
        while (frozen && !closed) {
            Thread.sleep(5);
        }
    }

    private static void daemon(Runnable body, String name) {
        Thread t = new Thread(body, name);
        t.setDaemon(true);
        t.start();
    }

    private static void closeQuietly(Socket s) {
        try {
            s.close();
        } catch (IOException ignored) {
            // already closed
        }
    }

    @Override
    public void close() throws IOException {
        closed = true;
        listener.close();
        sockets.forEach(FreezableRelay::closeQuietly);
    }
}
