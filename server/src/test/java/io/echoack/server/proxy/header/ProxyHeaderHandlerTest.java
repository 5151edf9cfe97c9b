package io.echoack.server.proxy.header;

import static java.nio.charset.StandardCharsets.US_ASCII;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.echoack.common.endpoint.EndpointKind;
import io.echoack.common.endpoint.ProxyProtocol;
import io.echoack.server.limits.CloseCounter;
import io.echoack.server.limits.CloseReason;
import io.echoack.server.proxy.ConnectionAddresses;
import io.echoack.server.proxy.ProxiedConnection;
import io.echoack.server.proxy.ProxyTlv;
import io.echoack.server.testing.PeerChannel;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.channel.embedded.EmbeddedChannel;
import io.netty.channel.socket.ChannelInputShutdownEvent;
import io.netty.channel.unix.DomainSocketAddress;
import io.netty.handler.codec.haproxy.HAProxyCommand;
import io.netty.handler.codec.haproxy.HAProxyMessage;
import io.netty.handler.codec.haproxy.HAProxyMessageEncoder;
import io.netty.handler.codec.haproxy.HAProxyProtocolVersion;
import io.netty.handler.codec.haproxy.HAProxyProxiedProtocol;
import io.netty.handler.codec.haproxy.HAProxySSLTLV;
import io.netty.handler.codec.haproxy.HAProxyTLV;
import io.netty.util.ReferenceCountUtil;
import java.net.InetSocketAddress;
import java.net.SocketAddress;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

class ProxyHeaderHandlerTest {

    private static final String BALANCER = "10.0.0.1";
    private static final String V1_HEADER = "PROXY TCP4 198.51.100.7 192.0.2.80 50000 7\r\n";
    private static final Duration TIMEOUT = ProxySettings.DEFAULT_HEADER_TIMEOUT;

    private final CloseCounter closed = new CloseCounter();
    private final TrustedProxies trusted = TrustedProxies.parse(List.of("10.0.0.0/8", "unix"));

    /** What reaches the handlers after the header's, in order; releases what it reads. */
    private static final class Downstream extends ChannelInboundHandlerAdapter {
        final List<String> events = new ArrayList<>();
        SocketAddress clientAtActive;
        ProxiedConnection proxiedAtActive;

        @Override
        public void channelActive(ChannelHandlerContext ctx) {
            events.add("active");
            clientAtActive = ConnectionAddresses.client(ctx.channel());
            proxiedAtActive = ConnectionAddresses.proxied(ctx.channel());
        }

        @Override
        public void channelRead(ChannelHandlerContext ctx, Object msg) {
            events.add("read " + ((ByteBuf) msg).toString(US_ASCII));
            ReferenceCountUtil.release(msg);
        }

        @Override
        public void channelInactive(ChannelHandlerContext ctx) {
            events.add("inactive");
        }

        @Override
        public void userEventTriggered(ChannelHandlerContext ctx, Object evt) {
            events.add(evt instanceof ChannelInputShutdownEvent ? "input shutdown" : evt.toString());
        }

        @Override
        public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
            events.add("error " + cause);
        }

