package io.echoack.server.proxy.header;

import io.echoack.common.endpoint.ProxyProtocol;
import io.echoack.server.limits.CloseListener;
import io.echoack.server.limits.CloseReason;
import io.echoack.server.limits.ReadGate;
import io.echoack.server.proxy.ConnectionAddresses;
import io.echoack.server.proxy.ProxiedConnection;
import io.echoack.server.proxy.ProxyTlv;
import io.netty.buffer.ByteBuf;
import io.netty.channel.Channel;
import io.netty.channel.ChannelHandler;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.channel.socket.ChannelInputShutdownEvent;
import io.netty.handler.codec.ByteToMessageDecoder;
import io.netty.handler.codec.ProtocolDetectionResult;
import io.netty.handler.codec.ProtocolDetectionState;
import io.netty.handler.codec.haproxy.HAProxyCommand;
import io.netty.handler.codec.haproxy.HAProxyMessage;
import io.netty.handler.codec.haproxy.HAProxyMessageDecoder;
import io.netty.handler.codec.haproxy.HAProxyProtocolException;
import io.netty.handler.codec.haproxy.HAProxyProtocolVersion;
import io.netty.handler.codec.haproxy.HAProxyProxiedProtocol;
import io.netty.util.NetUtil;
import io.netty.util.ReferenceCountUtil;
import io.netty.util.concurrent.Future;
import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.SocketAddress;
import java.net.UnixDomainSocketAddress;
import java.util.List;
import java.util.Objects;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Reads the PROXY protocol header at the start of a connection on a listener with {@code ?proxy=}, before
 * anything else sees the connection, and makes its source the connection's client
 * ({@link ConnectionAddresses#PROXIED}). Until then it holds the connection's channel-active event back, so
 * that the gates after it ({@code --allow}, the per-address limit) decide on the client, once, as they would on
 * a connection without a header; a connection it refuses never reaches them, nor anything after them (not even
 * its close). Works with a {@linkplain #detector() detector} in front of it:
 * <ol>
 *   <li>the detector collects the first bytes until they show whether a header begins (a slow client's bytes
 *       arriving one by one are waited for): the spec's v1 signature {@code "PROXY "}, v2's 12-byte signature,
 *       or neither (Netty's {@link HAProxyMessageDecoder#detectProtocol} once 12 bytes are there);</li>
 *   <li>no header: on {@code ?proxy=optional} the connection is served as it is, its bytes as data; on the
 *       others it is refused ({@link CloseReason#PROXY_MISSING});</li>
 *   <li>a header: from a peer outside {@link TrustedProxies} it is refused ({@link CloseReason#PROXY_UNTRUSTED});
 *       of a version the listener does not take, {@link CloseReason#PROXY_INVALID}; otherwise the detector
 *       gives way to Netty's {@link HAProxyMessageDecoder} (named {@link #DECODER}), with the bytes so far;</li>
 *   <li>the decoder's {@link HAProxyMessage} comes here: a {@code LOCAL} header (a balancer's own health check)
 *       or one without addresses ({@code UNKNOWN}, {@code AF_UNSPEC}) leaves the socket's addresses as the
 *       client's; a malformed header is {@link CloseReason#PROXY_INVALID}. Then the held-back channel-active
 *       event goes on, then the bytes after the header, and this handler, the decoder and the detector are
 *       gone from the pipeline.</li>
 * </ol>
 * On a listener that requires a header, a connection from a peer outside {@link TrustedProxies} is refused as
 * soon as it is active, before anything is read ({@link CloseReason#PROXY_UNTRUSTED}); on
 * {@code ?proxy=optional} such a peer is served as a direct client, unless it sends a header.
 *
 * <p>The whole header must arrive within the header timeout of the connection becoming active, or the
 * connection is refused ({@link CloseReason#PROXY_TIMEOUT}); on {@code ?proxy=optional}, a connection that has
 * sent nothing that could begin a header by then (nothing at all, say) is served as it is instead, as is one
 * whose peer ends its input before a signature is complete. A peer that closes, or ends its input, before its
 * header is complete on a listener that requires one has left on its own: the connection is closed and counted
 * nowhere. Every refusal is logged at DEBUG, told to the {@link CloseListener} and stops reading
 * ({@link ReadGate.Reason#ADMISSION}). The timeout is one timer per connection, cancelled as soon as the header
 * is read (in the first read, from a balancer): only PROXY listeners pay for it, and its exact timing is the
 * event loop's.
 *
 * <p>New per connection (it is stateful), with its detector; everything runs on the connection's event loop.
 */
public final class ProxyHeaderHandler extends ChannelInboundHandlerAdapter {

    /** The pipeline name of Netty's decoder, which replaces the detector once a header begins. */
    public static final String DECODER = "proxyDecoder";

    private static final Logger log = LoggerFactory.getLogger(ProxyHeaderHandler.class);

    /** The spec's v1 signature: {@code PROXY} and one space. */
    private static final byte[] V1_SIGNATURE = {'P', 'R', 'O', 'X', 'Y', ' '};
    /** The spec's v2 signature. */
    private static final byte[] V2_SIGNATURE = {0x0D, 0x0A, 0x0D, 0x0A, 0x00, 0x0D, 0x0A, 0x51, 0x55, 0x49, 0x54, 0x0A};
    private static final int INCOMPLETE = -1;
    private static final int NONE = 0;

    private enum State {
        /** Waiting for the connection's header (or for its absence to show). */
        WAITING,
        /** Refused, or left by its peer, before the header was read: closing; every later event stops here. */
        CLOSING,
        /** Served: the handler has left the pipeline. */
        SERVED
    }

    private final ProxyProtocol protocol;
    private final TrustedProxies trusted;
    private final long timeoutNanos;
    private final CloseListener closes;
    private final Detector detector = new Detector();

    private ChannelHandlerContext ctx;
    private State state = State.WAITING;
    /** The detector saw a header's signature (and handed over to the decoder). */
    private boolean headerBegan;
    private Future<?> timeout;

    /**
     * @param protocol the listener's {@code ?proxy=}: which headers it takes, and whether one is required
     * @param settings whose headers are believed, and how long a header may take
     * @param closes   told about every connection refused over its header
     */
    public ProxyHeaderHandler(ProxyProtocol protocol, ProxySettings settings, CloseListener closes) {
        this.protocol = Objects.requireNonNull(protocol, "protocol");
        this.trusted = settings.trustedProxies();
        this.timeoutNanos = settings.headerTimeout().toNanos();
        this.closes = Objects.requireNonNull(closes, "closes");
    }

    /** The detector, to be added to the pipeline right before this handler. */
    public ChannelHandler detector() {
        return detector;
    }

    @Override
    public void handlerAdded(ChannelHandlerContext ctx) {
        this.ctx = ctx;
    }

    @Override
    public void handlerRemoved(ChannelHandlerContext ctx) {
        cancelTimeout();
    }

    /** Held back until the header is read; a required header from an untrusted peer is refused here. */
    @Override
    public void channelActive(ChannelHandlerContext ctx) {
        if (state != State.WAITING) {
            return;
        }
        Channel ch = ctx.channel();
        if (protocol.requiresHeader() && !trusted.trusts(ch.remoteAddress())) {
            refuse(CloseReason.PROXY_UNTRUSTED, "a peer outside --trusted-proxy, on a listener that requires a header");
            return;
        }
        timeout = ctx.executor().schedule(this::timedOut, timeoutNanos, TimeUnit.NANOSECONDS);
    }

    @Override
    public void channelRead(ChannelHandlerContext ctx, Object msg) {
        try {
            if (state == State.WAITING && msg instanceof HAProxyMessage header) {
                accept(header);
            } else if (state == State.WAITING) {
                // only the decoder's message comes here before the header is read
                log.debug("{} unexpected {} before the PROXY header, closing", ctx.channel(), msg.getClass().getName());
                leave();
            }
        } finally {
            ReferenceCountUtil.release(msg);
        }
    }

    @Override
    public void channelReadComplete(ChannelHandlerContext ctx) {
        // nothing after this handler has seen the connection yet
    }

    @Override
    public void channelWritabilityChanged(ChannelHandlerContext ctx) {
        // nothing after this handler has seen the connection yet
    }

    @Override
    public void channelInactive(ChannelHandlerContext ctx) {
        if (state == State.WAITING) {
            log.debug("{} closed by the peer before its PROXY header", ctx.channel());
        }
        state = State.CLOSING;
        cancelTimeout();
    }

    @Override
    public void userEventTriggered(ChannelHandlerContext ctx, Object evt) {
        // (on ?proxy=optional, an input that ends before a signature is served by the detector, see decodeLast)
        if (state == State.WAITING && evt instanceof ChannelInputShutdownEvent) {
            log.debug("{} input ended before its PROXY header was complete, closing", ctx.channel());
            leave();
        }
        ReferenceCountUtil.release(evt);
    }

    @Override
    public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
        if (state == State.WAITING && cause instanceof HAProxyProtocolException invalid) {
            refuse(CloseReason.PROXY_INVALID, invalid.getMessage());
        } else if (state == State.WAITING) {
            if (cause instanceof IOException) {
                log.debug("{} error before its PROXY header: {}", ctx.channel(), cause.toString());
            } else {
                log.warn("{} unexpected error before its PROXY header, closing", ctx.channel(), cause);
            }
            leave();
        } else {
            log.debug("{} error on a connection closing before its PROXY header: {}", ctx.channel(), cause.toString());
        }
    }

    /** What the detector found: a header of {@code version} begins. Returns whether to read it. */
    private boolean headerBegins(int version) {
        Channel ch = ctx.channel();
        if (!trusted.trusts(ch.remoteAddress())) {
            refuse(CloseReason.PROXY_UNTRUSTED, "a v" + version + " header from a peer outside --trusted-proxy");
            return false;
        }
        if (!protocol.accepts(version)) {
            refuse(CloseReason.PROXY_INVALID, "a v" + version + " header on a listener that takes " + protocol);
            return false;
        }
        headerBegan = true;
        return true;
    }

    /** What the detector found: the connection's first bytes are no header. Returns whether to serve it. */
    private boolean noHeader() {
        if (protocol.requiresHeader()) {
            refuse(CloseReason.PROXY_MISSING, "its first bytes are no PROXY header");
            return false;
        }
        serve(null);
        return true;
    }

    private void accept(HAProxyMessage header) {
        ProxiedConnection proxied;
        try {
            proxied = proxiedConnection(header);
        } catch (IllegalArgumentException e) {
            refuse(CloseReason.PROXY_INVALID, e.getMessage());
            return;
        }
        ctx.channel().attr(ConnectionAddresses.PROXIED).setIfAbsent(proxied);
        serve(proxied);
    }

    /** Serves a connection without a header: the detector leaves too, passing on what it holds as data. */
    private void serveWithoutHeader() {
        serve(null);
        if (ctx.pipeline().context(detector) != null) {
            ctx.pipeline().remove(detector);
        }
    }

    /** Lets the held-back connection on to the gates; the detector or decoder before it then passes its bytes. */
    private void serve(ProxiedConnection proxied) {
        state = State.SERVED;
        cancelTimeout();
        if (log.isDebugEnabled()) {
            log.debug("{} {}", ctx.channel(), proxied == null ? "no PROXY header: served as a direct connection"
                    : "PROXY v" + proxied.version() + (proxied.local() ? " LOCAL: served with the socket's addresses"
                    : ": client " + proxied.source() + ", to " + proxied.destination()));
        }
        ctx.pipeline().remove(this);
        ctx.fireChannelActive(); // a removed context still forwards to its old successor
    }

    private void timedOut() {
        timeout = null;
        if (state != State.WAITING) {
            return;
        }
        if (!protocol.requiresHeader() && !headerBegan) {
            serveWithoutHeader(); // nothing that can still become a header came: a direct connection
            return;
        }
        refuse(CloseReason.PROXY_TIMEOUT, "no complete header within "
                + TimeUnit.NANOSECONDS.toMillis(timeoutNanos) + " ms");
    }

    private void refuse(CloseReason reason, String why) {
        if (state != State.WAITING) {
            return;
        }
        Channel ch = ctx.channel();
        log.debug("{} {} ({}), closing", ch, reason.label(), why);
        closes.closing(reason, ch);
        leave();
    }

    /** Closes a connection not served: nothing more is read, and no event of it goes further. */
    private void leave() {
        state = State.CLOSING;
        cancelTimeout();
        ReadGate.pause(ctx.channel(), ReadGate.Reason.ADMISSION);
        ctx.close();
    }

    private void cancelTimeout() {
        if (timeout != null) {
            timeout.cancel(false);
            timeout = null;
        }
    }

    /** The header as the rest of the server sees it. */
    static ProxiedConnection proxiedConnection(HAProxyMessage header) {
        int version = header.protocolVersion() == HAProxyProtocolVersion.V1 ? 1 : 2;
        List<ProxyTlv> tlvs = ProxyTlvs.decode(header.tlvs());
        HAProxyProxiedProtocol protocol = header.proxiedProtocol();
        if (header.command() == HAProxyCommand.LOCAL
                || protocol.addressFamily() == HAProxyProxiedProtocol.AddressFamily.AF_UNSPEC) {
            return new ProxiedConnection(version, true, null, null, tlvs);
        }
        return new ProxiedConnection(version, false, address(protocol, header.sourceAddress(), header.sourcePort()),
                address(protocol, header.destinationAddress(), header.destinationPort()), tlvs);
    }

    private static SocketAddress address(HAProxyProxiedProtocol protocol, String address, int port) {
        if (protocol.addressFamily() == HAProxyProxiedProtocol.AddressFamily.AF_UNIX) {
            return UnixDomainSocketAddress.of(address);
        }
        InetAddress ip = NetUtil.createInetAddressFromIpAddressString(address);
        if (ip == null) {
            throw new IllegalArgumentException("'" + address + "' is not an IP address");
        }
        return new InetSocketAddress(ip, port);
    }

    /**
     * Whether {@code in}'s first bytes begin a header: {@link #INCOMPLETE} while they could still become a
     * signature, {@link #NONE} when they cannot, else the header's version.
     */
    static int signature(ByteBuf in) {
        if (in.readableBytes() >= V2_SIGNATURE.length) {
            ProtocolDetectionResult<HAProxyProtocolVersion> detected = HAProxyMessageDecoder.detectProtocol(in);
            if (detected.state() != ProtocolDetectionState.DETECTED) {
                return NONE;
            }
            if (detected.detectedProtocol() == HAProxyProtocolVersion.V2) {
                return 2;
            }
            // Netty matches "PROXY"; the spec's signature has its space, so "PROXYING..." is data
            return in.getByte(in.readerIndex() + V1_SIGNATURE.length - 1) == ' ' ? 1 : NONE;
        }
        if (couldBegin(in, V1_SIGNATURE)) {
            return in.readableBytes() >= V1_SIGNATURE.length ? 1 : INCOMPLETE; // a v1 signature is shorter
        }
        return couldBegin(in, V2_SIGNATURE) ? INCOMPLETE : NONE;
    }

    private static boolean couldBegin(ByteBuf in, byte[] signature) {
        int n = Math.min(in.readableBytes(), signature.length);
        for (int i = 0; i < n; i++) {
            if (in.getByte(in.readerIndex() + i) != signature[i]) {
                return false;
            }
        }
        return true;
    }

    /**
     * Collects a connection's first bytes until they show whether a header begins, then hands over: to Netty's
     * decoder (replacing itself, so that the decoder gets the bytes so far), or, with no header, to the gates
     * (removing itself, so that the bytes go on as data). Refused, it discards what it has and what comes.
     */
    private final class Detector extends ByteToMessageDecoder {

        @Override
        protected void decode(ChannelHandlerContext ctx, ByteBuf in, List<Object> out) {
            if (state != State.WAITING) {
                in.skipBytes(in.readableBytes());
                return;
            }
            int version = signature(in);
            if (version == INCOMPLETE) {
                return;
            }
            if (version == NONE ? noHeader() : headerBegins(version)) {
                if (version == NONE) {
                    ctx.pipeline().remove(this);
                } else {
                    ctx.pipeline().replace(this, DECODER, new HAProxyMessageDecoder());
                }
            } else {
                in.skipBytes(in.readableBytes());
            }
        }

        /**
         * On {@code ?proxy=optional}, a peer that ends its input (half-close) before what it sent could become a
         * signature sent no header: it is served, and what it sent goes on as data (instead of being dropped
         * with the rest of the input, as the decoder would).
         */
        @Override
        protected void decodeLast(ChannelHandlerContext ctx, ByteBuf in, List<Object> out) throws Exception {
            if (state == State.WAITING && !protocol.requiresHeader() && ctx.channel().isActive()) {
                serve(null);
                ctx.pipeline().remove(this); // passes on what it holds, before the end of input goes on
                return;
            }
            super.decodeLast(ctx, in, out);
        }
    }
}
