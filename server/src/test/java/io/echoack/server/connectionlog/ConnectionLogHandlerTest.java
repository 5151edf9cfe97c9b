package io.echoack.server.connectionlog;

import static java.nio.charset.StandardCharsets.US_ASCII;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.echoack.common.codec.Framing;
import io.echoack.common.endpoint.Endpoint;
import io.echoack.server.binding.ListenerContexts;
import io.echoack.server.config.ServerConfig;
import io.echoack.server.limits.ConnectionLimits;
import io.echoack.server.identity.Identity;
import io.echoack.server.limits.RefusalWarnings;
import io.echoack.server.limits.Timeouts;
import io.echoack.server.metrics.ServerMetrics;
import io.echoack.server.output.LineQueue;
import io.echoack.server.proxy.ConnectionAddresses;
import io.echoack.server.proxy.ProxiedConnection;
import io.echoack.server.proxy.header.ProxySettings;
import io.echoack.server.proxy.header.TrustedProxies;
import io.echoack.server.stream.DrainHandler;
import io.echoack.server.stream.StreamServerInitializer;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import io.netty.channel.ChannelHandler;
import io.netty.channel.embedded.EmbeddedChannel;
import io.netty.channel.group.ChannelGroup;
import io.netty.channel.group.DefaultChannelGroup;
import io.netty.channel.socket.ChannelInputShutdownEvent;
import io.netty.channel.unix.DomainSocketAddress;
import io.netty.channel.socket.ChannelInputShutdownReadComplete;
import io.netty.handler.codec.DecoderException;
import io.netty.util.concurrent.GlobalEventExecutor;
import io.netty.util.concurrent.MockTicker;
import io.netty.util.concurrent.Ticker;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.net.InetSocketAddress;
import java.net.SocketAddress;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.util.List;
import java.util.concurrent.TimeUnit;
import javax.net.ssl.SSLException;
import org.junit.jupiter.api.Test;

/**
 * The connection log handler in the pipeline the server builds, on EmbeddedChannels whose clocks (the event
 * loop's ticker and the wall clock) move only when the test says: what it counts, and each way a connection ends.
 */
class ConnectionLogHandlerTest {

    private static final Instant START = Instant.parse("2026-11-27T10:40:09.120Z");
    private static final InetSocketAddress LOCAL = new InetSocketAddress("127.0.0.1", 7);
    private static final InetSocketAddress PEER = new InetSocketAddress("192.0.2.10", 40000);

    private final ChannelGroup group = new DefaultChannelGroup(GlobalEventExecutor.INSTANCE);
    private final TestClock clock = new TestClock(START);
    private final MockTicker ticker = Ticker.newMockTicker();
    private final ByteArrayOutputStream stdout = new ByteArrayOutputStream();
    private final LineQueue queue = new LineQueue(new PrintStream(stdout, true, StandardCharsets.UTF_8));
    private ListenerContexts contexts;

    /** A wall clock that stands still until moved. */
    static final class TestClock extends Clock {
        private Instant now;

        TestClock(Instant now) {
            this.now = now;
        }

        void advance(Duration d) {
            now = now.plus(d);
        }

        @Override
        public ZoneId getZone() {
            return ZoneOffset.UTC;
        }

        @Override
        public Clock withZone(ZoneId zone) {
            throw new UnsupportedOperationException();
        }

        @Override
        public Instant instant() {
            return now;
        }
    }

    /** An accepted connection from {@code peer} to {@link #LOCAL}, on an event loop whose time is {@code ticker}. */
    static final class Connection extends EmbeddedChannel {
        private final SocketAddress peer;
        private final SocketAddress local;

        Connection(SocketAddress peer, SocketAddress local, Ticker ticker, ChannelHandler initializer) {
            super(EmbeddedChannel.builder().register(false).ticker(ticker).handlers(initializer));
            this.peer = peer;
            this.local = local;
            try {
                register();
            } catch (Exception e) {
                throw new IllegalStateException(e);
            }
        }

