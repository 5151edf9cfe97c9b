package io.echoack.server.binding;

import io.echoack.common.endpoint.Endpoint;
import io.echoack.common.endpoint.EndpointKind;
import io.echoack.common.transport.Transport;
import io.echoack.server.config.ServerConfig;
import io.echoack.server.datagram.DatagramDropListener;
import io.echoack.server.datagram.DatagramServerInitializer;
import io.echoack.server.datagram.ReflectionGuardWarnings;
import io.echoack.server.limits.ConnectionCounter;
import io.echoack.server.limits.ConnectionLimitWarnings;
import io.echoack.server.limits.RefusalWarnings;
import io.echoack.server.listener.ListenerSpec;
import io.echoack.server.messagelog.MessageLog;
import io.echoack.server.metrics.ListenerMetrics;
import io.echoack.server.startup.ServerStartException;
import io.echoack.server.stream.StreamServerInitializer;
import io.echoack.server.tls.ServerTls;
import io.echoack.server.unix.SocketFileGuard;
import io.netty.bootstrap.Bootstrap;
import io.netty.bootstrap.ServerBootstrap;
import io.netty.channel.AdaptiveRecvByteBufAllocator;
import io.netty.channel.Channel;
import io.netty.channel.ChannelFuture;
import io.netty.channel.ChannelOption;
import io.netty.channel.EventLoopGroup;
import io.netty.channel.WriteBufferWaterMark;
import io.netty.channel.group.ChannelGroup;
import java.net.InetSocketAddress;
import java.net.SocketAddress;

/**
 * Binds one listener per endpoint on the server's event-loop group: the bootstrap for its kind (a server
 * bootstrap for stream endpoints, a plain one for datagram endpoints), its socket options and receive
 * allocator, the Unix socket file's checks and mode, and a {@link ServerStartException} naming the endpoint
 * when the bind fails.
 */
public final class ListenerBinder {

    /** Replies queued per connection before the server stops reading from it. */
    static final WriteBufferWaterMark WATER_MARK = new WriteBufferWaterMark(32 * 1024, 64 * 1024);
    static final int ACCEPT_BACKLOG = 1024;

    /** The receive-buffer sizing of stream connections: Netty's adaptive default, shared. */
    private static final AdaptiveRecvByteBufAllocator STREAM_RECEIVE_ALLOCATOR = new AdaptiveRecvByteBufAllocator();

    private final ServerConfig config;
    private final Transport transport;
    private final EventLoopGroup group;
    private final ChannelGroup connections;
    private final MessageLog messageLog;
    private final ConnectionCounter counter;
    private final RefusalWarnings warnings;

    /** What every listener of one server shares; {@code messageLog} is null when messages are not printed. */
    public ListenerBinder(ServerConfig config, Transport transport, EventLoopGroup group, ChannelGroup connections,
                          MessageLog messageLog, ConnectionCounter counter, RefusalWarnings warnings) {
        this.config = config;
        this.transport = transport;
        this.group = group;
        this.connections = connections;
        this.messageLog = messageLog;
        this.counter = counter;
        this.warnings = warnings;
    }

    /** Binds {@code spec}'s endpoint and returns its listening channel; {@code tls} is null for plain endpoints. */
    public Channel bind(ListenerSpec spec, ListenerMetrics metrics, ServerTls tls, String label)
            throws ServerStartException {
        Endpoint endpoint = spec.endpoint();
        EndpointKind kind = endpoint.kind();
        if (kind.isUnixDomain()) {
            SocketFileGuard.prepare(endpoint, path -> UnixDatagramProbe.isLive(path, transport, group));
        }
        SocketAddress address = transport.socketAddress(endpoint);
        if (address instanceof InetSocketAddress inet && inet.isUnresolved()) {
            throw new ServerStartException(endpoint, "unknown host '" + endpoint.host() + "'");
        }
        ChannelFuture bound = kind.isStream()
                ? streamBootstrap(spec, metrics, tls, label).bind(address)
                : datagramBootstrap(spec, metrics, label).bind(address);
        bound.awaitUninterruptibly();
        if (!bound.isSuccess()) {
            bound.channel().close();
            throw new ServerStartException(endpoint, BindFailure.reason(bound.cause()), bound.cause());
        }
        if (kind.isUnixDomain()) {
            SocketFileGuard.restrictAccess(bound.channel(), endpoint, config.socketMode(), config.socketGroup());
        }
        return bound.channel();
    }

    private ServerBootstrap streamBootstrap(ListenerSpec spec, ListenerMetrics metrics, ServerTls tls, String label) {
        EndpointKind kind = spec.endpoint().kind();
        ConnectionLimitWarnings limitWarnings = new ConnectionLimitWarnings(warnings, label, config.limits());
        ServerBootstrap b = new ServerBootstrap()
                .group(group)
                .channelFactory(transport.serverChannelFactory(kind))
                .option(ChannelOption.SO_BACKLOG, ACCEPT_BACKLOG)
                .childOption(ChannelOption.WRITE_BUFFER_WATER_MARK, WATER_MARK)
                // One allocator (its settings) for every connection; each still gets its own handle.
                // Netty's default is a new instance per connection: 32 bytes each, for nothing.
                .childOption(ChannelOption.RCVBUF_ALLOCATOR, STREAM_RECEIVE_ALLOCATOR)
                .childHandler(new StreamServerInitializer(spec, metrics, connections, messageLog, config.allow(),
                        counter, config.timeouts(), tls, limitWarnings));
        if (!kind.isUnixDomain()) { // TCP and TLS
            // No TCP_NODELAY child option: every Netty socket channel already turns Nagle off when it is
            // created (all platforms but Android), and setting it again cost a syscall per connection.
            b.option(ChannelOption.SO_REUSEADDR, true);
            if (config.reusePort()) {
                b.option(SocketOptions.reusePort(transport), true);
            }
        }
        return b;
    }

    private Bootstrap datagramBootstrap(ListenerSpec spec, ListenerMetrics metrics, String label) {
        EndpointKind kind = spec.endpoint().kind();
        Bootstrap b = new Bootstrap()
                .group(group)
                .channelFactory(transport.datagramChannelFactory(kind))
                .option(ChannelOption.RCVBUF_ALLOCATOR, DatagramServerInitializer.receiveAllocator())
                .handler(new DatagramServerInitializer(spec, metrics, messageLog, config.allow(),
                        config.udpGuard(), kind == EndpointKind.UDP
                                ? new ReflectionGuardWarnings(warnings, label, config.udpGuard())
                                : DatagramDropListener.NONE));
        if (kind == EndpointKind.UDP) { // Unix datagram channels have no SO_RCVBUF option
            b.option(ChannelOption.SO_RCVBUF, DatagramServerInitializer.RECEIVE_BUFFER_BYTES);
            if (config.reusePort()) {
                b.option(SocketOptions.reusePort(transport), true);
            }
        }
        return b;
    }
}
