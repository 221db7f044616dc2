package io.jtgt.iscsi.server;

import io.netty.channel.IoHandlerFactory;
import io.netty.channel.epoll.Epoll;
import io.netty.channel.epoll.EpollIoHandler;
import io.netty.channel.epoll.EpollServerSocketChannel;
import io.netty.channel.nio.NioIoHandler;
import io.netty.channel.socket.ServerSocketChannel;
import io.netty.channel.socket.nio.NioServerSocketChannel;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** Chooses epoll where the native transport loads, NIO otherwise (Netty 4.2 IoHandler API). */
final class Transports {

    private static final Logger LOG = LoggerFactory.getLogger(Transports.class);

    private Transports() {}

    static boolean epoll() {
        try {
            if (Epoll.isAvailable()) {
                return true;
            }
            LOG.info("epoll unavailable ({}), using NIO", Epoll.unavailabilityCause().toString());
        } catch (Throwable t) {
            LOG.info("epoll unavailable ({}), using NIO", t.toString());
        }
        return false;
    }

    static IoHandlerFactory ioHandlerFactory(boolean epoll) {
        return epoll ? EpollIoHandler.newFactory() : NioIoHandler.newFactory();
    }

    static Class<? extends ServerSocketChannel> serverChannel(boolean epoll) {
        return epoll ? EpollServerSocketChannel.class : NioServerSocketChannel.class;
    }
}
