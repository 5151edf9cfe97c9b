package io.echoack.client.net;

import io.echoack.common.endpoint.Datagrams;
import io.echoack.common.endpoint.Endpoint;
import io.echoack.common.transport.Transport;
import io.netty.bootstrap.Bootstrap;
import io.netty.channel.Channel;
import io.netty.channel.ChannelFuture;
import io.netty.channel.ChannelOption;
import io.netty.channel.ChannelPipeline;
import io.netty.channel.EventLoopGroup;
import io.netty.channel.FixedRecvByteBufAllocator;
import io.netty.channel.MultiThreadIoEventLoopGroup;
import io.netty.channel.unix.DomainSocketAddress;
import io.netty.handler.ssl.SslHandler;
import io.netty.util.concurrent.DefaultThreadFactory;
import io.netty.util.concurrent.Future;
import io.netty.util.concurrent.Promise;
import java.io.UncheckedIOException;
import java.net.InetSocketAddress;
import java.net.SocketAddress;
import java.time.Duration;

/**
 * How client channels are opened, written once for {@link EchoAckClient} and the bench: the event-loop group,
 * the channel class for an endpoint kind on a transport, connecting with a timeout, waiting for a
 * {@code tls://} handshake, the socket path a Unix datagram client binds (removed when its channel
 * closes), and the PROXY header a stream connection may send first. Callers add their own allocator, options and handlers to the bootstraps made here. All of it is
 * setup: nothing here runs per message.
 */
public final class ClientBootstraps {

    private ClientBootstraps() {
    }

    /** An event-loop group of daemon threads named {@code threadName-…} on {@code transport}. */
    public static MultiThreadIoEventLoopGroup newGroup(String threadName, int threads, Transport transport) {
        return new MultiThreadIoEventLoopGroup(threads, new DefaultThreadFactory(threadName, true),
                transport.ioHandlerFactory());
    }

    /** True when {@code server} is a host name that did not resolve. */
    public static boolean isUnresolved(SocketAddress server) {
        return server instanceof InetSocketAddress inet && inet.isUnresolved();
    }

    /**
     * A bootstrap for stream connections to {@code endpoint}: its channel class on {@code transport}, a
     * connect timeout, and Nagle off on TCP (a message goes out when it is written).
     */
    public static Bootstrap stream(EventLoopGroup group, Transport transport, Endpoint endpoint,
                                   Duration connectTimeout) {
        Bootstrap bootstrap = new Bootstrap()
                .group(group)
                .channelFactory(transport.streamChannelFactory(endpoint.kind()))
                .option(ChannelOption.CONNECT_TIMEOUT_MILLIS, connectTimeoutMillis(connectTimeout));
        if (!endpoint.kind().isUnixDomain()) {
            bootstrap.option(ChannelOption.TCP_NODELAY, true);
        }
        return bootstrap;
    }

    /**
     * A bootstrap for datagram sockets to {@code endpoint}: its channel class on {@code transport}, and a
     * receive buffer of one byte more than {@code largestReply}, so that a longer reply shows as such instead
     * of being cut to the expected length.
     */
    public static Bootstrap datagram(EventLoopGroup group, Transport transport, Endpoint endpoint,
                                     int largestReply) {
        return new Bootstrap()
                .group(group)
                .channelFactory(transport.datagramChannelFactory(endpoint.kind()))
                .option(ChannelOption.RECVBUF_ALLOCATOR, new FixedRecvByteBufAllocator(largestReply + 1));
    }

    /**
     * The longest datagram payload {@code endpoint} can carry with this max frame length: a UDP datagram holds
     * at most {@link Datagrams#MAX_PAYLOAD_BYTES}; a Unix datagram has no such limit.
     */
    public static int largestDatagramPayload(Endpoint endpoint, int maxFrameLength) {
        return endpoint.kind().isUnixDomain() ? maxFrameLength
                : Math.min(maxFrameLength, Datagrams.MAX_PAYLOAD_BYTES);
    }

    /**
     * Completes with the channel when it can carry messages: once connected, and when it has an
     * {@link SslHandler} once its handshake is done too. Fails with the connect's or the handshake's cause;
     * {@code connecting.isSuccess()} then tells which of the two failed.
     */
    public static Future<Channel> ready(ChannelFuture connecting) {
        Channel channel = connecting.channel();
        Promise<Channel> ready = channel.eventLoop().newPromise();
        connecting.addListener(connected -> {
            if (!connected.isSuccess()) {
                ready.tryFailure(connected.cause());
                return;
            }
            SslHandler ssl = channel.pipeline().get(SslHandler.class);
            if (ssl == null) {
                ready.trySuccess(channel);
                return;
            }
            ssl.handshakeFuture().addListener(handshake -> {
                if (handshake.isSuccess()) {
                    ready.trySuccess(channel);
                } else {
                    ready.tryFailure(handshake.cause());
                }
            });
        });
        return ready;
    }

    /**
     * Opens a Unix datagram socket bound to a fresh local path (so the server has an address to reply to),
     * connected to {@code server} unless that is null. The path and its directory are removed when the
     * channel closes, or at once when the open fails.
     *
     * @throws UncheckedIOException when the directory for the local path cannot be created
     */
    public static ChannelFuture openUnixgram(Bootstrap bootstrap, SocketAddress server) {
        UnixgramLocalPath localPath = UnixgramLocalPath.create();
        SocketAddress local = new DomainSocketAddress(localPath.socketFile().toString());
        ChannelFuture opening = server == null ? bootstrap.bind(local) : bootstrap.connect(server, local);
        opening.addListener(done -> {
            if (!done.isSuccess()) {
                localPath.delete();
            }
        });
        opening.channel().closeFuture().addListener(closed -> localPath.delete());
        return opening;
    }

    /**
     * Puts the handlers that send {@code header} on a stream connection to {@code endpoint} first in
     * {@code pipeline}: before a TLS handler and anything else, so that the header is the first bytes on the wire
     * whenever the connection writes first. Call it while initializing the channel, before it connects; the
     * handlers leave once the header is written. Check the header first with
     * {@link ProxyHeader#requireUsableOn} and {@link ProxyHeader#requireSameFamilyAs}.
     */
    public static void addProxyHeaderFirst(ChannelPipeline pipeline, ProxyHeader header, Endpoint endpoint) {
        ProxyHeaderWriter.addFirst(pipeline, header, endpoint);
    }

    /** A connect timeout as Netty's option takes it: whole milliseconds, at least 1. */
    static int connectTimeoutMillis(Duration timeout) {
        return (int) Math.min(Integer.MAX_VALUE, Math.max(1, timeout.toMillis()));
    }
}
