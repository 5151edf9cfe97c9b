package io.echoack.server;

import io.echoack.common.endpoint.Endpoint;
import io.echoack.common.endpoint.EndpointKind;
import io.echoack.common.transport.Transport;
import io.echoack.common.transport.TransportSelection;
import io.echoack.common.transport.TransportUnavailableException;
import io.echoack.server.config.ListenerSpec;
import io.echoack.server.config.ServerConfig;
import io.echoack.server.datagram.DatagramResponder;
import io.echoack.server.stream.StreamServerInitializer;
import io.echoack.server.unix.SocketFileGuard;
import io.netty.bootstrap.Bootstrap;
import io.netty.bootstrap.ServerBootstrap;
import io.netty.buffer.Unpooled;
import io.netty.channel.Channel;
import io.netty.channel.ChannelFuture;
import io.netty.channel.ChannelFutureListener;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.channel.ChannelOption;
import io.netty.channel.EventLoopGroup;
import io.netty.channel.FixedRecvByteBufAllocator;
import io.netty.channel.MultiThreadIoEventLoopGroup;
import io.netty.channel.WriteBufferWaterMark;
import io.netty.channel.group.ChannelGroup;
import io.netty.channel.group.DefaultChannelGroup;
import io.netty.util.concurrent.DefaultThreadFactory;
import io.netty.util.concurrent.GlobalEventExecutor;
import java.net.InetSocketAddress;
import java.net.SocketAddress;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Starts echoack: every configured endpoint, stream or datagram, bound on one event-loop group of one
 * transport. Either every listener binds and a {@link RunningServer} is returned, or nothing is left
 * open and a {@link ServerStartException} says which endpoint failed and why.
 */
public final class EchoAckServer {

    private static final Logger log = LoggerFactory.getLogger(EchoAckServer.class);

    /** Largest UDP payload over IPv4 (65535 - 8 UDP - 20 IP): no datagram is ever truncated. */
    static final int MAX_DATAGRAM_BYTES = 65_507;
    /** Requested kernel receive buffer for datagram sockets, so bursts are not dropped (capped by rmem_max). */
    static final int DATAGRAM_RCVBUF_BYTES = 4 * 1024 * 1024;
    /** Replies queued per connection before the server stops reading from it. */
    static final WriteBufferWaterMark WATER_MARK = new WriteBufferWaterMark(32 * 1024, 64 * 1024);
    static final int ACCEPT_BACKLOG = 1024;
    /** How long close() lets connections flush replies already written. */
    static final long CLOSE_FLUSH_MILLIS = 5_000;

    private EchoAckServer() {
    }

    /** Binds every endpoint of {@code config}; see the class description. */
    public static RunningServer start(ServerConfig config) throws ServerStartException {
        TransportSelection selection;
        try {
            selection = Transport.select(config.transport());
        } catch (TransportUnavailableException e) {
            throw new ServerStartException(e.getMessage(), e);
        }
        Transport transport = selection.transport();
        for (Endpoint endpoint : config.listen()) {
            try {
                transport.requireSupport(endpoint);
            } catch (IllegalArgumentException e) {
                throw new ServerStartException("cannot listen on " + e.getMessage(), e);
            }
        }
        log.info("transport {} ({}), {} event-loop threads", transport, selection.reason(),
                config.effectiveThreads());

        EventLoopGroup group = new MultiThreadIoEventLoopGroup(config.effectiveThreads(),
                new DefaultThreadFactory("echoack-io", true), transport.ioHandlerFactory());
        ChannelGroup connections = new DefaultChannelGroup("echoack-connections", GlobalEventExecutor.INSTANCE);
        MessageLog messageLog = config.printMessages() ? new MessageLog(System.out) : null;
        Running running = new Running(selection, group, connections, messageLog);
        try {
            for (Endpoint endpoint : config.listen()) {
                ListenerSpec spec = ListenerSpec.of(endpoint, config);
                Channel listener = bind(spec, transport, group, connections, messageLog);
                running.add(listener, boundEndpoint(endpoint, listener));
                log.info("listening on {} ({})", running.bound.get(running.bound.size() - 1), spec.describe());
            }
        } catch (ServerStartException | RuntimeException e) {
            running.close();
            throw e;
        }
        return running;
    }

