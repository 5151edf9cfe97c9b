package io.echoack.server.stream;

import static java.nio.charset.StandardCharsets.US_ASCII;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.echoack.common.codec.Framing;
import io.echoack.common.codec.ReplyMode;
import io.echoack.common.endpoint.Endpoint;
import io.echoack.common.testing.TestPki;
import io.echoack.common.tls.TlsProvider;
import io.echoack.common.transport.Transport;
import io.echoack.server.access.SourceFilter;
import io.echoack.server.binding.ListenerContexts;
import io.echoack.server.config.ServerConfig;
import io.echoack.server.connectionlog.ConnectionLog;
import io.echoack.server.connectionlog.ConnectionLogFormat;
import io.echoack.server.identity.Identity;
import io.echoack.server.identity.IdentityPairs;
import io.echoack.server.limits.ConnectionCounter;
import io.echoack.server.limits.ConnectionLimits;
import io.echoack.server.limits.ReflectionGuardSettings;
import io.echoack.server.limits.RefusalWarnings;
import io.echoack.server.limits.Timeouts;
import io.echoack.server.fault.ListenerFaults;
import io.echoack.server.listener.ListenerContext;
import io.echoack.server.listener.ListenerGates;
import io.echoack.server.messagelog.MessageLog;
import io.echoack.server.metrics.ServerMetrics;
import io.echoack.server.output.LineQueue;
import io.echoack.server.proxy.ConnectionAddresses;
import io.echoack.server.proxy.header.ProxySettings;
import io.echoack.server.proxy.header.TrustedProxies;
import io.echoack.server.testing.PeerChannel;
import io.echoack.server.tls.ServerTls;
import io.echoack.server.tls.TlsSettings;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import io.netty.channel.embedded.EmbeddedChannel;
import io.netty.channel.group.ChannelGroup;
import io.netty.channel.group.DefaultChannelGroup;
import io.netty.channel.socket.ChannelInputShutdownEvent;
import io.netty.channel.socket.ChannelInputShutdownReadComplete;
import io.netty.handler.ssl.SslHandler;
import io.netty.util.concurrent.GlobalEventExecutor;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.net.InetSocketAddress;
import java.nio.file.Path;
import java.time.Clock;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The whole stream pipeline of one connection, on an EmbeddedChannel. */
class StreamPipelineTest {

    private static final Identity IDENTITY = Identity.resolve(IdentityPairs.none(), Transport.NIO);

    private final ChannelGroup group = new DefaultChannelGroup(GlobalEventExecutor.INSTANCE);

    /** The connection's pipeline, built as the server builds it, from {@code config} (and TLS on tls:// ones). */
    private EmbeddedChannel channel(String endpoint, ServerConfig config, ServerTls tls) {
        ListenerContexts contexts = new ListenerContexts(config, new ServerMetrics(), tls, group, null,
                new RefusalWarnings());
        return new EmbeddedChannel(new StreamServerInitializer(contexts.forEndpoint(Endpoint.parse(endpoint))));
    }

    private EmbeddedChannel channel(String endpoint, ServerConfig config) {
        return channel(endpoint, config.withMaxFrameLength(8), null);
    }

    private EmbeddedChannel channel(String endpoint) {
        return channel(endpoint, ServerConfig.defaults());
    }

    private static String outbound(EmbeddedChannel ch) {
        StringBuilder sb = new StringBuilder();
        ByteBuf buf;
        while ((buf = ch.readOutbound()) != null) {
            sb.append(buf.toString(US_ASCII));
            buf.release();
        }
        return sb.toString();
    }

    private static ByteBuf ascii(String s) {
        return Unpooled.copiedBuffer(s, US_ASCII);
    }

    @Test
    void ackLineAnswersEachLineInOrder() {
        EmbeddedChannel ch = channel("tcp://:1");
        ch.writeInbound(ascii("a\nb\r\nc"));
        assertEquals("I got your message\nI got your message\n", outbound(ch));
        ch.writeInbound(ascii("\n"));
        assertEquals("I got your message\n", outbound(ch));
        assertFalse(ch.finish());
    }

    @Test
    void echoLineReturnsTheSameBytesIncludingTerminator() {
        EmbeddedChannel ch = channel("tcp://:1?mode=echo&framing=line");
        ch.writeInbound(ascii("one\r\ntwo\n"));
        assertEquals("one\r\ntwo\n", outbound(ch));
        assertFalse(ch.finish());
    }

