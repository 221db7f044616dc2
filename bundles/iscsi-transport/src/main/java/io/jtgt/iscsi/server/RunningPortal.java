package io.jtgt.iscsi.server;

import io.jtgt.scsi.api.Portal;
import io.jtgt.scsi.config.PortalDefinition;
import io.netty.channel.Channel;
import java.net.InetSocketAddress;

/** A bound listening socket of an {@link IscsiServer}; a management-visible {@link Portal}. */
public final class RunningPortal implements Portal {

    private final PortalDefinition definition;
    private final Channel channel;
    private final IscsiServer server;

    RunningPortal(PortalDefinition definition, Channel channel, IscsiServer server) {
        this.definition = definition;
        this.channel = channel;
        this.server = server;
    }

    @Override
    public int id() {
        return definition.id();
    }

    /** The configured {@code host:port} (port 0 stays 0 here; see {@link #boundAddress()}). */
    @Override
    public String address() {
        return definition.address();
    }

    @Override
    public boolean listening() {
        return channel.isActive();
    }

    /** The address actually bound (the real port when the configuration said 0). */
    public InetSocketAddress boundAddress() {
        return (InetSocketAddress) channel.localAddress();
    }

    public PortalDefinition definition() {
        return definition;
    }

    /** Stops listening; sessions already logged in through this portal stay up. */
    public void close() {
        server.unbind(this);
        if (channel.isOpen()) {
            channel.close().awaitUninterruptibly(5, java.util.concurrent.TimeUnit.SECONDS);
        }
    }

    @Override
    public String toString() {
        return "portal " + definition.id() + " " + (channel.isActive() ? boundAddress() : definition.address());
    }
}