    private static Channel bind(ListenerSpec spec, Transport transport, EventLoopGroup group,
                                ChannelGroup connections, MessageLog messageLog) throws ServerStartException {
        Endpoint endpoint = spec.endpoint();
        EndpointKind kind = endpoint.kind();
        if (kind.isUnixDomain()) {
            SocketFileGuard.prepare(endpoint, path -> datagramPathIsLive(path, transport, group));
        }
        SocketAddress address = transport.socketAddress(endpoint);
        if (address instanceof InetSocketAddress inet && inet.isUnresolved()) {
            throw new ServerStartException(endpoint, "unknown host '" + endpoint.host() + "'");
        }
        ChannelFuture bound;
        if (kind.isStream()) {
            ServerBootstrap b = new ServerBootstrap()
                    .group(group)
                    .channelFactory(transport.serverChannelFactory(kind))
                    .option(ChannelOption.SO_BACKLOG, ACCEPT_BACKLOG)
                    .childOption(ChannelOption.ALLOW_HALF_CLOSURE, true)
                    .childOption(ChannelOption.WRITE_BUFFER_WATER_MARK, WATER_MARK)
                    .childHandler(new StreamServerInitializer(spec, connections, messageLog));
            if (kind == EndpointKind.TCP) {
                b.option(ChannelOption.SO_REUSEADDR, true).childOption(ChannelOption.TCP_NODELAY, true);
            }
            bound = b.bind(address);
        } else {
            Bootstrap b = new Bootstrap()
                    .group(group)
                    .channelFactory(transport.datagramChannelFactory(kind))
                    .option(ChannelOption.RCVBUF_ALLOCATOR, new FixedRecvByteBufAllocator(MAX_DATAGRAM_BYTES))
                    .handler(new DatagramResponder(spec.mode(), spec.ackPayload(), messageLog));
            if (kind == EndpointKind.UDP) { // Unix datagram channels have no SO_RCVBUF option
                b.option(ChannelOption.SO_RCVBUF, DATAGRAM_RCVBUF_BYTES);
            }
            bound = b.bind(address);
        }
        bound.awaitUninterruptibly();
        if (!bound.isSuccess()) {
            bound.channel().close();
            throw new ServerStartException(endpoint, reason(bound.cause()), bound.cause());
        }
        return bound.channel();
    }

    /** Probes a Unix datagram path by connecting to it: only a bound socket accepts the connect. */
    private static boolean datagramPathIsLive(Path path, Transport transport, EventLoopGroup group) {
        ChannelFuture probe = new Bootstrap()
                .group(group)
                .channelFactory(transport.datagramChannelFactory(EndpointKind.UNIXGRAM))
                .handler(new ChannelInboundHandlerAdapter())
                .connect(transport.socketAddress(Endpoint.unix(EndpointKind.UNIXGRAM, path)));
        boolean live = probe.awaitUninterruptibly(2, TimeUnit.SECONDS) && probe.isSuccess();
        probe.channel().close().awaitUninterruptibly();
        return live;
    }

    private static Endpoint boundEndpoint(Endpoint configured, Channel listener) {
        if (listener.localAddress() instanceof InetSocketAddress inet) {
            return configured.withPort(inet.getPort());
        }
        return configured;
    }

    /** A user-facing reason for a failed bind, without the exception class noise. */
    static String reason(Throwable cause) {
        String message = String.valueOf(cause.getMessage());
        String m = message.toLowerCase(Locale.ROOT);
        if (m.contains("address already in use")) {
            return "address already in use";
        }
        if (m.contains("permission denied") || cause instanceof java.nio.file.AccessDeniedException) {
            return "permission denied";
        }
        if (m.contains("cannot assign requested address")) {
            return "address not available on this machine";
        }
        if (cause instanceof java.nio.channels.UnresolvedAddressException) {
            return "unknown host";
        }
        int failed = message.indexOf("failed: ");
        return failed >= 0 ? message.substring(failed + "failed: ".length()) : message;
    }

    /** The running server: listeners, connections, socket files and the group they share. */
    private static final class Running implements RunningServer {
        private final TransportSelection selection;
        private final EventLoopGroup group;
        private final ChannelGroup connections;
        private final MessageLog messageLog;
        private final List<Channel> listeners = new ArrayList<>();
        private final List<Endpoint> bound = new ArrayList<>();
        private final AtomicBoolean closing = new AtomicBoolean();
        private final CompletableFuture<Void> closed = new CompletableFuture<>();

        Running(TransportSelection selection, EventLoopGroup group, ChannelGroup connections, MessageLog messageLog) {
            this.selection = selection;
            this.group = group;
            this.connections = connections;
            this.messageLog = messageLog;
        }

        void add(Channel listener, Endpoint endpoint) {
            listeners.add(listener);
            bound.add(endpoint);
        }

        @Override
        public List<Endpoint> boundEndpoints() {
            return List.copyOf(bound);
        }

        @Override
        public TransportSelection transport() {
            return selection;
        }

        @Override
        public int openConnections() {
            return connections.size();
        }

        @Override
        public CompletableFuture<Void> closeFuture() {
            return closed;
        }

        @Override
        public void close() {
            if (!closing.compareAndSet(false, true)) {
                closed.join();
                return;
            }
            try {
                for (Channel listener : listeners) {
                    listener.close().awaitUninterruptibly();
                }
                // Replies already written are flushed before each connection closes.
                for (Channel connection : connections) {
                    connection.writeAndFlush(Unpooled.EMPTY_BUFFER).addListener(ChannelFutureListener.CLOSE);
                }
                if (!connections.newCloseFuture().awaitUninterruptibly(CLOSE_FLUSH_MILLIS)) {
                    log.warn("{} connections did not close within {} ms; closing them now", connections.size(),
                            CLOSE_FLUSH_MILLIS);
                    connections.close().awaitUninterruptibly();
                }
                for (Endpoint endpoint : bound) {
                    if (endpoint.kind().isUnixDomain()) {
                        SocketFileGuard.remove(endpoint.path());
                    }
                }
                group.shutdownGracefully(0, 2, TimeUnit.SECONDS).awaitUninterruptibly();
                if (messageLog != null) {
                    messageLog.close();
                }
                if (!bound.isEmpty()) {
                    log.info("closed {}", bound);
                }
            } finally {
                closed.complete(null);
            }
        }
    }
}
