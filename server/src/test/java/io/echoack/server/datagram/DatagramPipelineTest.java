package io.echoack.server.datagram;

import static java.nio.charset.StandardCharsets.US_ASCII;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.echoack.common.codec.ReplyMode;
import io.echoack.common.endpoint.Endpoint;
import io.echoack.server.config.ServerConfig;
import io.echoack.server.listener.ListenerSpec;
import io.echoack.server.metrics.ListenerMetrics;
import io.echoack.server.metrics.ListenerMetrics.DropReason;
import io.echoack.server.metrics.ServerMetrics;
import io.netty.buffer.Unpooled;
import io.netty.channel.embedded.EmbeddedChannel;
import io.netty.channel.socket.DatagramPacket;
import io.netty.channel.unix.DomainDatagramPacket;
import io.netty.channel.unix.DomainSocketAddress;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetSocketAddress;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The whole pipeline of a datagram listener, as {@link DatagramServerInitializer} builds it, on an EmbeddedChannel. */
class DatagramPipelineTest {

    private static final InetSocketAddress SERVER = new InetSocketAddress("127.0.0.1", 51717);

    private final ServerMetrics metrics = new ServerMetrics();
    private final List<DropReason> drops = new ArrayList<>();

    private EmbeddedChannel channel(String endpoint, ServerConfig config, DatagramDropListener listener) {
        ListenerSpec spec = config.listenerSpec(Endpoint.parse(endpoint));
        ListenerMetrics listenerMetrics = metrics.listener(endpoint);
        return new EmbeddedChannel(new DatagramServerInitializer(spec, listenerMetrics, null, config.allow(),
                config.udpGuard(), listener));
    }

    private EmbeddedChannel channel(String endpoint, ServerConfig config) {
        return channel(endpoint, config, (reason, sender) -> drops.add(reason));
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
    void udpPipelineIsTheGuardThenTheResponder() {
        EmbeddedChannel ch = channel("udp://:1", ServerConfig.defaults());
        assertEquals(List.of(DatagramServerInitializer.GUARD, DatagramServerInitializer.RESPONDER), handlers(ch));
        assertTrue(ch.pipeline().get(DatagramServerInitializer.GUARD) instanceof DatagramGuardHandler);
        assertTrue(ch.pipeline().get(DatagramServerInitializer.RESPONDER) instanceof DatagramResponder);
        assertFalse(ch.finish());
    }

    @Test
    void unixDatagramPipelineIsTheResponderAlone() {
        EmbeddedChannel ch = channel("unixgram:///tmp/echoack-test.sock", ServerConfig.defaults());
        assertEquals(List.of(DatagramServerInitializer.RESPONDER), handlers(ch));
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
        assertEquals(List.of(DropReason.NOT_ALLOWED, DropReason.PRIVILEGED_PORT), drops);

        ch.writeInbound(packet("hello", "203.0.113.1", 40000));
        DatagramPacket reply = ch.readOutbound();
        assertEquals(new InetSocketAddress("203.0.113.1", 40000), reply.recipient());
        assertEquals("hello", reply.content().toString(US_ASCII));
        reply.release();
        assertFalse(ch.finish());

        String scraped = scrape();
        assertTrue(scraped.contains("echoack_datagrams_dropped_total{endpoint=\"udp://:1?mode=echo\",reason=\"not_allowed\"} 1"),
                scraped);
        assertTrue(scraped.contains(
                "echoack_datagrams_dropped_total{endpoint=\"udp://:1?mode=echo\",reason=\"privileged_port\"} 1"), scraped);
    }

    @Test
    void aDropIsCountedInTheMetricsBeforeTheDropListenerHearsOfIt() {
        List<String> seen = new ArrayList<>();
        EmbeddedChannel ch = channel("udp://:1", ServerConfig.defaults(), (reason, sender) -> seen.add(scrape()));
        ch.writeInbound(packet("x", "203.0.113.1", 0));
        assertEquals(1, seen.size());
        assertTrue(seen.get(0).contains("reason=\"source_port_zero\"} 1"), seen.get(0));
        assertFalse(ch.finish());
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
        assertEquals(List.of(), drops, "the second listener's guard has not seen the source yet");
        first.writeInbound(packet("x", "127.0.0.1", 40000));
        assertNull(first.readOutbound());
        assertEquals(List.of(DropReason.RATE_LIMITED), drops);
        assertFalse(first.finish());
        assertFalse(second.finish());
    }

    @Test
    void aStreamEndpointIsRefused() {
        ListenerSpec spec = ServerConfig.defaults().listenerSpec(Endpoint.parse("tcp://:1"));
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> new DatagramServerInitializer(spec, metrics.listener("tcp://:1"), null,
                        ServerConfig.defaults().allow(), ServerConfig.defaults().udpGuard(), DatagramDropListener.NONE));
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
        assertEquals(List.of(DropReason.RATIO_EXCEEDED), drops);
        assertFalse(ack.finish());
        assertFalse(echo.finish());
    }
}
