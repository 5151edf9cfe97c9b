package io.echoack.server.datagram;

import static java.nio.charset.StandardCharsets.US_ASCII;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.echoack.common.codec.ReplyMode;
import io.echoack.server.metrics.ListenerMetrics;
import io.echoack.server.metrics.ServerMetrics;
import io.netty.buffer.Unpooled;
import io.netty.channel.embedded.EmbeddedChannel;
import io.netty.channel.socket.DatagramPacket;
import io.netty.channel.unix.DomainDatagramPacket;
import io.netty.channel.unix.DomainSocketAddress;
import java.net.InetSocketAddress;
import org.junit.jupiter.api.Test;

class DatagramResponderTest {

    private static final ListenerMetrics METRICS = new ServerMetrics().listener("udp://test");

    private static final InetSocketAddress CLIENT = new InetSocketAddress("127.0.0.1", 40000);
    private static final InetSocketAddress SERVER = new InetSocketAddress("127.0.0.1", 51717);

    private static DatagramPacket packet(String text, InetSocketAddress sender) {
        return new DatagramPacket(Unpooled.copiedBuffer(text, US_ASCII), SERVER, sender);
    }

    @Test
    void acksToTheSender() {
        EmbeddedChannel ch = new EmbeddedChannel(
                new DatagramResponder(ReplyMode.ACK, "Got your message".getBytes(US_ASCII), null, METRICS));
        ch.writeInbound(packet("hello", CLIENT));
        DatagramPacket reply = ch.readOutbound();
        assertEquals(CLIENT, reply.recipient());
        assertEquals("Got your message", reply.content().toString(US_ASCII));
        reply.release();
        assertFalse(ch.finish());
    }

    @Test
    void echoesTheSameBytes() {
        EmbeddedChannel ch = new EmbeddedChannel(new DatagramResponder(ReplyMode.ECHO, new byte[0], null, METRICS));
        ch.writeInbound(packet("same\r\n", CLIENT));
        DatagramPacket reply = ch.readOutbound();
        assertEquals("same\r\n", reply.content().toString(US_ASCII));
        reply.release();
        assertFalse(ch.finish());
    }

    @Test
    void anEmptyDatagramIsCountedAsDroppedInEchoModeAndAckedInAckMode() throws java.io.IOException {
        ServerMetrics metrics = new ServerMetrics();
        EmbeddedChannel echo = new EmbeddedChannel(
                new DatagramResponder(ReplyMode.ECHO, new byte[0], null, metrics.listener("udp://echo")));
        echo.writeInbound(packet("", CLIENT));
        assertNull(echo.readOutbound(), "no empty datagram is written");
        assertFalse(echo.finish());
        java.io.ByteArrayOutputStream out = new java.io.ByteArrayOutputStream();
        metrics.writeTo(out);
        String scraped = out.toString(US_ASCII);
        assertTrue(scraped.contains("echoack_datagrams_dropped_total{endpoint=\"udp://echo\",reason=\"empty\"} 1"),
                scraped);
        assertFalse(scraped.contains("echoack_messages_sent_total{endpoint=\"udp://echo\"} 1"), scraped);

        EmbeddedChannel ack = new EmbeddedChannel(
                new DatagramResponder(ReplyMode.ACK, "ok".getBytes(US_ASCII), null, metrics.listener("udp://ack")));
        ack.writeInbound(packet("", CLIENT));
        DatagramPacket reply = ack.readOutbound();
        assertEquals("ok", reply.content().toString(US_ASCII));
        reply.release();
        assertFalse(ack.finish());
    }

    @Test
    void dropsWhatCannotBeAnsweredAndKeepsServing() {
        DatagramResponder responder = new DatagramResponder(ReplyMode.ACK, "ok".getBytes(US_ASCII), null, METRICS);
        EmbeddedChannel ch = new EmbeddedChannel(responder);
        ch.writeInbound(packet("x", new InetSocketAddress("127.0.0.1", 0)));
        assertNull(ch.readOutbound());
        assertEquals(1, responder.unanswerable());
        ch.pipeline().fireExceptionCaught(new java.io.IOException("ICMP port unreachable"));
        assertTrue(ch.isOpen(), "one bad packet never closes the listener");
        ch.writeInbound(packet("y", CLIENT));
        DatagramPacket reply = ch.readOutbound();
        reply.release();
        assertFalse(ch.finish());
    }

    @Test
    void unixDatagramsAreAnsweredToTheirPath() {
        EmbeddedChannel ch = new EmbeddedChannel(
                new DatagramResponder(ReplyMode.ACK, "Got your message".getBytes(US_ASCII), null, METRICS));
        DomainSocketAddress client = new DomainSocketAddress("/tmp/client.sock");
        ch.writeInbound(new DomainDatagramPacket(Unpooled.copiedBuffer("hi", US_ASCII),
                new DomainSocketAddress("/tmp/server.sock"), client));
        DomainDatagramPacket reply = ch.readOutbound();
        assertEquals(client, reply.recipient());
        reply.release();
        ch.writeInbound(new DomainDatagramPacket(Unpooled.copiedBuffer("hi", US_ASCII),
                new DomainSocketAddress("/tmp/server.sock"), new DomainSocketAddress("")));
        assertNull(ch.readOutbound(), "an unbound unix client has no address to answer");
        assertFalse(ch.finish());
    }
}