    @Test
    void ackRawAnswersEachReadWithTheBareText() {
        EmbeddedChannel ch = channel("tcp://:1?framing=raw");
        ch.writeInbound(ascii("no newline"));
        assertEquals("I got your message", outbound(ch));
        assertFalse(ch.finish());
    }

    @Test
    void infoAnswersEachLineWithAKeyValueLineFromAResponderOfItsOwn() {
        ServerConfig config = ServerConfig.defaults().withIdentity("host=backend-a", "pod=web-1");
        EmbeddedChannel first = channel("tcp://:1?mode=info", config);
        EmbeddedChannel second = channel("tcp://:1?mode=info", config);
        assertTrue(first.pipeline().get(StreamServerInitializer.RESPONDER) instanceof InfoResponder);
        assertTrue(first.pipeline().get(StreamServerInitializer.RESPONDER)
                != second.pipeline().get(StreamServerInitializer.RESPONDER), "each connection counts its own");
        first.writeInbound(ascii("a\nb"));
        String reply = outbound(first);
        assertTrue(reply.startsWith("host=backend-a pod=web-1 listener=tcp://:1 transport=auto "), reply);
        assertTrue(reply.endsWith(" seq=1 version=" + Identity.serverVersion() + "\n"), reply);
        first.writeInbound(ascii("\n"));
        assertTrue(outbound(first).contains(" seq=2 "));
        assertFalse(first.finish());
        assertFalse(second.finish());
    }

    @Test
    void echoIsRawByDefault() {
        EmbeddedChannel ch = channel("tcp://:1", ServerConfig.defaults().withMode(ReplyMode.ECHO));
        ByteBuf binary = Unpooled.wrappedBuffer(new byte[] {0, (byte) 0xff, '\n', 7});
        ch.writeInbound(binary);
        ByteBuf out = ch.readOutbound();
        assertEquals(4, out.readableBytes());
        assertEquals((byte) 0xff, out.getByte(1));
        out.release();
        assertFalse(ch.finish());
    }

    @Test
    void lengthAckIsLengthFramed() {
        EmbeddedChannel ch = channel("tcp://:1?framing=length");
        ch.writeInbound(Unpooled.wrappedBuffer(Framing.LENGTH.frame("hi")));
        ByteBuf out = ch.readOutbound();
        assertEquals(18, out.getInt(out.readerIndex()));
        assertEquals("I got your message", out.toString(4, 18, US_ASCII));
        out.release();
        assertFalse(ch.finish());
    }

    @Test
    void tooLongLineGetsAnErrorAndTheConnectionGoesOn() {
        EmbeddedChannel ch = channel("tcp://:1");
        ch.writeInbound(ascii("ok\n123456789\nafter\n"));
        assertEquals("I got your message\nERROR: message longer than 8 bytes\nI got your message\n", outbound(ch));
        assertTrue(ch.isOpen());
        assertFalse(ch.finish());
    }

    @Test
    void tooLongLengthPrefixClosesAfterEarlierReplies() {
        EmbeddedChannel ch = channel("tcp://:1?mode=echo&framing=length");
        ByteBuf in = Unpooled.buffer().writeBytes(Framing.LENGTH.frame("ok")).writeInt(9).writeBytes(new byte[9]);
        ch.writeInbound(in);
        ByteBuf echoed = ch.readOutbound();
        assertEquals(6, echoed.readableBytes());
        echoed.release();
        ch.runPendingTasks();
        assertFalse(ch.isOpen(), "an oversized length frame closes the connection");
        ch.finishAndReleaseAll();
    }

    @Test
    void halfClosedPeerGetsRepliesThenClose() {
        EmbeddedChannel ch = channel("tcp://:1");
        ch.writeInbound(ascii("first\nlast"));
        ch.pipeline().fireUserEventTriggered(ChannelInputShutdownEvent.INSTANCE);
        ch.pipeline().fireChannelReadComplete();
        ch.pipeline().fireUserEventTriggered(ChannelInputShutdownReadComplete.INSTANCE);
        assertEquals("I got your message\nI got your message\n", outbound(ch));
        ch.runPendingTasks();
        assertFalse(ch.isOpen());
        ch.finishAndReleaseAll();
    }

