package io.jtgt.iscsi.server;

import io.netty.channel.IoHandlerFactory;
import io.netty.channel.epoll.Epoll;
import io.netty.channel.epoll.EpollIoHandler;
import io.netty.channel.epoll.EpollServerSocketChannel;
import io.netty.channel.nio.NioIoHandler;
import io.netty.channel.socket.ServerSocketChannel;
import io.netty.channel.socket.nio.NioServerSocketChannel;
import io.netty.channel.uring.IoUring;
import io.netty.channel.uring.IoUringIoHandler;
import io.netty.channel.uring.IoUringServerSocketChannel;
import java.util.Locale;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The socket transport of the connection event loops (Netty 4.2 IoHandler API): io_uring where
 * it works, else epoll, else NIO. On io_uring loops a backend that speaks io_uring (backendType
 * iouring) submits its file I/O to the very loop that decoded the command and gets the
 * completion there: no thread hop and no wake-up between the socket and the file.
 */
enum Transports {
    IO_URING("io_uring"), EPOLL("epoll"), NIO("nio");

    private static final Logger LOG = LoggerFactory.getLogger(Transports.class);

    /** {@code transport} in {@code io.jtgt.iscsi}: what operators may ask for. */
    static final String AUTO = "auto";

    private final String label;

    Transports(String label) {
        this.label = label;
    }

    /** The name used in configuration and log lines. */
    String label() {
        return label;
    }

    /**
     * The transport for {@code wanted} ({@code auto}, {@code io_uring}, {@code epoll} or {@code nio}):
     * the wanted one when it loads, otherwise the next one down, with a log line saying why.
     */
    static Transports choose(String wanted) {
        Transports first = parse(wanted);
        if (first == IO_URING) {
            String why = ioUringUnusable();
            if (why == null) {
                return IO_URING;
            }
            LOG.info("io_uring transport unavailable ({}), trying epoll", why);
            first = EPOLL;
        }
        if (first == EPOLL) {
            String why = epollUnusable();
            if (why == null) {
                return EPOLL;
            }
            LOG.info("epoll unavailable ({}), using NIO", why);
        }
        return NIO;
    }

    static Transports parse(String wanted) {
        String w = wanted == null ? AUTO : wanted.trim().toLowerCase(Locale.ROOT);
        switch (w) {
            case AUTO:
            case "io_uring":
            case "iouring":
                return IO_URING;
            case "epoll":
                return EPOLL;
            case "nio":
                return NIO;
            default:
                throw new IllegalArgumentException("transport must be auto, io_uring, epoll or nio, was '" + wanted + "'");
        }
    }

    private static String ioUringUnusable() {
        try {
            return IoUring.isAvailable() ? null : String.valueOf(IoUring.unavailabilityCause());
        } catch (Throwable t) { // classes or native fragment missing
            return t.toString();
        }
    }

    private static String epollUnusable() {
        try {
            return Epoll.isAvailable() ? null : String.valueOf(Epoll.unavailabilityCause());
        } catch (Throwable t) {
            return t.toString();
        }
    }

    IoHandlerFactory ioHandlerFactory() {
        switch (this) {
            case IO_URING: return IoUringIoHandler.newFactory();
            case EPOLL: return EpollIoHandler.newFactory();
            default: return NioIoHandler.newFactory();
        }
    }

    Class<? extends ServerSocketChannel> serverChannel() {
        switch (this) {
            case IO_URING: return IoUringServerSocketChannel.class;
            case EPOLL: return EpollServerSocketChannel.class;
            default: return NioServerSocketChannel.class;
        }
    }
}
