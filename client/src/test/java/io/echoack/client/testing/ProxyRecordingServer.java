package io.echoack.client.testing;

import io.echoack.common.endpoint.Endpoint;
import io.echoack.common.transport.Transport;
import io.netty.bootstrap.ServerBootstrap;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufUtil;
import io.netty.buffer.Unpooled;
import io.netty.channel.Channel;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInitializer;
import io.netty.channel.MultiThreadIoEventLoopGroup;
import io.netty.channel.SimpleChannelInboundHandler;
import io.netty.handler.codec.LineBasedFrameDecoder;
import io.netty.handler.codec.haproxy.HAProxyMessage;
import io.netty.handler.codec.haproxy.HAProxyMessageDecoder;
import io.netty.handler.codec.haproxy.HAProxyTLV;
import io.netty.handler.ssl.SslContext;
import java.net.InetSocketAddress;
import java.net.SocketAddress;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * A stream server that requires a PROXY protocol header (v1 or v2, Netty's {@link HAProxyMessageDecoder}) on every
 * connection, before TLS when it has a TLS context, records each header with the socket's peer address, and then
 * answers each line with {@code I got your message}. A connection without a valid header is closed and counted.
 * For the client's tests, independent of echoack's own server.
 */
public final class ProxyRecordingServer implements AutoCloseable {

    /** The reply to every line. */
    public static final String ACK = "I got your message";

    /** One header as the server decoded it, and the peer address of the socket it came on. */
    public record Header(String version, String protocol, String source, int sourcePort, String destination,
                         int destinationPort, List<String> tlvs, SocketAddress peer) {

        /** The peer's port on an IP socket; -1 on a Unix socket. */
        public int peerPort() {
            return peer instanceof InetSocketAddress inet ? inet.getPort() : -1;
        }
    }

    private final MultiThreadIoEventLoopGroup group;
    private final Channel server;
    private final Endpoint endpoint;
    private final BlockingQueue<Header> headers;
    private final AtomicInteger refused;

    private ProxyRecordingServer(MultiThreadIoEventLoopGroup group, Channel server, Endpoint endpoint,
                                 BlockingQueue<Header> headers, AtomicInteger refused) {
        this.group = group;
        this.server = server;
        this.endpoint = endpoint;
        this.headers = headers;
        this.refused = refused;
    }

    /**
     * Listens on {@code listen} ({@code tcp://127.0.0.1:0}, {@code tcp://[::1]:0}, {@code unix:///path}; with
     * {@code tls} the same, TLS after the header).
     */
    public static ProxyRecordingServer start(String listen, SslContext tls) throws InterruptedException {
        Endpoint requested = Endpoint.parse(listen);
        Transport transport = Transport.select(Transport.AUTO).transport();
        MultiThreadIoEventLoopGroup group = new MultiThreadIoEventLoopGroup(1, transport.ioHandlerFactory());
        BlockingQueue<Header> headers = new LinkedBlockingQueue<>();
        AtomicInteger refused = new AtomicInteger();
        ServerBootstrap bootstrap = new ServerBootstrap().group(group)
                .channelFactory(transport.serverChannelFactory(requested.kind()))
                .childHandler(new ChannelInitializer<>() {
                    @Override
                    protected void initChannel(Channel ch) {
                        ch.pipeline().addLast(new HAProxyMessageDecoder());
                        if (tls != null) {
                            ch.pipeline().addLast(tls.newHandler(ch.alloc()));
                        }
                        ch.pipeline().addLast(new LineBasedFrameDecoder(1024), new Recorder(headers, refused));
                    }
                });
        Channel server;
        try {
            server = bootstrap.bind(transport.socketAddress(requested)).sync().channel();
        } catch (RuntimeException | InterruptedException e) {
            group.shutdownGracefully(0, 1, TimeUnit.SECONDS);
            throw e;
        }
        Endpoint bound = requested.kind().isUnixDomain() ? requested
                : Endpoint.parse(listen.replaceFirst(":0$", ":" + ((InetSocketAddress) server.localAddress()).getPort()));
        return new ProxyRecordingServer(group, server, bound, headers, refused);
    }

    /** Where it listens, with its real port. */
    public Endpoint endpoint() {
        return endpoint;
    }

    /** The next header received, waiting up to 10 s; fails when none comes. */
    public Header next() throws InterruptedException {
        Header header = headers.poll(10, TimeUnit.SECONDS);
        if (header == null) {
            throw new AssertionError("no PROXY header within 10 s (" + refused.get() + " connections refused)");
        }
        return header;
    }

    /** Every header received so far, taken. */
    public List<Header> drain() {
        List<Header> all = new ArrayList<>();
        headers.drainTo(all);
        return all;
    }

    /** Connections closed for lack of a valid header. */
    public int refused() {
        return refused.get();
    }

    /**
     * Connections closed for lack of a valid header, once at least {@code expected} were (or 10 s passed):
     * Netty's decoder closes the connection before it reports why, so a client can see the close first.
     */
    public int refused(int expected) throws InterruptedException {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
        while (refused.get() < expected && System.nanoTime() < deadline) {
            Thread.sleep(10);
        }
        return refused.get();
    }

    @Override
    public void close() {
        server.close().awaitUninterruptibly(5, TimeUnit.SECONDS);
        group.shutdownGracefully(0, 1, TimeUnit.SECONDS).awaitUninterruptibly(10, TimeUnit.SECONDS);
    }

    /** Records the header, then acks each line. */
    private static final class Recorder extends SimpleChannelInboundHandler<Object> {

        private final BlockingQueue<Header> headers;
        private final AtomicInteger refused;

        Recorder(BlockingQueue<Header> headers, AtomicInteger refused) {
            this.headers = headers;
            this.refused = refused;
        }

        @Override
        protected void channelRead0(ChannelHandlerContext ctx, Object msg) {
            if (msg instanceof HAProxyMessage header) {
                List<String> tlvs = new ArrayList<>();
                for (HAProxyTLV tlv : header.tlvs()) {
                    tlvs.add(String.format("0x%02X=%s", tlv.typeByteValue() & 0xFF,
                            ByteBufUtil.hexDump(tlv.content())));
                }
                headers.add(new Header(header.protocolVersion().name(), header.proxiedProtocol().name(),
                        header.sourceAddress(), header.sourcePort(), header.destinationAddress(),
                        header.destinationPort(), List.copyOf(tlvs), ctx.channel().remoteAddress()));
            } else if (msg instanceof ByteBuf) {
                ctx.writeAndFlush(Unpooled.copiedBuffer(ACK + "\n", StandardCharsets.US_ASCII));
            }
        }

        @Override
        public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
            refused.incrementAndGet(); // no header, or a malformed one
            ctx.close();
        }
    }
}
