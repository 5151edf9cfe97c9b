package io.echoack.server.datagram;

import static java.nio.charset.StandardCharsets.US_ASCII;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.echoack.common.codec.ReplyMode;
import io.echoack.common.endpoint.Endpoint;
import io.echoack.common.fault.Faults;
import io.echoack.server.binding.ListenerContexts;
import io.echoack.server.fault.DatagramFaultHandler;
import io.echoack.server.listener.ListenerContext;
import io.echoack.server.config.ServerConfig;
import io.echoack.server.identity.Identity;
import io.echoack.server.limits.ReflectionGuardSettings;
import io.echoack.server.limits.RefusalWarnings;
import io.echoack.server.metrics.ListenerMetrics.DropReason;
import io.echoack.server.metrics.ServerMetrics;
import io.netty.buffer.Unpooled;
import io.netty.channel.embedded.EmbeddedChannel;
import io.netty.channel.group.DefaultChannelGroup;
import io.netty.channel.socket.DatagramPacket;
import io.netty.channel.unix.DomainDatagramPacket;
import io.netty.channel.unix.DomainSocketAddress;
import io.netty.util.concurrent.GlobalEventExecutor;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetSocketAddress;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;

/** The whole pipeline of a datagram listener, as {@link DatagramServerInitializer} builds it, on an EmbeddedChannel. */
class DatagramPipelineTest {

    private static final InetSocketAddress SERVER = new InetSocketAddress("127.0.0.1", 51717);

    private final ServerMetrics metrics = new ServerMetrics();

    /** The listener's pipeline, built as the server builds it, from {@code config}. */
    private EmbeddedChannel channel(String endpoint, ServerConfig config) {
        ListenerContexts contexts = new ListenerContexts(config, metrics, null,
                new DefaultChannelGroup(GlobalEventExecutor.INSTANCE), null, new RefusalWarnings());
        return new EmbeddedChannel(new DatagramServerInitializer(contexts.forEndpoint(Endpoint.parse(endpoint))));
    }

    /** The datagrams every listener dropped, by reason, as the metrics count them. */
    private Map<String, Integer> drops() {
        Map<String, Integer> drops = new TreeMap<>();
        Matcher m = Pattern.compile("echoack_datagrams_dropped_total\\{[^}]*reason=\"([a-z_]+)\"} ([0-9.]+)")
                .matcher(scrape());
        while (m.find()) {
            int count = (int) Double.parseDouble(m.group(2));
            if (count > 0) {
                drops.merge(m.group(1), count, Integer::sum);
            }
        }
        return drops;
    }

    /** The handlers the initializer added, in pipeline order (without the EmbeddedChannel's own tail). */
    private static List<String> handlers(EmbeddedChannel ch) {
        return ch.pipeline().names().stream().filter(n -> ch.pipeline().get(n) != null).toList();
    }

    private static DatagramPacket packet(String text, String ip, int port) {
        return new DatagramPacket(Unpooled.copiedBuffer(text, US_ASCII), SERVER, new InetSocketAddress(ip, port));
    }