        @Override
        protected SocketAddress remoteAddress0() {
            return peer;
        }

        @Override
        protected SocketAddress localAddress0() {
            return local;
        }
    }

    private Connection connect(String endpoint, ServerConfig config, SocketAddress peer) {
        return connect(endpoint, config, peer, LOCAL);
    }

    private Connection connect(String endpoint, ServerConfig config, SocketAddress peer, SocketAddress local) {
        if (contexts == null) {
            ConnectionLog log = new ConnectionLog(ConnectionLogFormat.TEXT, queue, clock);
            contexts = new ListenerContexts(config, new ServerMetrics(), null, group, null, log,
                    new RefusalWarnings(), Identity.resolve(config.identity(), config.transport()));
        }
        return new Connection(peer, local, ticker,
                new StreamServerInitializer(contexts.forEndpoint(Endpoint.parse(endpoint))));
    }

    private Connection connect(String endpoint, ServerConfig config) {
        return connect(endpoint, config, PEER);
    }

    private Connection connect() {
        return connect("tcp://127.0.0.1:7", ServerConfig.defaults());
    }

    /** Lets {@code millis} pass on both clocks, in steps of 10 ms, running what became due. */
    private void advance(EmbeddedChannel ch, long millis) {
        for (long left = millis; left > 0; left -= 10) {
            long step = Math.min(10, left);
            ticker.advance(step, TimeUnit.MILLISECONDS);
            clock.advance(Duration.ofMillis(step));
            ch.runScheduledPendingTasks();
            ch.runPendingTasks();
        }
    }

    private static void send(EmbeddedChannel ch, String text) {
        ch.writeInbound(Unpooled.copiedBuffer(text, US_ASCII));
    }

    /** What the client reads: the replies so far, released. */
    private static String replies(EmbeddedChannel ch) {
        StringBuilder sb = new StringBuilder();
        for (ByteBuf buf; (buf = ch.readOutbound()) != null; ) {
            sb.append(buf.toString(US_ASCII));
            buf.release();
        }
        return sb.toString();
    }

    /** The client shuts down its sending side (FIN), as the channel reports it. */
    private static void fin(EmbeddedChannel ch) {
        ch.pipeline().fireUserEventTriggered(ChannelInputShutdownEvent.INSTANCE);
        ch.pipeline().fireChannelReadComplete();
        ch.pipeline().fireUserEventTriggered(ChannelInputShutdownReadComplete.INSTANCE);
        ch.runPendingTasks();
    }

    /** Every line written so far (the output is closed: call once, at the end). */
    private List<String> lines() {
        queue.close();
        return stdout.toString(StandardCharsets.UTF_8).lines().toList();
    }

    private String onlyLine() {
        List<String> lines = lines();
        assertEquals(1, lines.size(), lines::toString);
        return lines.get(0);
    }

    private static String end(String line) {
        return line.substring(line.lastIndexOf(" end=") + 5);
    }

    @Test
    void countsMessagesAndBytesEachWayAndLogsTheClientsFinWhenTheConnectionCloses() {
        Connection ch = connect();
        send(ch, "hello\nworld\n");
        assertEquals("I got your message\n".repeat(2), replies(ch));
        advance(ch, 1_500);
        send(ch, "bye\n");
        replies(ch);
        advance(ch, 3);
        fin(ch);
        assertFalse(ch.isOpen());
        assertEquals("Connection closed: listener=tcp://127.0.0.1:7 local=127.0.0.1:7 peer=192.0.2.10:40000 "
                + "client=192.0.2.10:40000 opened=2026-11-27T10:40:09.120Z closed=2026-11-27T10:40:10.623Z "
                + "duration_ms=1503.000 messages_received=3 bytes_received=16 messages_sent=3 bytes_sent=57 "
                + "end=client_fin", onlyLine());
        ch.finishAndReleaseAll();
    }