        /** The data read, concatenated. */
        String data() {
            StringBuilder sb = new StringBuilder();
            events.stream().filter(e -> e.startsWith("read ")).forEach(e -> sb.append(e.substring(5)));
            return sb.toString();
        }
    }

    private Downstream downstream;

    /** A connection from {@code peer} on a listener with {@code ?proxy=protocol}; its clock stands still. */
    private PeerChannel connect(ProxyProtocol protocol, SocketAddress peer) {
        return connect(protocol, peer, trusted);
    }

    private PeerChannel connect(ProxyProtocol protocol, SocketAddress peer, TrustedProxies trust) {
        ProxyHeaderHandler handler = new ProxyHeaderHandler(protocol, new ProxySettings(trust, TIMEOUT), closed);
        downstream = new Downstream();
        return new PeerChannel(peer, true, handler.detector(), handler, downstream);
    }

    private PeerChannel connect(ProxyProtocol protocol) {
        return connect(protocol, new InetSocketAddress(BALANCER, 40000));
    }

    private static ByteBuf ascii(String s) {
        return Unpooled.copiedBuffer(s, US_ASCII);
    }

    /** The bytes of {@code message} as Netty's encoder writes them (HAProxy's format). */
    private static ByteBuf encode(HAProxyMessage message) {
        EmbeddedChannel encoder = new EmbeddedChannel(HAProxyMessageEncoder.INSTANCE);
        encoder.writeOutbound(message);
        ByteBuf bytes = encoder.readOutbound();
        assertFalse(encoder.finish());
        return bytes;
    }

    private static ByteBuf v2(String source, int sourcePort, List<HAProxyTLV> tlvs) {
        return encode(new HAProxyMessage(HAProxyProtocolVersion.V2, HAProxyCommand.PROXY,
                source.contains(":") ? HAProxyProxiedProtocol.TCP6 : HAProxyProxiedProtocol.TCP4, source,
                source.contains(":") ? "2001:db8::80" : "192.0.2.80", sourcePort, 7, tlvs));
    }

    private static ByteBuf v2Local() {
        return encode(new HAProxyMessage(HAProxyProtocolVersion.V2, HAProxyCommand.LOCAL,
                HAProxyProxiedProtocol.UNKNOWN, null, null, 0, 0));
    }

    private static ByteBuf concat(ByteBuf... parts) {
        ByteBuf all = Unpooled.buffer();
        for (ByteBuf part : parts) {
            all.writeBytes(part);
            part.release();
        }
        return all;
    }

    private static void advance(EmbeddedChannel ch, long millis) {
        ch.advanceTimeBy(millis, TimeUnit.MILLISECONDS);
        ch.runScheduledPendingTasks();
        ch.runPendingTasks();
    }

    private static boolean noProxyHandlersLeft(EmbeddedChannel ch) {
        return ch.pipeline().get(ProxyHeaderHandler.class) == null && ch.pipeline().get(ProxyHeaderHandler.DECODER) == null
                && ch.pipeline().names().size() == 2; // the downstream handler and the tail
    }

    @Test
    void aV1HeaderMakesItsSourceTheClientAndWhatFollowsIsData() {
        PeerChannel ch = connect(ProxyProtocol.V1);
        assertEquals(List.of(), downstream.events, "held back until the header is read");
        ch.writeInbound(ascii(V1_HEADER + "hello\n"));
        assertEquals(List.of("active", "read hello\n"), downstream.events);
        assertEquals(new InetSocketAddress("198.51.100.7", 50000), downstream.clientAtActive,
                "the client, already when the gates see the connection");
        ProxiedConnection proxied = downstream.proxiedAtActive;
        assertEquals(1, proxied.version());
        assertFalse(proxied.local());
        assertEquals(new InetSocketAddress("192.0.2.80", 7), proxied.destination());
        assertEquals(List.of(), proxied.tlvs());
        assertEquals(new InetSocketAddress(BALANCER, 40000), ch.remoteAddress(), "the socket's peer is unchanged");
        assertTrue(noProxyHandlersLeft(ch), ch.pipeline().names().toString());
        ch.writeInbound(ascii("more\n"));
        assertEquals("hello\nmore\n", downstream.data());
        assertEquals(0, closed.total());
        assertFalse(ch.finish());
        assertEquals("inactive", downstream.events.get(downstream.events.size() - 1));
    }

    @Test
    void aV2HeaderWithIpv6AddressesAndNoDataYet() {
        PeerChannel ch = connect(ProxyProtocol.V2);
        ch.writeInbound(v2("2001:db8::7", 50001, List.of()));
        assertEquals(List.of("active"), downstream.events);
        assertEquals(new InetSocketAddress("2001:db8::7", 50001), downstream.clientAtActive);
        assertEquals(2, downstream.proxiedAtActive.version());
        ch.writeInbound(ascii("x"));
        assertEquals("x", downstream.data());
        assertFalse(ch.finish());
    }

    @Test
    void v2TlvsAreDecodedInHeaderOrder() {
        List<HAProxyTLV> tlvs = List.of(
                new HAProxyTLV((byte) 0x01, ascii("h2")),
                new HAProxyTLV((byte) 0x02, ascii("echo.example")),
                new HAProxyTLV((byte) 0x05, Unpooled.wrappedBuffer(new byte[] {(byte) 0xab, 0x01})),
                new HAProxySSLTLV(0, (byte) 0x07, List.of(new HAProxyTLV((byte) 0x21, ascii("TLSv1.3")),
                        new HAProxyTLV((byte) 0x22, ascii("client.example")))),
                new HAProxyTLV((byte) 0xEA, concat(Unpooled.wrappedBuffer(new byte[] {0x01}), ascii("vpce-0123abcd"))),
                new HAProxyTLV((byte) 0xEE, Unpooled.wrappedBuffer(new byte[] {0x01, 0x0d, 0x0c, 0x0b, (byte) 0xfa})),
                new HAProxyTLV((byte) 0xEE, Unpooled.wrappedBuffer(new byte[] {0x02, 0x01})),
                new HAProxyTLV((byte) 0xE0, Unpooled.wrappedBuffer(new byte[] {0x00, (byte) 0xff})));
        PeerChannel ch = connect(ProxyProtocol.ANY);
        ch.writeInbound(v2("198.51.100.7", 50000, tlvs));
        assertEquals(List.of(
                new ProxyTlv(0x01, "alpn", "h2"),
                new ProxyTlv(0x02, "authority", "echo.example"),
                new ProxyTlv(0x05, "unique_id", "ab01"),
                new ProxyTlv(0x20, "ssl_verified", "true"),
                new ProxyTlv(0x21, "ssl_version", "TLSv1.3"),
                new ProxyTlv(0x22, "ssl_cn", "client.example"),
                new ProxyTlv(0xEA, "aws_vpce_id", "vpce-0123abcd"),
                new ProxyTlv(0xEE, "azure_linkid", String.valueOf(0xfa0b0c0dL)),
                new ProxyTlv(0xEE, "tlv_0xee", "0201"),
                new ProxyTlv(0xE0, "tlv_0xe0", "00ff")), downstream.proxiedAtActive.tlvs());
        assertFalse(ch.finish());
    }

    @Test
    void anSslTlvIsVerifiedOnlyWhenTheClientPresentedACertificateThatPassed() {
        assertEquals("false", sslVerified(0, (byte) 0x01), "TLS, but no certificate");
        assertEquals("false", sslVerified(1, (byte) 0x07), "a certificate that failed verification");
        assertEquals("true", sslVerified(0, (byte) 0x03), "a certificate on this connection, verified");
    }

    private String sslVerified(int verify, byte client) {
        PeerChannel ch = connect(ProxyProtocol.V2);
        ch.writeInbound(v2("198.51.100.7", 50000, List.of(new HAProxySSLTLV(verify, client, List.of()))));
        String value = downstream.proxiedAtActive.tlvs().get(0).value();
        assertFalse(ch.finish());
        return value;
    }

    @Test
    void aV2LocalHeaderIsServedWithTheSocketsOwnAddresses() {
        PeerChannel ch = connect(ProxyProtocol.V2);
        ch.writeInbound(concat(v2Local(), ascii("ping\n")));
        assertEquals(List.of("active", "read ping\n"), downstream.events);
        assertTrue(downstream.proxiedAtActive.local());
        assertNull(downstream.proxiedAtActive.source());
        assertEquals(new InetSocketAddress(BALANCER, 40000), downstream.clientAtActive, "the balancer itself");
        assertFalse(ch.finish());
    }

    @Test
    void aV1UnknownHeaderIsServedWithTheSocketsOwnAddresses() {
        PeerChannel ch = connect(ProxyProtocol.V1);
        ch.writeInbound(ascii("PROXY UNKNOWN\r\nping\n"));
        assertTrue(downstream.proxiedAtActive.local());
        assertEquals(new InetSocketAddress(BALANCER, 40000), downstream.clientAtActive);
        assertEquals("ping\n", downstream.data());
        assertFalse(ch.finish());
    }

    @Test
    void aHeaderArrivingOneByteAtATimeIsWaitedFor() {
        for (ByteBuf header : List.of(ascii(V1_HEADER), v2("198.51.100.7", 50000, List.of()))) {
            PeerChannel ch = connect(ProxyProtocol.ANY);
            while (header.isReadable()) {
                assertEquals(List.of(), downstream.events);
                ch.writeInbound(header.readRetainedSlice(1));
            }
            header.release();
            assertEquals(List.of("active"), downstream.events);
            assertEquals(new InetSocketAddress("198.51.100.7", 50000), downstream.clientAtActive);
            ch.writeInbound(ascii("a"));
            ch.writeInbound(ascii("b"));
            assertEquals("ab", downstream.data());
            assertFalse(ch.finish());
        }
        assertEquals(0, closed.total());
    }

    @Test
    void dataWhereAHeaderIsRequiredIsRefusedAsMissingAndNeverReachesTheGates() {
        PeerChannel ch = connect(ProxyProtocol.ANY);
        ByteBuf request = ascii("GET / HTTP/1.1\r\n");
        ch.writeInbound(request);
        assertEquals(0, request.refCnt(), "released");
        assertFalse(ch.isOpen());
        assertFalse(ch.config().isAutoRead(), "nothing more is read");
        assertEquals(1, closed.count(CloseReason.PROXY_MISSING));
        assertEquals(1, closed.total());
        assertEquals(List.of(), downstream.events, "not its activity, data or close");
        ch.finishAndReleaseAll();
    }

    @Test
    void aShortMessageThatCannotBeginASignatureIsDecidedAtOnce() {
        PeerChannel ch = connect(ProxyProtocol.V2);
        ch.writeInbound(ascii("hi"));
        assertFalse(ch.isOpen(), "two bytes that begin neither signature");
        assertEquals(1, closed.count(CloseReason.PROXY_MISSING));
        ch.finishAndReleaseAll();
    }

    @Test
    void malformedHeadersAreRefusedAsInvalid() {
        List<ByteBuf> malformed = List.of(
                ascii("PROXY TCP4 198.51.100.7 192.0.2.80 50000\r\n"), // a field missing
                ascii("PROXY TCP4 198.51.100.777 192.0.2.80 50000 7\r\n"),
                ascii("PROXY " + "x".repeat(200)), // no end of line within v1's 108 bytes
                concat(v2("198.51.100.7", 50000, List.of()).setByte(12, 0x31))); // version 3
        for (ByteBuf header : malformed) {
            PeerChannel ch = connect(ProxyProtocol.ANY);
            ch.writeInbound(header);
            assertFalse(ch.isOpen(), header.toString(US_ASCII));
            assertEquals(List.of(), downstream.events);
            ch.finishAndReleaseAll();
        }
        assertEquals(malformed.size(), closed.count(CloseReason.PROXY_INVALID));
        assertEquals(malformed.size(), closed.total());
    }

    @Test
    void aHeaderOfTheOtherVersionIsInvalid() {
        PeerChannel v1Listener = connect(ProxyProtocol.V1);
        v1Listener.writeInbound(v2("198.51.100.7", 50000, List.of()));
        assertFalse(v1Listener.isOpen());
        PeerChannel v2Listener = connect(ProxyProtocol.V2);
        v2Listener.writeInbound(ascii(V1_HEADER));
        assertFalse(v2Listener.isOpen());
        assertEquals(2, closed.count(CloseReason.PROXY_INVALID));
        v1Listener.finishAndReleaseAll();
        v2Listener.finishAndReleaseAll();
    }

    @Test
    void anUntrustedPeerIsRefusedBeforeAnythingIsReadWhereAHeaderIsRequired() {
        PeerChannel ch = connect(ProxyProtocol.V2, new InetSocketAddress("203.0.113.9", 40000));
        assertFalse(ch.isOpen(), "refused as soon as it is active");
        assertFalse(ch.config().isAutoRead());
        assertEquals(1, closed.count(CloseReason.PROXY_UNTRUSTED));
        assertEquals(List.of(), downstream.events);
        ch.finishAndReleaseAll();
    }

    @Test
    void onOptionalAnUntrustedPeerIsServedDirectlyButItsHeaderIsRefused() {
        InetSocketAddress direct = new InetSocketAddress("203.0.113.9", 40000);
        PeerChannel plain = connect(ProxyProtocol.OPTIONAL, direct);
        plain.writeInbound(ascii("hello\n"));
        assertEquals(List.of("active", "read hello\n"), downstream.events);
        assertEquals(direct, downstream.clientAtActive);
        assertNull(downstream.proxiedAtActive);
        assertTrue(noProxyHandlersLeft(plain));
        assertFalse(plain.finish());

        PeerChannel claiming = connect(ProxyProtocol.OPTIONAL, direct);
        ByteBuf header = ascii(V1_HEADER);
        claiming.writeInbound(header);
        assertEquals(0, header.refCnt());
        assertFalse(claiming.isOpen(), "a client cannot claim to be another");
        assertEquals(List.of(), downstream.events);
        assertEquals(1, closed.count(CloseReason.PROXY_UNTRUSTED));
        assertEquals(1, closed.total());
        claiming.finishAndReleaseAll();
    }

    @Test
    void onOptionalATrustedPeerMaySendAHeaderOrNot() {
        PeerChannel withHeader = connect(ProxyProtocol.OPTIONAL);
        withHeader.writeInbound(v2("198.51.100.7", 50000, List.of()));
        assertEquals(new InetSocketAddress("198.51.100.7", 50000), downstream.clientAtActive);
        assertFalse(withHeader.finish());
        PeerChannel healthCheck = connect(ProxyProtocol.OPTIONAL);
        healthCheck.writeInbound(ascii("ping\n"));
        assertEquals(new InetSocketAddress(BALANCER, 40000), downstream.clientAtActive);
        assertEquals("ping\n", downstream.data());
        assertFalse(healthCheck.finish());
        assertEquals(0, closed.total());
    }

    @Test
    void onOptionalBytesThatStopLookingLikeASignatureAreData() {
        PeerChannel ch = connect(ProxyProtocol.OPTIONAL);
        ch.writeInbound(ascii("PRO"));
        assertEquals(List.of(), downstream.events, "could still become 'PROXY '");
        ch.writeInbound(ascii("XYING is fun\n"));
        assertEquals(List.of("active", "read PROXYING is fun\n"), downstream.events,
                "Netty's detection matches 'PROXY'; the spec's signature has its space");
        assertFalse(ch.finish());
        assertEquals(0, closed.total());
    }

    @Test
    void onOptionalAnInputEndingBeforeASignatureIsDataAndItsEndGoesOn() {
        PeerChannel ch = connect(ProxyProtocol.OPTIONAL);
        ch.writeInbound(ascii("PRO"));
        ch.pipeline().fireUserEventTriggered(ChannelInputShutdownEvent.INSTANCE);
        assertEquals(List.of("active", "read PRO", "input shutdown"), downstream.events);
        assertTrue(noProxyHandlersLeft(ch));
        assertFalse(ch.finish());

        PeerChannel silent = connect(ProxyProtocol.OPTIONAL);
        silent.pipeline().fireUserEventTriggered(ChannelInputShutdownEvent.INSTANCE);
        assertEquals(List.of("active", "input shutdown"), downstream.events, "a peer that sent nothing at all");
        assertTrue(noProxyHandlersLeft(silent));
        assertFalse(silent.finish());
        assertEquals(0, closed.total());
    }

    @Test
    void aPeerLeavingBeforeItsRequiredHeaderIsCountedNowhere() {
        PeerChannel halfClosed = connect(ProxyProtocol.V1);
        halfClosed.writeInbound(ascii("PROXY TCP4 198."));
        halfClosed.pipeline().fireUserEventTriggered(ChannelInputShutdownEvent.INSTANCE);
        assertFalse(halfClosed.isOpen());
        halfClosed.finishAndReleaseAll();
        PeerChannel gone = connect(ProxyProtocol.V1);
        gone.writeInbound(ascii("PROXY TCP4 198."));
        assertFalse(gone.finishAndReleaseAll());
        assertEquals(List.of(), downstream.events);
        assertEquals(0, closed.total());
    }

    @Test
    void aHeaderNotCompleteWithinTheTimeoutIsRefusedNeverEarly() {
        PeerChannel ch = connect(ProxyProtocol.V1);
        ch.writeInbound(ascii("PROXY TCP4 198.51.100.7 "));
        advance(ch, TIMEOUT.toMillis() - 1);
        assertTrue(ch.isOpen(), "never early");
        advance(ch, 1);
        assertFalse(ch.isOpen(), "at the timeout exactly");
        assertEquals(1, closed.count(CloseReason.PROXY_TIMEOUT));
        assertEquals(List.of(), downstream.events);
        ch.finishAndReleaseAll();

        PeerChannel silent = connect(ProxyProtocol.ANY);
        advance(silent, TIMEOUT.toMillis());
        assertFalse(silent.isOpen(), "nothing at all, where a header is required");
        assertEquals(2, closed.count(CloseReason.PROXY_TIMEOUT));
        silent.finishAndReleaseAll();
    }

    @Test
    void aHeaderReadInTimeCancelsItsTimer() {
        PeerChannel ch = connect(ProxyProtocol.V1);
        advance(ch, TIMEOUT.toMillis() - 1);
        ch.writeInbound(ascii(V1_HEADER));
        advance(ch, TIMEOUT.toMillis() * 10);
        assertTrue(ch.isOpen());
        assertEquals(0, closed.total());
        assertFalse(ch.finish());
    }

    @Test
    void onOptionalATimeoutServesWhatCouldNotBecomeAHeaderButNotAStartedOne() {
        PeerChannel silent = connect(ProxyProtocol.OPTIONAL);
        advance(silent, TIMEOUT.toMillis());
        assertTrue(silent.isOpen());
        assertEquals(List.of("active"), downstream.events, "a connection that sent nothing is a direct one");
        assertFalse(silent.finish());

        PeerChannel typing = connect(ProxyProtocol.OPTIONAL);
        typing.writeInbound(ascii("PROX"));
        advance(typing, TIMEOUT.toMillis());
        assertEquals(List.of("active", "read PROX"), downstream.events);
        assertFalse(typing.finish());

        PeerChannel started = connect(ProxyProtocol.OPTIONAL);
        started.writeInbound(ascii("PROXY TCP4 "));
        advance(started, TIMEOUT.toMillis());
        assertFalse(started.isOpen(), "a header that began must end in time");
        assertEquals(1, closed.count(CloseReason.PROXY_TIMEOUT));
        started.finishAndReleaseAll();
    }

    @Test
    void unixPeersAreTrustedOnlyWhenSaidSo() {
        DomainSocketAddress peer = new DomainSocketAddress("/run/echoack/haproxy.sock");
        PeerChannel trustedPeer = connect(ProxyProtocol.V1, peer);
        trustedPeer.writeInbound(ascii(V1_HEADER));
        assertEquals(new InetSocketAddress("198.51.100.7", 50000), downstream.clientAtActive);
        assertFalse(trustedPeer.finish());

        PeerChannel untrusted = connect(ProxyProtocol.V1, peer, TrustedProxies.parse(List.of("0.0.0.0/0", "::/0")));
        assertFalse(untrusted.isOpen(), "no range covers a Unix peer");
        assertEquals(1, closed.count(CloseReason.PROXY_UNTRUSTED));
        untrusted.finishAndReleaseAll();
    }

    @Test
    void ipv4MappedPeersMatchIpv4Ranges() {
        PeerChannel ch = connect(ProxyProtocol.V1, new InetSocketAddress("::ffff:10.1.2.3", 40000));
        ch.writeInbound(ascii(V1_HEADER));
        assertEquals(new InetSocketAddress("198.51.100.7", 50000), downstream.clientAtActive);
        assertFalse(ch.finish());
    }

    @Test
    void trustedProxiesAreParsedStrictly() {
        TrustedProxies parsed = TrustedProxies.parse(List.of("10.0.0.0/8", "UNIX", "2001:db8::/32", "10.0.0.0/8"));
        assertEquals(2, parsed.ranges().size());
        assertTrue(parsed.unix());
        assertTrue(parsed.covers(EndpointKind.TCP) && parsed.covers(EndpointKind.UNIX));
        assertFalse(TrustedProxies.parse(List.of("unix")).covers(EndpointKind.TLS));
        assertFalse(TrustedProxies.parse(List.of("10.0.0.0/8")).covers(EndpointKind.UNIX));
        assertTrue(TrustedProxies.NONE.isEmpty());
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> TrustedProxies.parse(List.of("10.0.0.0/8", "balancer.local")));
        assertEquals("invalid CIDR 'balancer.local': 'balancer.local' is not an IPv4 or IPv6 address (host names "
                + "are not allowed) (or unix, to trust Unix-socket peers)", e.getMessage());
        e = assertThrows(IllegalArgumentException.class, () -> new ProxySettings(TrustedProxies.NONE, Duration.ZERO));
        assertEquals("proxy: headerTimeout must be > 0 and at most 5m, was PT0S", e.getMessage());
    }
}
