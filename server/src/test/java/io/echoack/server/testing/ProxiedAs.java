package io.echoack.server.testing;

import io.echoack.server.proxy.ConnectionAddresses;
import io.echoack.server.proxy.ProxiedConnection;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import java.net.InetSocketAddress;
import java.util.List;

/**
 * Stands in for a PROXY protocol listener's header handler in tests of the gates after it: when the connection
 * becomes active, records a v2 header naming {@code source} as the client, then lets the event on.
 */
public final class ProxiedAs extends ChannelInboundHandlerAdapter {

    private final ProxiedConnection header;

    /** A header from client {@code sourceIp}, port 50000, to 192.0.2.80:7. */
    public ProxiedAs(String sourceIp) {
        this.header = new ProxiedConnection(2, false, new InetSocketAddress(sourceIp, 50000),
                new InetSocketAddress("192.0.2.80", 7), List.of());
    }

    @Override
    public void channelActive(ChannelHandlerContext ctx) {
        ctx.channel().attr(ConnectionAddresses.PROXIED).set(header);
        ctx.pipeline().remove(this);
        ctx.fireChannelActive();
    }
}