    @Test
    void writesNothingWhileTheConnectionIsOpen() {
        Connection ch = connect();
        send(ch, "hello\n");
        replies(ch);
        advance(ch, 1_000);
        assertTrue(ch.isOpen());
        assertEquals(List.of(), lines());
        ch.finishAndReleaseAll();
    }

    @Test
    void aResetIsClientReset() {
        Connection ch = connect();
        send(ch, "hello\n");
        replies(ch);
        ch.pipeline().fireExceptionCaught(new IOException("recvAddress(..) failed: Connection reset by peer"));
        assertFalse(ch.isOpen());
        String line = onlyLine();
        assertEquals("client_reset", end(line));
        assertTrue(line.contains(" messages_received=1 bytes_received=6 messages_sent=1 bytes_sent=19 "), line);
        ch.finishAndReleaseAll();
    }

    @Test
    void aCloseTheTransportMadeByItselfIsClientReset() {
        // As when a write fails with "Broken pipe": the channel closes without an event down the pipeline.
        Connection ch = connect();
        ch.unsafe().close(ch.voidPromise());
        assertEquals("client_reset", end(onlyLine()));
        ch.finishAndReleaseAll();
    }

    @Test
    void onAUnixSocketACloseTheTransportMadeByItselfIsTheClientsEnd() {
        // NIO's and io_uring's Unix channels close at the client's end of input, without an event.
        Connection ch = connect("unix:///run/e.sock", ServerConfig.defaults().withListen("unix:///run/e.sock"),
                new DomainSocketAddress(""), new DomainSocketAddress("/run/e.sock"));
        send(ch, "hello\n");
        replies(ch);
        ch.unsafe().close(ch.voidPromise());
        assertEquals("Connection closed: listener=unix:///run/e.sock local=/run/e.sock "
                + "opened=2026-11-27T10:40:09.120Z closed=2026-11-27T10:40:09.120Z duration_ms=0.000 "
                + "messages_received=1 bytes_received=6 messages_sent=1 bytes_sent=19 end=client_fin", onlyLine());
        ch.finishAndReleaseAll();
    }

    @Test
    void theFirstEndWinsOverWhatFollowsIt() {
        Connection ch = connect();
        ch.pipeline().fireUserEventTriggered(ChannelInputShutdownEvent.INSTANCE); // FIN, replies still going out
        assertTrue(ch.isOpen());
        ch.pipeline().fireExceptionCaught(new IOException("Connection reset by peer"));
        assertFalse(ch.isOpen());
        assertEquals("client_fin", end(onlyLine()));
        ch.finishAndReleaseAll();
    }

    @Test
    void anIdleTimeoutIsLoggedAsSuch() {
        Connection ch = connect("tcp://127.0.0.1:7", ServerConfig.defaults()
                .withTimeouts(new Timeouts(Duration.ofSeconds(1), Timeouts.DISABLED)));
        send(ch, "hello\n");
        replies(ch);
        advance(ch, 1_200);
        assertFalse(ch.isOpen());
        String line = onlyLine();
        assertEquals("idle_timeout", end(line));
        assertTrue(line.contains(" messages_received=1 "), line);
        ch.finishAndReleaseAll();
    }

    @Test
    void aFrameTimeoutIsLoggedAsSuch() {
        Connection ch = connect("tcp://127.0.0.1:7", ServerConfig.defaults()
                .withTimeouts(new Timeouts(Timeouts.DISABLED, Duration.ofSeconds(1))));
        send(ch, "never ends");
        advance(ch, 1_200);
        assertFalse(ch.isOpen());
        assertEquals("frame_timeout", end(onlyLine()));
        ch.finishAndReleaseAll();
    }

