package io.echoack.server.config;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.echoack.common.codec.Framing;
import io.echoack.common.codec.ReplyMode;
import io.echoack.common.endpoint.Endpoint;
import java.nio.charset.StandardCharsets;
import java.util.List;
import org.junit.jupiter.api.Test;

class ServerConfigTest {

    @Test
    void defaultsAreTheTutorials() {
        ServerConfig c = ServerConfig.defaults();
        assertEquals(List.of("tcp://0.0.0.0:51717", "udp://0.0.0.0:51717", "unix:///tmp/echoack.sock"),
                c.listen().stream().map(Endpoint::toString).toList());
        assertEquals(ReplyMode.ACK, c.mode());
        assertEquals("I got your message", c.ackText());
        assertEquals("Got your message", c.datagramAckText());
        assertEquals(65536, c.maxFrameLength());
        assertTrue(c.effectiveThreads() >= 1);
    }

    @Test
    void listenerSpecAppliesEndpointOverridesOverDefaults() {
        ServerConfig c = ServerConfig.defaults().withMode(ReplyMode.ECHO);
        ListenerSpec echoRaw = ListenerSpec.of(Endpoint.parse("tcp://:1"), c);
        assertEquals(ReplyMode.ECHO, echoRaw.mode());
        assertEquals(Framing.RAW, echoRaw.framing());
        ListenerSpec ackLine = ListenerSpec.of(Endpoint.parse("tcp://:1?mode=ack"), c);
        assertEquals(Framing.LINE, ackLine.framing());
        assertArrayEquals("I got your message\n".getBytes(StandardCharsets.US_ASCII), ackLine.ackFrame());
        ListenerSpec udp = ListenerSpec.of(Endpoint.parse("udp://:1?mode=ack"), c);
        assertArrayEquals("Got your message".getBytes(StandardCharsets.US_ASCII), udp.ackFrame());
        ListenerSpec length = ListenerSpec.of(Endpoint.parse("unix:///x?framing=length"),
                ServerConfig.defaults().withFraming(Framing.LINE));
        assertEquals(Framing.LENGTH, length.framing());
    }

    @Test
    void rejectsBadValuesNamingTheField() {
        ServerConfig d = ServerConfig.defaults();
        assertMessage("maxFrameLength must be", () -> d.withMaxFrameLength(0));
        assertMessage("maxFrameLength must be", () -> d.withMaxFrameLength(ServerConfig.MAX_MAX_FRAME_LENGTH + 1));
        assertMessage("threads must be", () -> d.withThreads(-1));
        assertMessage("listen must name at least one endpoint", () -> d.withListen(List.of()));
        assertMessage("listen names the same endpoint twice", () -> d.withListen("tcp://:1", "tcp://:1?mode=echo"));
        assertMessage("ackText must not contain a line break", () -> d.withAckTexts("a\nb", "x"));
    }

    private static void assertMessage(String expected, Runnable r) {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, r::run);
        assertTrue(e.getMessage().contains(expected), e.getMessage());
    }
}
