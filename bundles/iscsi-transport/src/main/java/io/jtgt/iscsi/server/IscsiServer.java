package io.jtgt.iscsi.server;

import io.jtgt.iscsi.login.LoginContext;
import io.jtgt.iscsi.login.LoginController;
import io.jtgt.iscsi.auth.AccessRules;
import io.jtgt.iscsi.auth.ChapAuthenticator;
import io.jtgt.iscsi.login.ParameterTable;
import io.jtgt.iscsi.pdu.CodecSettings;
import io.jtgt.iscsi.pdu.PduDecoder;
import io.jtgt.iscsi.pdu.PduEncoder;
import io.jtgt.iscsi.session.ConnectionContext;
import io.jtgt.iscsi.session.DiscoveryDirectory;
import io.jtgt.iscsi.session.IscsiConnection;
import io.jtgt.iscsi.session.IscsiSession;
import io.jtgt.iscsi.session.SessionRegistry;
import io.jtgt.iscsi.session.SharedLimits;
import io.jtgt.numa.NumaPlacement;
import io.jtgt.scsi.api.ScsiTarget;
import io.jtgt.scsi.api.TargetRegistry;
import io.jtgt.scsi.config.PortalDefinition;
import io.netty.bootstrap.ServerBootstrap;
import io.netty.buffer.PooledByteBufAllocator;
import io.netty.channel.Channel;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.channel.ChannelInitializer;
import io.netty.channel.ChannelOption;
import io.netty.channel.EventLoopGroup;
import io.netty.channel.MultiThreadIoEventLoopGroup;
import io.netty.channel.socket.SocketChannel;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The iSCSI transport: listens on portals, runs logins and sessions, hands SCSI commands to the
 * {@link TargetRegistry}. Plain Java; the OSGi components only construct and bind it.
 */
public final class IscsiServer implements DiscoveryDirectory, AutoCloseable {

    private static final Logger LOG = LoggerFactory.getLogger(IscsiServer.class);

    private final TargetRegistry registry;
    private final TransportSettings settings;
    private final ParameterTable table;
    private final SessionRegistry sessions = new SessionRegistry();
    /** Connection counts and the data budget, shared by every portal. */
    private final SharedLimits shared;
    private final AccessRules accessRules;
    private final ChapAuthenticator authenticator;
    private final Map<Integer, RunningPortal> portals = new ConcurrentHashMap<>();
    private final Transports transport;
    private final EventLoopGroup bossGroup;
    private final EventLoopGroup workerGroup;
    private final NumaPlacement numa;
    /** Our registration for target removals (sessions are asked to log out). */
    private final AutoCloseable targetListener;
    private volatile boolean closed;

    /** A server where every target accepts every initiator without authentication. */
    public IscsiServer(TargetRegistry registry, TransportSettings settings) {
        this(registry, settings, new AccessRules());
    }

    /**
     * A server applying {@code accessRules} (CHAP credentials and initiator lists per target and
     * for discovery); the rules may change while it runs and apply to the next login.
     */
    public IscsiServer(TargetRegistry registry, TransportSettings settings, AccessRules accessRules) {
        this(registry, settings, accessRules, NumaPlacement.inactive());
    }

    /**
     * A server whose connection event loops are spread over the NUMA nodes, each loop's thread
     * pinned to its node and each connection allocating from its loop's node pool, when
     * {@code numa} is active; otherwise exactly as without it.
     */
    public IscsiServer(TargetRegistry registry, TransportSettings settings, AccessRules accessRules,
            NumaPlacement numa) {
        this.numa = numa;
        this.registry = registry;
        this.accessRules = accessRules;
        this.authenticator = new ChapAuthenticator(accessRules);
        this.settings = settings;
        this.table = new ParameterTable(settings);
        this.shared = new SharedLimits(settings.limits());
        this.transport = Transports.choose(settings.transport());
        this.bossGroup = new MultiThreadIoEventLoopGroup(1, transport.ioHandlerFactory());
        this.workerGroup = numa.active()
                // at least one loop per node; 0 means Netty's default of 2 x cores
                ? new NodeLoopGroup(settings.ioThreads() > 0 ? settings.ioThreads() : 2 * Runtime.getRuntime().availableProcessors(),
                        numa, "jtgt-iscsi", transport.ioHandlerFactory())
                : new MultiThreadIoEventLoopGroup(settings.ioThreads(), transport.ioHandlerFactory());
        this.targetListener = registry.addTargetListener(this::targetRemoved);
    }