    @Test
    void theConnectionLogCountsRightAfterTheMetricsAndIsNotThereWhenOff() {
        List<String> off = channel("tcp://:1").pipeline().names();
        assertFalse(off.contains(StreamServerInitializer.CONNECTION_LOG), off.toString());

        try (LineQueue stdout = new LineQueue(new PrintStream(new ByteArrayOutputStream(), true, US_ASCII))) {
            ConnectionLog log = new ConnectionLog(ConnectionLogFormat.JSON, stdout, Clock.systemUTC());
            ServerConfig config = ServerConfig.defaults().withPrintMessages(true);
            ListenerContexts contexts = new ListenerContexts(config, new ServerMetrics(), null, group,
                    new MessageLog(stdout), log, new RefusalWarnings(), IDENTITY);
            EmbeddedChannel ch = new EmbeddedChannel(new StreamServerInitializer(
                    contexts.forEndpoint(Endpoint.parse("tcp://:1"))));
            List<String> names = ch.pipeline().names();
            assertEquals(List.of(StreamServerInitializer.FRAME_DECODER, StreamServerInitializer.METRICS,
                    StreamServerInitializer.CONNECTION_LOG, StreamServerInitializer.MESSAGE_PRINTER,
                    StreamServerInitializer.RESPONDER), names.subList(
                    names.indexOf(StreamServerInitializer.FRAME_DECODER),
                    names.indexOf(StreamServerInitializer.RESPONDER) + 1));
            ch.finishAndReleaseAll();
        }
    }

    @Test
    void faultHandlersSitAroundTheMetricsOnlyOnListenersWithFaults() {
        List<String> none = channel("tcp://:1?mode=echo").pipeline().names();
        assertFalse(none.contains(StreamServerInitializer.FAULTS), none.toString());
        assertFalse(none.contains(StreamServerInitializer.FAULT_SHAPER), none.toString());

        EmbeddedChannel ch = channel("tcp://:1?mode=echo&framing=line&delay=1ms&reset=1%");
        List<String> names = ch.pipeline().names();
        assertEquals(List.of(StreamServerInitializer.FRAME_DECODER, StreamServerInitializer.FAULT_SHAPER,
                StreamServerInitializer.METRICS, StreamServerInitializer.FAULTS, StreamServerInitializer.RESPONDER),
                names.subList(names.indexOf(StreamServerInitializer.FRAME_DECODER),
                        names.indexOf(StreamServerInitializer.RESPONDER) + 1));
        ch.finishAndReleaseAll();

        List<String> shapeOnly = channel("tcp://:1?slice=10").pipeline().names();
        assertTrue(shapeOnly.contains(StreamServerInitializer.FAULT_SHAPER));
        assertFalse(shapeOnly.contains(StreamServerInitializer.FAULTS));
        List<String> messagesOnly = channel("tcp://:1?blackhole=1%").pipeline().names();
        assertFalse(messagesOnly.contains(StreamServerInitializer.FAULT_SHAPER));
        assertTrue(messagesOnly.contains(StreamServerInitializer.FAULTS));
    }

    /**
     * Seeded faults put on a listener at run time meet its n-th connection as they would had they been there from
     * the start: every connection is numbered, faults or none.
     */
    @Test
    void faultsAddedAtRunTimeDrawTheSameStreamsAsFaultsFromTheStart() {
        ServerConfig config = ServerConfig.defaults().withFaultSeed(7);
        ListenerContext fromStart = new ListenerContexts(config, new ServerMetrics(), null, group, null,
                new RefusalWarnings()).forEndpoint(Endpoint.parse("tcp://:1?reset=20%"), "faulty");
        ListenerContext later = new ListenerContexts(config, new ServerMetrics(), null, group, null,
                new RefusalWarnings()).forEndpoint(Endpoint.parse("tcp://:1"), "faulty");
        StreamServerInitializer a = new StreamServerInitializer(fromStart);
        StreamServerInitializer b = new StreamServerInitializer(later);
        for (int n = 0; n < 3; n++) {
            messagesBeforeReset(a);
            assertEquals(-1, messagesBeforeReset(b), "connection " + n + " of the listener without faults yet");
        }
        later.faults().replace(fromStart.faults().current());
        List<Integer> expected = new ArrayList<>();
        List<Integer> seen = new ArrayList<>();
        for (int n = 3; n < 10; n++) {
            expected.add(messagesBeforeReset(a));
            seen.add(messagesBeforeReset(b));
        }
        assertEquals(expected, seen);
        assertTrue(expected.stream().anyMatch(i -> i >= 0), "some connections were reset: " + expected);
    }

