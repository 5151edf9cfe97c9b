package io.echoack.server.binding;

import io.echoack.common.endpoint.Endpoint;
import io.echoack.common.endpoint.EndpointKind;
import io.echoack.common.transport.Transport;
import io.netty.bootstrap.Bootstrap;
import io.netty.channel.ChannelFuture;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.channel.EventLoopGroup;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;

/**
 * Tells a live Unix datagram socket file from a stale one before binding over it: only a bound socket
 * accepts a connect.
 */
final class UnixDatagramProbe {

    private UnixDatagramProbe() {
    }

    /** Probes a Unix datagram path by connecting to it. */
    static boolean isLive(Path path, Transport transport, EventLoopGroup group) {
        ChannelFuture probe = new Bootstrap()
                .group(group)
                .channelFactory(transport.datagramChannelFactory(EndpointKind.UNIXGRAM))
                .handler(new ChannelInboundHandlerAdapter())
                .connect(transport.socketAddress(Endpoint.unix(EndpointKind.UNIXGRAM, path)));
        boolean live = probe.awaitUninterruptibly(2, TimeUnit.SECONDS) && probe.isSuccess();
        probe.channel().close().awaitUninterruptibly();
        return live;
    }
}