    @Test
    void aConnectionOverALimitIsLoggedWithTheLimit() {
        ServerConfig config = ServerConfig.defaults().withLimits(new ConnectionLimits(0, 1));
        Connection first = connect("tcp://127.0.0.1:7", config);
        Connection second = connect("tcp://127.0.0.1:7", config);
        assertTrue(first.isOpen());
        assertFalse(second.isOpen());
        assertEquals("Connection closed: listener=tcp://127.0.0.1:7 local=127.0.0.1:7 peer=192.0.2.10:40000 "
                + "client=192.0.2.10:40000 opened=2026-11-27T10:40:09.120Z closed=2026-11-27T10:40:09.120Z "
                + "duration_ms=0.000 messages_received=0 bytes_received=0 messages_sent=0 bytes_sent=0 "
                + "end=max_connections_per_ip", onlyLine());
        first.finishAndReleaseAll();
        second.finishAndReleaseAll();
    }

    @Test
    void aClientOutsideAllowIsLoggedAsNotAllowed() {
        Connection ch = connect("tcp://127.0.0.1:7", ServerConfig.defaults().withAllow("10.0.0.0/8"));
        assertFalse(ch.isOpen());
        assertEquals("not_allowed", end(onlyLine()));
        ch.finishAndReleaseAll();
    }

    @Test
    void aConnectionEndedByTheShutdownIsLoggedAsDrain() {
        Connection ch = connect();
        send(ch, "hello\n");
        DrainHandler.start(ch, 2_000);
        ch.runPendingTasks();
        assertEquals("I got your message\n", replies(ch));
        assertFalse(ch.isOpen(), "no DuplexChannel: closed once the replies are flushed");
        assertEquals("drain", end(onlyLine()));
        ch.finishAndReleaseAll();
    }

    @Test
    void anOversizedLengthFrameIsFrameTooLong() {
        Connection ch = connect("tcp://127.0.0.1:7?mode=echo&framing=length",
                ServerConfig.defaults().withMaxFrameLength(8));
        ch.writeInbound(Unpooled.buffer().writeBytes(Framing.LENGTH.frame("ok")).writeInt(9).writeBytes(new byte[9]));
        assertEquals(6, replies(ch).length());
        ch.runPendingTasks();
        assertFalse(ch.isOpen());
        String line = onlyLine();
        assertEquals("frame_too_long", end(line));
        assertTrue(line.contains(" messages_received=1 bytes_received=6 messages_sent=1 bytes_sent=6 "), line);
        ch.finishAndReleaseAll();
    }

    @Test
    void anOversizedLineIsAnsweredAndTheConnectionGoesOn() {
        Connection ch = connect("tcp://127.0.0.1:7", ServerConfig.defaults().withMaxFrameLength(8));
        send(ch, "123456789\nok\n");
        assertEquals("ERROR: message longer than 8 bytes\nI got your message\n", replies(ch));
        fin(ch);
        String line = onlyLine();
        assertEquals("client_fin", end(line));
        assertTrue(line.contains(" messages_received=1 bytes_received=3 messages_sent=2 "), line);
        ch.finishAndReleaseAll();
    }

    @Test
    void aTlsErrorAfterTheHandshakeIsTlsError() {
        Connection ch = connect();
        ch.pipeline().fireExceptionCaught(new DecoderException(new SSLException("bad record MAC")));
        assertEquals("tls_error", end(onlyLine()));
        ch.finishAndReleaseAll();
    }

    @Test
    void anUnexpectedErrorIsServerError() {
        Connection ch = connect();
        ch.pipeline().fireExceptionCaught(new IllegalStateException("a bug, on purpose"));
        assertFalse(ch.isOpen());
        assertEquals("server_error", end(onlyLine()));
        ch.finishAndReleaseAll();
    }

    @Test
    void aCloseTheServerAskedForWithoutAReasonIsServerError() {
        Connection ch = connect();
        ch.close();
        assertEquals("server_error", end(onlyLine()));
        ch.finishAndReleaseAll();
    }

    private static final String PROXY_V1 = "tcp://127.0.0.1:7?proxy=v1";

    /** The server's config with {@link #PROXY_V1} and its trusted proxies: 192.0.2.0/24, where {@link #PEER} is. */
    private static ServerConfig proxied() {
        return ServerConfig.defaults().toBuilder().listen(List.of(Endpoint.parse(PROXY_V1)))
                .proxy(ProxySettings.defaults().withTrustedProxies(TrustedProxies.parse(List.of("192.0.2.0/24"))))
                .build();
    }