    /** How many messages a new connection got answered before a fault reset it; -1: none in 30. */
    private static int messagesBeforeReset(StreamServerInitializer initializer) {
        EmbeddedChannel ch = new EmbeddedChannel(initializer);
        try {
            for (int i = 0; i < 30; i++) {
                ch.writeInbound(ascii("a\n"));
                if (!ch.isOpen()) {
                    return i;
                }
            }
            return -1;
        } finally {
            ch.finishAndReleaseAll();
        }
    }

    @Test
    void aFaultCloseIsCountedAndTheReplyIsNotSent() throws java.io.IOException {
        ServerMetrics metrics = new ServerMetrics();
        ListenerContexts contexts = new ListenerContexts(ServerConfig.defaults(), metrics, null, group, null,
                new RefusalWarnings());
        EmbeddedChannel ch = new EmbeddedChannel(new StreamServerInitializer(
                contexts.forEndpoint(Endpoint.parse("tcp://:1?close=100%"), "faulty")));
        ch.writeInbound(ascii("a\n"));
        assertEquals("", outbound(ch));
        assertFalse(ch.isOpen());
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        metrics.writeTo(out);
        String scrape = out.toString(US_ASCII);
        assertTrue(scrape.contains("echoack_faults_injected_total{endpoint=\"faulty\",fault=\"close\"} 1.0"), scrape);
        assertTrue(scrape.contains("echoack_connections_closed_total{endpoint=\"faulty\",reason=\"fault_close\"} 1.0"),
                scrape);
        assertFalse(ch.finish());
    }

    @Test
    void tlsSitsBetweenTheAcceptGatesAndEverythingThatReadsMessages(@TempDir Path dir) throws Exception {
        TestPki pki = TestPki.create(dir);
        TlsSettings settings = TlsSettings.of(pki.serverCert(), pki.serverKey()).withProvider(TlsProvider.JDK);
        ServerConfig config = ServerConfig.defaults().toBuilder().listen(List.of(Endpoint.parse("tls://:1")))
                .tls(settings).build();
        ServerTls tls = ServerTls.load(settings);
        EmbeddedChannel ch = channel("tls://:1", config.withAllow("127.0.0.0/8"), tls);
        List<String> names = ch.pipeline().names();
        assertEquals(List.of(StreamServerInitializer.TLS, StreamServerInitializer.TLS_HANDSHAKE,
                StreamServerInitializer.TLS_CLOSE_NOTIFY, StreamServerInitializer.TIMEOUTS,
                StreamServerInitializer.FRAME_DECODER), names.subList(names.indexOf(StreamServerInitializer.TLS),
                names.indexOf(StreamServerInitializer.FRAME_DECODER) + 1));
        assertTrue(names.indexOf(StreamServerInitializer.CONNECTION_LIMITER) < names.indexOf(StreamServerInitializer.TLS));
        assertTrue(ch.pipeline().get(StreamServerInitializer.TLS) instanceof SslHandler);
        ch.finishAndReleaseAll();
        ListenerGates gates = new ListenerGates(SourceFilter.ALLOW_ALL,
                new ConnectionCounter(ConnectionLimits.defaults()), Timeouts.none(), ReflectionGuardSettings.defaults(),
                ProxySettings.defaults());
        assertThrows(IllegalArgumentException.class, () -> new ListenerContext(
                ServerConfig.defaults().listenerSpec(Endpoint.parse("tcp://:1")), "tcp://:1",
                new ServerMetrics().listener("t"), gates, tls, null, group, new RefusalWarnings(), () -> IDENTITY,
                null,
                ListenerFaults.none(Endpoint.parse("tcp://:1"))),
                "a TLS context on a plaintext listener");
        assertThrows(IllegalArgumentException.class, () -> new ListenerContext(
                config.listenerSpec(Endpoint.parse("tls://:1")), "tls://:1",
                new ServerMetrics().listener("t"), gates, null, null, group, new RefusalWarnings(), () -> IDENTITY,
                null,
                ListenerFaults.none(Endpoint.parse("tls://:1"))),
                "a tls:// listener without a TLS context");
    }