    private String scrape() {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        try {
            metrics.writeTo(out);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return out.toString(US_ASCII);
    }

    @Test
    void udpPipelineIsTheGuardThenTheFaultsThenTheResponder() {
        EmbeddedChannel ch = channel("udp://:1", ServerConfig.defaults());
        assertEquals(List.of(DatagramServerInitializer.GUARD, DatagramServerInitializer.FAULTS,
                DatagramServerInitializer.RESPONDER), handlers(ch));
        assertTrue(ch.pipeline().get(DatagramServerInitializer.GUARD) instanceof DatagramGuardHandler);
        assertTrue(ch.pipeline().get(DatagramServerInitializer.FAULTS) instanceof DatagramFaultHandler);
        assertTrue(ch.pipeline().get(DatagramServerInitializer.RESPONDER) instanceof DatagramResponder);
        assertFalse(ch.finish());
    }

    @Test
    void unixDatagramPipelineIsTheFaultsThenTheResponder() {
        EmbeddedChannel ch = channel("unixgram:///tmp/echoack-test.sock", ServerConfig.defaults());
        assertEquals(List.of(DatagramServerInitializer.FAULTS, DatagramServerInitializer.RESPONDER), handlers(ch));
        DomainSocketAddress client = new DomainSocketAddress("/tmp/client.sock");
        ch.writeInbound(new DomainDatagramPacket(Unpooled.copiedBuffer("hi", US_ASCII),
                new DomainSocketAddress("/tmp/echoack-test.sock"), client));
        DomainDatagramPacket reply = ch.readOutbound();
        assertEquals(client, reply.recipient());
        assertEquals(ServerConfig.DEFAULT_DATAGRAM_ACK_TEXT, reply.content().toString(US_ASCII));
        reply.release();
        assertFalse(ch.finish());
    }

    @Test
    void theGuardDropsWhatTheResponderWouldHaveAnswered() {
        EmbeddedChannel ch = channel("udp://:1?mode=echo", ServerConfig.defaults().withAllow("203.0.113.0/24"));
        ch.writeInbound(packet("outside", "198.51.100.1", 40000));
        ch.writeInbound(packet("chargen", "203.0.113.1", 19)); // the responder alone would answer port 19
        assertNull(ch.readOutbound(), "neither is answered");
        assertEquals(Map.of(DropReason.NOT_ALLOWED.label(), 1, DropReason.PRIVILEGED_PORT.label(), 1), drops());

        ch.writeInbound(packet("hello", "203.0.113.1", 40000));
        DatagramPacket reply = ch.readOutbound();
        assertEquals(new InetSocketAddress("203.0.113.1", 40000), reply.recipient());
        assertEquals("hello", reply.content().toString(US_ASCII));
        reply.release();
        assertFalse(ch.finish());

        String scraped = scrape();
        assertTrue(scraped.contains("echoack_datagrams_dropped_total{endpoint=\"udp://:1\",reason=\"not_allowed\"} 1"),
                scraped);
        assertTrue(scraped.contains(
                "echoack_datagrams_dropped_total{endpoint=\"udp://:1\",reason=\"privileged_port\"} 1"), scraped);
    }

    @Test
    void eachListenerHasAGuardOfItsOwn() {
        ServerConfig config = ServerConfig.defaults().withUdpGuard(ReflectionGuardSettings.defaults()
                .withExemptLoopback(false).withPacketRate(1, 1));
        EmbeddedChannel first = channel("udp://:1", config);
        EmbeddedChannel second = channel("udp://:2", config);
        for (EmbeddedChannel ch : List.of(first, second)) {
            ch.writeInbound(packet("x", "127.0.0.1", 40000));
            DatagramPacket reply = ch.readOutbound();
            reply.release();
        }
        assertEquals(Map.of(), drops(), "the second listener's guard has not seen the source yet");
        first.writeInbound(packet("x", "127.0.0.1", 40000));
        assertNull(first.readOutbound());
        assertEquals(Map.of(DropReason.RATE_LIMITED.label(), 1), drops());
        assertFalse(first.finish());
        assertFalse(second.finish());
    }

    @Test
    void faultsSetAfterTheChannelWasBuiltApplyToIt() {
        ListenerContexts contexts = new ListenerContexts(ServerConfig.defaults(), metrics, null,
                new DefaultChannelGroup(GlobalEventExecutor.INSTANCE), null, new RefusalWarnings());
        ListenerContext listener = contexts.forEndpoint(Endpoint.parse("udp://:1?mode=echo"));
        EmbeddedChannel ch = new EmbeddedChannel(new DatagramServerInitializer(listener));
        listener.faults().replace(Faults.parse("drop=100%"));
        ch.writeInbound(packet("lost", "127.0.0.1", 40000));
        assertNull(ch.readOutbound());
        listener.faults().replace(Faults.NONE);
        ch.writeInbound(packet("kept", "127.0.0.1", 40000));
        DatagramPacket reply = ch.readOutbound();
        assertEquals("kept", reply.content().toString(US_ASCII));
        reply.release();
        assertTrue(scrape().contains("echoack_faults_injected_total{endpoint=\"udp://:1\",fault=\"drop\"} 1.0"),
                scrape());
        assertFalse(ch.finish());
    }

    @Test
    void aDuplicateReplyIsChargedToTheSameRateBudget() {
        // a burst of 4 replies: without faults, 4 requests get 4 replies; with every reply duplicated, the
        // duplicates spend the same budget, so 4 requests still get no more than 4 datagrams in all
        ServerConfig config = ServerConfig.defaults().withUdpGuard(ReflectionGuardSettings.defaults()
                .withExemptLoopback(false).withPacketRate(1, 4));
        EmbeddedChannel ch = channel("udp://:1?mode=echo&duplicate=100%", config);
        int replies = 0;
        for (int i = 0; i < 4; i++) {
            ch.writeInbound(packet("x", "127.0.0.1", 40000));
            DatagramPacket reply;
            while ((reply = ch.readOutbound()) != null) {
                replies++;
                reply.release();
            }
        }
        assertEquals(4, replies);
        assertEquals(Map.of(DropReason.RATE_LIMITED.label(), 2), drops());
        assertTrue(scrape().contains("echoack_faults_injected_total{endpoint=\"udp://:1\",fault=\"duplicate\"} 2.0"),
                scrape());
        assertFalse(ch.finish());
    }

    @Test
    void aStreamEndpointIsRefused() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> channel("tcp://:1", ServerConfig.defaults()));
        assertTrue(e.getMessage().contains("tcp://"), e.getMessage());
    }

    @Test
    void echoModeGuardChargesTheEchoAndAckModeTheAck() {
        // A 1-byte request: its ack (16 bytes) exceeds 2x1 plus an allowance of 0; its echo (1 byte) does not.
        ServerConfig config = ServerConfig.defaults().withMode(ReplyMode.ACK).withUdpGuard(ReflectionGuardSettings
                .defaults().withExemptLoopback(false).withReplyRatio(2.0, 0, 0));
        EmbeddedChannel ack = channel("udp://:1", config);
        ack.writeInbound(packet("x", "127.0.0.1", 40000));
        assertNull(ack.readOutbound());
        EmbeddedChannel echo = channel("udp://:2?mode=echo", config);
        echo.writeInbound(packet("x", "127.0.0.1", 40000));
        DatagramPacket reply = echo.readOutbound();
        assertEquals("x", reply.content().toString(US_ASCII));
        reply.release();
        assertEquals(Map.of(DropReason.RATIO_EXCEEDED.label(), 1), drops());
        assertFalse(ack.finish());
        assertFalse(echo.finish());
    }

    @Test
    void infoAnswersEachDatagramWithOneJsonDatagramAboutItsSender() throws Exception {
        EmbeddedChannel ch = channel("udp://:1?mode=info", ServerConfig.defaults().withIdentity("host=backend-a",
                "pod=web-1"));
        ch.writeInbound(packet("x", "127.0.0.1", 40000));
        DatagramPacket reply = ch.readOutbound();
        assertEquals(new InetSocketAddress("127.0.0.1", 40000), reply.recipient());
        assertEquals("{\"host\":\"backend-a\",\"pod\":\"web-1\",\"listener\":\"udp://:1\",\"transport\":\"auto\","
                + "\"local\":\"127.0.0.1:51717\",\"peer\":\"127.0.0.1:40000\",\"client\":\"127.0.0.1:40000\","
                + "\"version\":\"" + Identity.serverVersion() + "\"}", reply.content().toString(US_ASCII));
        reply.release();
        assertNull(ch.readOutbound(), "one reply datagram per datagram");
        assertFalse(ch.finish());
    }

    @Test
    void unixDatagramInfoNamesTheSocketPaths() {
        EmbeddedChannel ch = channel("unixgram:///tmp/echoack-test.sock?mode=info&format=text",
                ServerConfig.defaults().withIdentity("host=backend-a"));
        ch.writeInbound(new DomainDatagramPacket(Unpooled.copiedBuffer("hi", US_ASCII),
                new DomainSocketAddress("/tmp/echoack-test.sock"), new DomainSocketAddress("/tmp/client.sock")));
        DomainDatagramPacket reply = ch.readOutbound();
        assertEquals("host=backend-a listener=unixgram:///tmp/echoack-test.sock transport=auto "
                + "local=/tmp/echoack-test.sock peer=/tmp/client.sock client=/tmp/client.sock version=" + Identity.serverVersion(),
                reply.content().toString(US_ASCII));
        reply.release();
        assertFalse(ch.finish());
    }

    /**
     * The guard charges an identity reply at its real size, which is only known once the reply is built: with a
     * reply/request ratio of 1 and no allowance, a request exactly as long as its reply is answered, and one a
     * byte shorter is not.
     */
    @Test
    void theGuardChargesAnIdentityReplyItsExactSize() {
        ServerConfig config = ServerConfig.defaults().withUdpGuard(ReflectionGuardSettings.defaults()
                .withExemptLoopback(false).withReplyRatio(1.0, 0, 0));
        EmbeddedChannel ch = channel("udp://:1?mode=info", config);
        ch.writeInbound(packet("probe", "198.51.100.7", 40000));
        assertNull(ch.readOutbound(), "a 5-byte probe cannot pay for an identity reply");
        assertEquals(Map.of(DropReason.RATIO_EXCEEDED.label(), 1), drops());

        EmbeddedChannel unguarded = channel("udp://:1?mode=info", ServerConfig.defaults()
                .withUdpGuard(ReflectionGuardSettings.disabled()));
        unguarded.writeInbound(packet("probe", "198.51.100.8", 40000));
        DatagramPacket sample = unguarded.readOutbound();
        int replyLength = sample.content().readableBytes();
        sample.release();
        assertFalse(unguarded.finish());

        ch.writeInbound(packet("x".repeat(replyLength - 1), "198.51.100.8", 40000));
        assertNull(ch.readOutbound(), "one byte short of the reply's size");
        ch.writeInbound(packet("x".repeat(replyLength), "198.51.100.9", 40000));
        DatagramPacket reply = ch.readOutbound();
        assertEquals(replyLength, reply.content().readableBytes(), "as long as the reply");
        reply.release();
        assertEquals(Map.of(DropReason.RATIO_EXCEEDED.label(), 2), drops());
        assertFalse(ch.finish());
    }
}