    /** The socket transport the connection loops run on. */
    Transports transport() {
        return transport;
    }

    /** Binds a portal; blocks until the socket listens. Port 0 picks a free port. */
    public RunningPortal bind(PortalDefinition definition) {
        if (closed) {
            throw new IllegalStateException("server closed");
        }
        LoginContext login = new LoginContext(registry, table, authenticator, sessions, definition.id(),
                settings.queueDepth());
        ConnectionContext context = new ConnectionContext(login, settings, sessions, this, shared);
        ServerBootstrap bootstrap = new ServerBootstrap();
        if (workerGroup instanceof NodeLoopGroup) {
            // Before the acceptor: a connection accepted here registers with a loop of the node
            // this portal's storages sit on (when they agree on one), so network and I/O share a node.
            bootstrap.handler(new ChannelInboundHandlerAdapter() {
                @Override
                public void channelRead(ChannelHandlerContext ctx, Object accepted) {
                    NodeLoopGroup.onNode(storageNodeOf(definition.id()), () -> ctx.fireChannelRead(accepted));
                }
            });
        }
        bootstrap.group(bossGroup, workerGroup)
                .channel(transport.serverChannel())
                .option(ChannelOption.SO_BACKLOG, 128)
                .option(ChannelOption.SO_REUSEADDR, true)
                .childOption(ChannelOption.TCP_NODELAY, true)
                .childOption(ChannelOption.SO_KEEPALIVE, true)
                .childOption(ChannelOption.ALLOCATOR, PooledByteBufAllocator.DEFAULT)
                // Beyond the high mark the connection runs no new commands until the initiator has
                // read its Data-In down to the low mark (a reader that never does is dropped).
                .childOption(ChannelOption.WRITE_BUFFER_WATER_MARK, IscsiConnection.WATER_MARK)
                .childHandler(new ChannelInitializer<SocketChannel>() {
                    @Override
                    protected void initChannel(SocketChannel ch) {
                        if (numa.active()) {
                            // runs on the channel's loop: its thread is pinned to one node, use that node's pool
                            ch.config().setAllocator(numa.allocatorOfCurrentThread());
                        }
                        CodecSettings codec = new CodecSettings(settings.maxRecvDataSegmentLength());
                        ch.pipeline().addLast("flush", new FlushBatcher(64));
                        ch.pipeline().addLast("decoder", new PduDecoder(codec).refillingScsiCommands()); // IscsiConnection keep()s what it holds
                        ch.pipeline().addLast("encoder", new PduEncoder(codec));
                        ch.pipeline().addLast("connection", new IscsiConnection(context, codec));
                    }
                });
        InetSocketAddress address = new InetSocketAddress(definition.host(), definition.port());
        if (address.isUnresolved()) {
            throw new IllegalArgumentException("portal " + definition.id() + ": cannot resolve host '"
                    + definition.host() + "'");
        }
        Channel channel;
        try {
            channel = bootstrap.bind(address).syncUninterruptibly().channel();
        } catch (Exception e) {
            throw new IllegalStateException("portal " + definition.id() + ": cannot listen on "
                    + definition.address() + ": " + e.getMessage(), e);
        }
        RunningPortal portal = new RunningPortal(definition, channel, this);
        RunningPortal previous = portals.put(definition.id(), portal);
        if (previous != null) {
            LOG.warn("portal id {} bound twice; {} replaces {}", definition.id(), portal, previous);
        }
        LOG.info("iSCSI portal {} listening on {} ({})", definition.id(), portal.boundAddress(),
                transport.label());
        return portal;
    }

