package io.jtgt.iscsi.session;

import io.jtgt.iscsi.server.ConnectionLimits;
import java.net.InetAddress;
import java.util.HashMap;
import java.util.Map;
import java.util.concurrent.atomic.AtomicLong;

/**
 * The limits all connections of one server share (thread-safe): how many connections are open,
 * in total and per initiator address, and how many bytes of command data all of them hold
 * ({@link ConnectionLimits}).
 */
public final class SharedLimits {

    /** What a new connection may do. */
    public enum Admission {
        /** Go ahead. */
        ACCEPT,
        /** Too many from this address: its login is answered "out of resources" (a few of them). */
        REFUSE_LOGIN,
        /** Too many in total, or far too many from this address: closed at once. */
        CLOSE
    }

    private final ConnectionLimits limits;
    private final Map<InetAddress, Integer> perAddress = new HashMap<>();
    private int open;
    private final AtomicLong dataBytes = new AtomicLong();
    private final AtomicLong internalErrors = new AtomicLong();

    public SharedLimits(ConnectionLimits limits) {
        this.limits = limits;
    }

    public ConnectionLimits limits() {
        return limits;
    }

    /** Counts a new connection from {@code address}; pair with {@link #closed} unless CLOSE. */
    public synchronized Admission opened(InetAddress address) {
        if (open >= limits.maxConnections()) {
            return Admission.CLOSE;
        }
        int fromThere = perAddress.getOrDefault(address, 0) + 1;
        if (fromThere > limits.maxConnectionsPerAddress() + REFUSALS) {
            return Admission.CLOSE; // a flood from one address: answering it would only help it
        }
        open++;
        perAddress.put(address, fromThere);
        return fromThere > limits.maxConnectionsPerAddress() ? Admission.REFUSE_LOGIN : Admission.ACCEPT;
    }

    /** Connections over the per-address limit that still get a login answer saying why. */
    static final int REFUSALS = 8;

    public synchronized void closed(InetAddress address) {
        open--;
        perAddress.computeIfPresent(address, (a, n) -> n == 1 ? null : n - 1);
    }

    /** Open connections now (for tests and management). */
    public synchronized int openConnections() {
        return open;
    }

    /** Takes {@code bytes} of the shared data budget, or nothing and false when it would overflow. */
    boolean reserveData(long bytes) {
        while (true) {
            long used = dataBytes.get();
            if (used + bytes > limits.maxDataBytes()) {
                return false;
            }
            if (dataBytes.compareAndSet(used, used + bytes)) {
                return true;
            }
        }
    }

    void releaseData(long bytes) {
        dataBytes.addAndGet(-bytes);
    }

    /** A bug of ours showed (an exception no input should cause); counted for management and tests. */
    void internalError() {
        internalErrors.incrementAndGet();
    }

    /** How many internal errors connections have met since the server started. */
    public long internalErrors() {
        return internalErrors.get();
    }

    /** Bytes of command data all connections hold now. */
    public long dataBytes() {
        return dataBytes.get();
    }
}
