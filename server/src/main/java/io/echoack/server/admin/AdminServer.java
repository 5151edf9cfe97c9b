package io.echoack.server.admin;

import io.echoack.common.endpoint.EndpointKind;
import io.echoack.common.transport.Transport;
import io.echoack.server.binding.BindFailure;
import io.echoack.server.config.AdminEndpoint;
import io.echoack.server.startup.ServerStartException;
import io.netty.bootstrap.ServerBootstrap;
import io.netty.channel.Channel;
import io.netty.channel.ChannelFuture;
import io.netty.channel.ChannelOption;
import io.netty.channel.EventLoopGroup;
import io.netty.channel.group.ChannelGroup;
import io.netty.channel.group.DefaultChannelGroup;
import io.netty.util.concurrent.GlobalEventExecutor;
import java.net.InetSocketAddress;

/**
 * The admin HTTP endpoint's listener and its connections, on the server's event-loop group: bound at start,
 * closed (listener, then connections) at shutdown.
 */
public final class AdminServer {

    private final Channel listener;
    private final ChannelGroup connections;
    private final AdminEndpoint bound;

    private AdminServer(Channel listener, ChannelGroup connections, AdminEndpoint bound) {
        this.listener = listener;
        this.connections = connections;
        this.bound = bound;
    }

    /** Binds {@code admin} on {@code group}, or throws naming the admin endpoint and why it failed. */
    public static AdminServer start(AdminEndpoint admin, Transport transport, EventLoopGroup group,
                                    AdminHandler handler) throws ServerStartException {
        InetSocketAddress address = admin.host().isEmpty() ? new InetSocketAddress(admin.port())
                : new InetSocketAddress(admin.host(), admin.port());
        if (address.isUnresolved()) {
            throw new ServerStartException("cannot serve the admin endpoint on " + admin + ": unknown host '"
                    + admin.host() + "'", null);
        }
        ChannelGroup connections = new DefaultChannelGroup("echoack-admin", GlobalEventExecutor.INSTANCE);
        ChannelFuture f = new ServerBootstrap()
                .group(group)
                .channelFactory(transport.serverChannelFactory(EndpointKind.TCP))
                .option(ChannelOption.SO_REUSEADDR, true)
                .childHandler(new AdminServerInitializer(handler, connections))
                .bind(address).awaitUninterruptibly();
        if (!f.isSuccess()) {
            f.channel().close();
            throw new ServerStartException("cannot serve the admin endpoint on " + admin + ": "
                    + BindFailure.reason(f.cause()), f.cause());
        }
        Channel listener = f.channel();
        return new AdminServer(listener, connections,
                admin.withPort(((InetSocketAddress) listener.localAddress()).getPort()));
    }

    /** Where the endpoint listens, with the port the OS picked filled in. */
    public AdminEndpoint bound() {
        return bound;
    }

    /** Stops accepting, then closes the open admin connections, and waits for both. */
    public void close() {
        listener.close().awaitUninterruptibly();
        connections.close().awaitUninterruptibly();
    }
}