    /**
     * The NUMA node of every storage behind every target reachable through portal {@code portalId};
     * -1 when they do not all sit on one node (or nothing is placed).
     */
    int storageNodeOf(int portalId) {
        int node = -1;
        for (ScsiTarget target : registry.allTargets()) {
            if (LoginController.portalGroupOf(target, portalId) == null) {
                continue; // not offered on this portal
            }
            int wanted = target.numaNode();
            if (wanted < 0 || (node >= 0 && wanted != node)) {
                return -1;
            }
            node = wanted;
        }
        return numa.nodes().contains(node) ? node : -1;
    }

    void unbind(RunningPortal portal) {
        portals.remove(portal.id(), portal);
    }

    /** RFC 7143 Appendix C: host:port,tpgt for every bound portal in the target's groups. */
    @Override
    public List<String> addresses(ScsiTarget target, InetSocketAddress local) {
        List<String> result = new ArrayList<>();
        Map<Integer, List<Integer>> groups = target.portalGroups();
        if (groups == null) {
            return result;
        }
        for (Map.Entry<Integer, List<Integer>> group : groups.entrySet()) {
            for (Integer id : group.getValue()) {
                RunningPortal portal = portals.get(id);
                if (portal == null || !portal.listening()) {
                    continue;
                }
                InetSocketAddress bound = portal.boundAddress();
                InetAddress host = bound.getAddress();
                if (host == null || host.isAnyLocalAddress()) {
                    host = local.getAddress(); // a wildcard portal: answer with the address asked
                }
                String text = host.getHostAddress();
                if (text.indexOf(':') >= 0) {
                    text = "[" + text + "]";
                }
                result.add(text + ":" + bound.getPort() + "," + group.getKey());
            }
        }
        return result;
    }

    /** Seconds an initiator gets to log out after its target was removed (LIO waits as long). */
    public static final int LOGOUT_GRACE_SECONDS = 10;

    /**
     * The target {@code name} was removed from the registry: every session logged in to it is
     * asked to log out (RFC 7143 11.9.1 AsyncEvent 1) and closed if it has not within
     * {@link #LOGOUT_GRACE_SECONDS}. New logins already fail (the registry no longer has it).
     *
     * @return how many sessions were asked
     */
    public int targetRemoved(String name) {
        return targetRemoved(name, LOGOUT_GRACE_SECONDS);
    }

    /** {@link #targetRemoved(String)} with another grace period (1–3600 s). */
    public int targetRemoved(String name, int graceSeconds) {
        if (graceSeconds < 1 || graceSeconds > 3600) {
            throw new IllegalArgumentException("graceSeconds " + graceSeconds + " outside 1..3600");
        }
        int asked = 0;
        for (IscsiSession session : sessions.sessions()) {
            if (!session.discovery() && session.target().name().equals(name)) {
                session.requestLogout(graceSeconds);
                asked++;
            }
        }
        if (asked > 0) {
            LOG.info("target {} removed: {} session(s) asked to log out", name, asked);
        }
        return asked;
    }

    /** The access rules in force (to change them while running). */
    public AccessRules accessRules() {
        return accessRules;
    }

    public TransportSettings settings() {
        return settings;
    }

    /** Connection counts and data held, for management and tests. */
    public SharedLimits shared() {
        return shared;
    }

    /** The live sessions, for management. */
    public List<IscsiSession> sessions() {
        return sessions.sessions();
    }

    /** Closes every portal and session and stops the event loops. */
    @Override
    public void close() {
        if (closed) {
            return;
        }
        closed = true;
        try {
            targetListener.close();
        } catch (Exception e) {
            LOG.debug("target listener already gone", e);
        }
        for (RunningPortal portal : new ArrayList<>(portals.values())) {
            portal.close();
        }
        for (IscsiSession session : sessions.sessions()) {
            session.terminate();
        }
        bossGroup.shutdownGracefully(0, 2, TimeUnit.SECONDS).syncUninterruptibly();
        workerGroup.shutdownGracefully(0, 2, TimeUnit.SECONDS).syncUninterruptibly();
    }
}