    /** A server config listening on {@code endpoint}, trusting PROXY headers from 10.0.0.0/8. */
    private static ServerConfig proxyConfig(String endpoint) {
        return proxyConfig(endpoint, TlsSettings.none());
    }

    private static ServerConfig proxyConfig(String endpoint, TlsSettings tls) {
        return ServerConfig.defaults().toBuilder().listen(List.of(Endpoint.parse(endpoint))).tls(tls)
                .proxy(ProxySettings.defaults().withTrustedProxies(TrustedProxies.parse(List.of("10.0.0.0/8")))).build();
    }

    /** A connection from the balancer at 10.0.0.1 on {@code endpoint}, built as the server builds it. */
    private PeerChannel proxied(String endpoint, ServerConfig config, ServerTls tls) {
        ListenerContexts contexts = new ListenerContexts(config, new ServerMetrics(), tls, group, null,
                new RefusalWarnings());
        return new PeerChannel(new InetSocketAddress("10.0.0.1", 40000),
                new StreamServerInitializer(contexts.forEndpoint(Endpoint.parse(endpoint))));
    }

    @Test
    void onAProxyListenerTheHeaderComesFirstAndTheClientGatesAfterIt() {
        String endpoint = "tcp://:1?proxy=v1";
        ServerConfig config = proxyConfig(endpoint).withAllow("198.51.100.0/24")
                .withLimits(new ConnectionLimits(100, 5));
        PeerChannel ch = proxied(endpoint, config, null);
        List<String> names = ch.pipeline().names();
        assertEquals(List.of(StreamServerInitializer.CONNECTION_LIMITER, StreamServerInitializer.PROXY_DETECTOR,
                StreamServerInitializer.PROXY_HEADER, StreamServerInitializer.SOURCE_FILTER,
                StreamServerInitializer.CLIENT_LIMITER, StreamServerInitializer.TIMEOUTS,
                StreamServerInitializer.FRAME_DECODER), names.subList(0, 7));

        ch.writeInbound(ascii("PROXY TCP4 198.51.100.7 192.0.2.80 50000 1\r\nhi\n"));
        assertEquals("I got your message\n", outbound(ch), "--allow took the client, not the balancer");
        assertEquals(new InetSocketAddress("198.51.100.7", 50000), ConnectionAddresses.client(ch));
        names = ch.pipeline().names();
        assertEquals(List.of(StreamServerInitializer.CONNECTION_LIMITER, StreamServerInitializer.CLIENT_LIMITER,
                StreamServerInitializer.TIMEOUTS), names.subList(0, 3),
                "the header's handlers are gone, the filter too (it has decided); the limiters stay to release");
        assertFalse(ch.finish());
    }

    @Test
    void aProxyListenersClientOutsideAllowIsClosedAfterItsHeader() {
        String endpoint = "tcp://:1?proxy=any";
        PeerChannel ch = proxied(endpoint, proxyConfig(endpoint).withAllow("10.0.0.0/8"), null);
        ch.writeInbound(ascii("PROXY TCP4 203.0.113.5 192.0.2.80 50000 1\r\nhi\n"));
        assertEquals("", outbound(ch), "the balancer is inside --allow, its client is not");
        assertFalse(ch.isOpen());
        ch.finishAndReleaseAll();
    }

    @Test
    void withoutAllowAProxyListenerHasNoFilterButStillCountsItsClients() {
        String endpoint = "tcp://:1?proxy=v2";
        List<String> names = proxied(endpoint, proxyConfig(endpoint), null).pipeline().names();
        assertEquals(List.of(StreamServerInitializer.CONNECTION_LIMITER, StreamServerInitializer.PROXY_DETECTOR,
                StreamServerInitializer.PROXY_HEADER, StreamServerInitializer.CLIENT_LIMITER,
                StreamServerInitializer.TIMEOUTS), names.subList(0, 5),
                "the client is counted without a per-address limit too: a reload may set one");
    }

    @Test
    void onATlsProxyListenerTheHeaderComesBeforeTheHandshake(@TempDir Path dir) throws Exception {
        TestPki pki = TestPki.create(dir);
        TlsSettings settings = TlsSettings.of(pki.serverCert(), pki.serverKey()).withProvider(TlsProvider.JDK);
        String endpoint = "tls://:1?proxy=v2";
        ServerConfig config = proxyConfig(endpoint, settings);
        PeerChannel ch = proxied(endpoint, config, ServerTls.load(settings));
        List<String> names = ch.pipeline().names();
        assertTrue(names.indexOf(StreamServerInitializer.PROXY_HEADER) < names.indexOf(StreamServerInitializer.TLS),
                names.toString());
        ch.finishAndReleaseAll();
    }