    @Test
    void behindABalancerTheClientIsTheHeadersSource() {
        Connection ch = connect(PROXY_V1, proxied());
        send(ch, "PROXY TCP4 203.0.113.7 192.0.2.80 5000 7\r\nhello\n");
        assertEquals("I got your message\n", replies(ch));
        fin(ch);
        String line = onlyLine();
        assertTrue(line.contains(" peer=192.0.2.10:40000 client=203.0.113.7:5000 proxy=v1 opened="), line);
        assertTrue(line.contains(" messages_received=1 bytes_received=6 messages_sent=1 "), line);
        assertEquals("client_fin", end(line));
        ch.finishAndReleaseAll();
    }

    @Test
    void aPeerThatIsNoTrustedProxyIsProxyUntrusted() {
        Connection ch = connect(PROXY_V1, proxied(), new InetSocketAddress("198.51.100.1", 1));
        assertFalse(ch.isOpen(), "refused as it connects: a header from it would not be believed");
        String line = onlyLine();
        assertTrue(line.contains(" peer=198.51.100.1:1 client=198.51.100.1:1 opened="), line);
        assertEquals("proxy_untrusted", end(line));
        ch.finishAndReleaseAll();
    }

    @Test
    void aMalformedHeaderIsProxyInvalid() {
        // Netty's decoder closes the connection before it says why: the line still has the reason.
        Connection ch = connect(PROXY_V1, proxied());
        send(ch, "PROXY TCP4 203.0.113.777 192.0.2.80 5000 7\r\n");
        assertFalse(ch.isOpen());
        assertEquals("proxy_invalid", end(onlyLine()));
        ch.finishAndReleaseAll();
    }

    @Test
    void aConnectionWithoutAHeaderWhereOneIsRequiredIsProxyMissing() {
        Connection ch = connect(PROXY_V1, proxied());
        send(ch, "hello, no header here\n");
        assertFalse(ch.isOpen());
        assertEquals("proxy_missing", end(onlyLine()));
        ch.finishAndReleaseAll();
    }

    @Test
    void theClientIsThePROXYHeadersSourceReadWhenTheConnectionCloses() {
        Connection ch = connect();
        ch.attr(ConnectionAddresses.PROXIED).set(new ProxiedConnection(2, false,
                new InetSocketAddress("203.0.113.7", 5000), new InetSocketAddress("198.51.100.1", 443), List.of()));
        fin(ch);
        String line = onlyLine();
        assertTrue(line.contains(" peer=192.0.2.10:40000 client=203.0.113.7:5000 proxy=v2 opened="), line);
        ch.finishAndReleaseAll();
    }

    @Test
    void aLocalPROXYHeaderLeavesThePeerAsTheClient() {
        Connection ch = connect();
        ch.attr(ConnectionAddresses.PROXIED).set(new ProxiedConnection(2, true, null, null, List.of()));
        fin(ch);
        String line = onlyLine();
        assertTrue(line.contains(" peer=192.0.2.10:40000 client=192.0.2.10:40000 proxy=local opened="), line);
        ch.finishAndReleaseAll();
    }

    @Test
    void everyConnectionGetsItsOwnLine() {
        Connection a = connect();
        Connection b = connect("tcp://127.0.0.1:7", ServerConfig.defaults(), new InetSocketAddress("192.0.2.11", 1));
        send(b, "x\n");
        replies(b);
        fin(a);
        fin(b);
        List<String> lines = lines();
        assertEquals(2, lines.size(), lines::toString);
        assertTrue(lines.get(0).contains(" peer=192.0.2.10:40000 ") && lines.get(0).contains(" messages_received=0 "),
                lines::toString);
        assertTrue(lines.get(1).contains(" peer=192.0.2.11:1 ") && lines.get(1).contains(" messages_received=1 "),
                lines::toString);
        a.finishAndReleaseAll();
        b.finishAndReleaseAll();
    }
}
