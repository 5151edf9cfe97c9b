package io.echoack.server.binding;

import io.echoack.common.endpoint.Endpoint;
import io.echoack.common.endpoint.EndpointKind;
import io.echoack.common.transport.Transport;
import io.echoack.server.config.ServerConfig;
import io.echoack.server.datagram.DatagramServerInitializer;
import io.echoack.server.listener.ListenerContext;
import io.echoack.server.startup.ServerStartException;
import io.echoack.server.stream.StreamServerInitializer;
import io.echoack.server.unix.SocketFileGuard;
import io.netty.bootstrap.Bootstrap;
import io.netty.bootstrap.ServerBootstrap;
import io.netty.channel.AdaptiveRecvByteBufAllocator;
import io.netty.channel.ChannelFuture;
import io.netty.channel.ChannelOption;
import io.netty.channel.EventLoopGroup;
import io.netty.channel.WriteBufferWaterMark;
import java.net.InetSocketAddress;
import java.net.SocketAddress;

/**
 * Binds one listener per endpoint on the server's event-loop group: the bootstrap for its kind (a server
 * bootstrap for stream endpoints, a plain one for datagram endpoints), its socket options and receive
 * allocator, the Unix socket file's checks and mode, and a {@link ServerStartException} naming the endpoint
 * when the bind fails. A UDP endpoint on a wildcard address gets one socket per local address (a
 * {@link WildcardDatagramListener}), so that its replies leave from the address they were sent to.
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
    private final AddressWatch addresses;

    /** Binds on {@code group} with {@code transport}; {@code config} gives the socket settings. */
    public ListenerBinder(ServerConfig config, Transport transport, EventLoopGroup group) {
        this(config, transport, group, new AddressWatch(LocalAddresses.system(), AddressWatch.INTERVAL));
    }

    /** As above, with the host's addresses (for wildcard UDP endpoints) listed by {@code addresses}. */
    ListenerBinder(ServerConfig config, Transport transport, EventLoopGroup group, AddressWatch addresses) {
        this.config = config;
        this.transport = transport;
        this.group = group;
        this.addresses = addresses;
    }

    /** Binds {@code listener}'s endpoint and returns it, bound. */
    public BoundListener bind(ListenerContext listener) throws ServerStartException {
        Endpoint endpoint = listener.spec().endpoint();
        EndpointKind kind = endpoint.kind();
        if (kind.isUnixDomain()) {
            SocketFileGuard.prepare(endpoint, path -> UnixDatagramProbe.isLive(path, transport, group));
        }
        SocketAddress address = transport.socketAddress(endpoint);
        if (address instanceof InetSocketAddress inet && inet.isUnresolved()) {
            throw new ServerStartException(endpoint, "unknown host '" + endpoint.host() + "'");
        }
        if (kind == EndpointKind.UDP && address instanceof InetSocketAddress inet
                && inet.getAddress().isAnyLocalAddress()) {
            return WildcardDatagramListener.bind(endpoint, datagramBootstrap(listener), inet, addresses);
        }
        ChannelFuture bound = kind.isStream()
                ? streamBootstrap(listener).bind(address)
                : datagramBootstrap(listener).bind(address);
        bound.awaitUninterruptibly();
        if (!bound.isSuccess()) {
            bound.channel().close();
            throw new ServerStartException(endpoint, BindFailure.reason(bound.cause()), bound.cause());
        }
        if (kind.isUnixDomain()) {
            SocketFileGuard.restrictAccess(bound.channel(), endpoint, config.socketMode(), config.socketGroup());
        }
        return BoundListener.of(bound.channel());
    }

    private ServerBootstrap streamBootstrap(ListenerContext listener) {
        EndpointKind kind = listener.spec().endpoint().kind();
        ServerBootstrap b = new ServerBootstrap()
                .group(group)
                .channelFactory(transport.serverChannelFactory(kind))
                .option(ChannelOption.SO_BACKLOG, ACCEPT_BACKLOG)
                .childOption(ChannelOption.WRITE_BUFFER_WATER_MARK, WATER_MARK)
                // One allocator (its settings) for every connection; each still gets its own handle.
                // Netty's default is a new instance per connection: 32 bytes each, for nothing.
                .childOption(ChannelOption.RCVBUF_ALLOCATOR, STREAM_RECEIVE_ALLOCATOR)
                .childHandler(new StreamServerInitializer(listener));
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

    private Bootstrap datagramBootstrap(ListenerContext listener) {
        EndpointKind kind = listener.spec().endpoint().kind();
        Bootstrap b = new Bootstrap()
                .group(group)
                .channelFactory(transport.datagramChannelFactory(kind))
                .option(ChannelOption.RCVBUF_ALLOCATOR, DatagramServerInitializer.receiveAllocator())
                // One initializer for all the sockets of a wildcard endpoint: they share its reflection guard.
                .handler(new DatagramServerInitializer(listener));
        if (kind == EndpointKind.UDP) { // Unix datagram channels have no SO_RCVBUF option
            b.option(ChannelOption.SO_RCVBUF, DatagramServerInitializer.RECEIVE_BUFFER_BYTES);
            if (config.reusePort()) {
                b.option(SocketOptions.reusePort(transport), true);
            }
        }
        return b;
    }
}