    @Test
    void theDrainClosesAConnectionStillWaitingForItsProxyHeaderAtOnce() {
        String endpoint = "tcp://:1?proxy=v1";
        PeerChannel waiting = proxied(endpoint, proxyConfig(endpoint), null);
        waiting.writeInbound(ascii("PROXY TCP4 198.51."));
        DrainHandler.start(waiting, 2_000);
        assertFalse(waiting.isOpen(), "nothing was read as a message: no reply is owed");
        waiting.finishAndReleaseAll();
    }

    @Test
    void eachConnectionIsBuiltFromTheGatesAsTheyAreWhenItArrives() {
        ListenerContexts contexts = new ListenerContexts(ServerConfig.defaults().withTimeouts(Timeouts.none()),
                new ServerMetrics(), null, group, null, new RefusalWarnings());
        StreamServerInitializer initializer =
                new StreamServerInitializer(contexts.forEndpoint(Endpoint.parse("tcp://:1")));
        PeerChannel before = PeerChannel.from("203.0.113.1", initializer);
        assertTrue(before.isActive());
        assertEquals(null, before.pipeline().get(StreamServerInitializer.TIMEOUTS), "no timeout: nothing to watch");

        contexts.gates().allow().replace(SourceFilter.parse(List.of("10.0.0.0/8")));
        contexts.gates().timeouts().replace(Timeouts.defaults());
        assertFalse(PeerChannel.from("203.0.113.1", initializer).isOpen(), "outside the --allow now in force");
        PeerChannel after = PeerChannel.from("10.0.0.1", initializer);
        assertTrue(after.isActive());
        assertTrue(after.pipeline().get(StreamServerInitializer.TIMEOUTS) != null, "the timeouts now in force");
        assertTrue(before.isActive(), "a connection from before is kept");
        before.writeInbound(ascii("still\n"));
        assertEquals("I got your message\n", outbound(before));
        assertFalse(before.finish());
        after.finishAndReleaseAll();
    }

    @Test
    void oneInitializerBuildsEachConnectionsWholePipelineAndLeavesIt() {
        ListenerContexts contexts = new ListenerContexts(ServerConfig.defaults(), new ServerMetrics(), null, group,
                null, new RefusalWarnings());
        StreamServerInitializer initializer =
                new StreamServerInitializer(contexts.forEndpoint(Endpoint.parse("tcp://:1")));
        for (int i = 0; i < 2; i++) { // one instance serves every connection of its listener
            EmbeddedChannel ch = new EmbeddedChannel(initializer);
            assertEquals(List.of(StreamServerInitializer.CONNECTION_LIMITER, StreamServerInitializer.TIMEOUTS,
                    StreamServerInitializer.FRAME_DECODER, StreamServerInitializer.METRICS,
                    StreamServerInitializer.RESPONDER, StreamServerInitializer.BACKPRESSURE,
                    StreamServerInitializer.HALF_CLOSE, StreamServerInitializer.ERRORS),
                    new ArrayList<>(ch.pipeline().toMap().keySet()));
            assertTrue(group.contains(ch));
            ch.writeInbound(ascii("a\n"));
            assertEquals("I got your message\n", outbound(ch));
            ch.finishAndReleaseAll();
        }
    }

    @Test
    void aConnectionWhosePipelineCannotBeBuiltIsClosed() {
        ChannelGroup refusing = new DefaultChannelGroup(GlobalEventExecutor.INSTANCE) {
            @Override
            public boolean add(io.netty.channel.Channel channel) {
                throw new IllegalStateException("no room");
            }
        };
        ListenerContexts contexts = new ListenerContexts(ServerConfig.defaults(), new ServerMetrics(), null, refusing,
                null, new RefusalWarnings());
        EmbeddedChannel ch = new EmbeddedChannel(
                new StreamServerInitializer(contexts.forEndpoint(Endpoint.parse("tcp://:1"))));
        ch.runPendingTasks();
        assertFalse(ch.isOpen());
        assertTrue(ch.pipeline().toMap().isEmpty(), ch.pipeline().toMap().toString());
        ch.finishAndReleaseAll();
    }
}
