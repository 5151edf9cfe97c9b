package io.echoack.client.bench;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.echoack.client.net.ProxyHeader;
import io.echoack.common.codec.Framing;
import io.echoack.common.codec.ReplyMode;
import io.echoack.common.endpoint.Endpoint;
import java.time.Duration;
import java.util.Optional;
import org.junit.jupiter.api.Test;

class BenchConfigTest {

    private static BenchConfig.Builder bench(String endpoint) {
        return BenchConfig.builder(Endpoint.parse(endpoint));
    }

    @Test
    void defaults() {
        BenchConfig c = bench("tcp://127.0.0.1:7").build();
        assertEquals(1, c.connections());
        assertEquals(64, c.size());
        assertEquals(1, c.pipeline());
        assertEquals(Duration.ofSeconds(10), c.duration());
        assertEquals(0, c.count());
        assertEquals(Duration.ofSeconds(1), c.warmup());
        assertEquals(Runtime.getRuntime().availableProcessors(), c.threads());
        assertEquals(Optional.of(Framing.LINE), c.framing());
        assertEquals(ReplyMode.ACK, c.mode());
        assertEquals(Expectation.Kind.ANY, c.expect().kind());
        assertEquals(false, c.openLoop());
        assertEquals(Optional.empty(), bench("udp://127.0.0.1:7").build().framing());
    }

    @Test
    void theExpectationFollowsTheModeUnlessGiven() {
        assertEquals(Expectation.Kind.ECHO, bench("tcp://h:7?mode=echo").build().expect().kind());
        assertEquals(Expectation.Kind.ECHO, bench("tcp://h:7").mode(ReplyMode.ECHO).build().expect().kind());
        assertEquals(Expectation.ack(Endpoint.parse("tcp://h:7").kind()), bench("tcp://h:7?mode=ack").build().expect());
        assertEquals("ack \"Got your message\"", bench("udp://h:7").mode(ReplyMode.ACK).build().expect().describe());
        assertEquals(Expectation.Kind.ANY, bench("tcp://h:7").build().expect().kind());
        assertEquals("\"pong\"", bench("tcp://h:7?mode=echo").expect("pong").build().expect().describe());
        assertEquals(Expectation.Kind.ECHO, bench("tcp://h:7").expect("echo").build().expect().kind());
        assertEquals(Expectation.Kind.INFO, bench("tcp://h:7?mode=info").build().expect().kind());
        assertEquals(Expectation.Kind.INFO, bench("udp://h:7").mode(ReplyMode.INFO).build().expect().kind());
    }

    @Test
    void aLabelIsAShortNameOnOneLine() {
        assertEquals("pod-3 (eu-west)", bench("tcp://h:7").label("pod-3 (eu-west)").build().label());
        assertEquals(null, bench("tcp://h:7").build().label());
        assertMessage("label must be 1..100 characters without control characters, was ''",
                bench("tcp://h:7").label(""));
        assertMessage("label must be 1..100 characters without control characters, was 'a?b'",
                bench("tcp://h:7").label("a\nb"));
        assertMessage("label must be 1..100", bench("tcp://h:7").label("x".repeat(101)));
    }

    @Test
    void countingByAKeyNeedsInfoModeAndAKey() {
        assertEquals("host", bench("tcp://h:7?mode=info").countBy("host").build().countBy());
        assertMessage("countBy counts identity replies: it needs info mode (mode info, or ?mode=info on the "
                + "endpoint)", bench("tcp://h:7").countBy("host"));
        assertMessage("countBy 'a b' is not a key of identity replies", bench("tcp://h:7?mode=info").countBy("a b"));
        assertEquals(Framing.LINE, bench("tcp://h:7?mode=info&framing=raw").build().replyFraming(),
                "raw identity replies are lines");
        assertEquals(Framing.LENGTH, bench("tcp://h:7?mode=info&framing=length").build().replyFraming());
    }

    @Test
    void rawFramingKnowsWhereARepliesEnds() {
        assertEquals(100, bench("tcp://h:7?mode=echo&framing=raw").size(100).build().rawReplyLength());
        assertEquals(18, bench("tcp://h:7?framing=raw").build().rawReplyLength()); // "I got your message"
        assertEquals(4, bench("tcp://h:7?framing=raw").expect("pong").build().rawReplyLength());
        assertEquals(Framing.LENGTH, bench("tcp://h:7").framing(Framing.LENGTH).build().framing().orElseThrow());
        assertEquals(Framing.RAW, bench("tcp://h:7?framing=raw").framing(Framing.LENGTH).build().framing().orElseThrow());
    }

    @Test
    void badCombinationsNameTheField() {
        assertMessage("give either duration or count", bench("tcp://h:7").count(5).duration(Duration.ofSeconds(1)));
        assertMessage("count must be >= 1", bench("tcp://h:7").count(0));
        assertMessage("connections must be 1..", bench("tcp://h:7").connections(0));
        assertMessage("pipeline must be 1..", bench("tcp://h:7").pipeline(0));
        assertMessage("size must be >= 1", bench("tcp://h:7").size(0));
        assertMessage("size 70000 exceeds maxFrameLength 65536", bench("tcp://h:7").size(70_000));
        assertMessage("does not fit in one datagram", bench("udp://h:7").size(65_508).maxFrameLength(100_000));
        assertMessage("each one carries its sequence number", bench("udp://h:7?mode=echo").size(7));
        assertMessage("connectPerMessage needs a stream endpoint", bench("udp://h:7").connectPerMessage(true));
        assertMessage("pipeline must be 1", bench("tcp://h:7").connectPerMessage(true).pipeline(2));
        assertMessage("rate must be > 0", bench("tcp://h:7").rate(Double.NaN));
        assertMessage("threads must be 1..1024", bench("tcp://h:7").threads(0));
        assertMessage("warmup must be >= 0", bench("tcp://h:7").warmup(Duration.ofSeconds(-1)));
        assertMessage("expect TEXT must not be empty", bench("tcp://h:7").expect(""));
        assertMessage("cannot contain a line break", bench("tcp://h:7").expect("two\nlines"));
        assertMessage("proxyHeader works on stream endpoints only", bench("udp://h:7")
                .proxyHeader(ProxyHeader.of(ProxyHeader.Version.V2)));
        assertMessage("proxyHeader v1 on unix:///tmp/x.sock needs both source and destination",
                bench("unix:///tmp/x.sock").proxyHeader(ProxyHeader.of(ProxyHeader.Version.V1)));
        // a 7-byte datagram is fine when nothing is echoed
        assertEquals(7, bench("udp://h:7?mode=ack").size(7).build().size());
    }

    @Test
    void churnAndConnectRateNeedStreamsAndReuseExcludesAConnectionPerMessage() {
        assertEquals(new Reuse(3, 5), bench("tcp://h:7").reuse(new Reuse(3, 5)).build().reuse());
        assertEquals(12.5, bench("unix:///tmp/x.sock").connectRate(12.5).build().connectRate());
        assertEquals(0, bench("tcp://h:7").build().connectRate(), "no cap by default");
        assertEquals(null, bench("tcp://h:7").build().reuse(), "no churn by default");
        assertMessage("reuse needs a stream endpoint (tcp://, tls:// or unix://): udp://h:7 has no connection to "
                + "reuse", bench("udp://h:7").reuse(new Reuse(1, 2)));
        assertMessage("reuse needs a stream endpoint (tcp://, tls:// or unix://): unixgram:///tmp/x.gram has no",
                bench("unixgram:///tmp/x.gram").reuse(new Reuse(1, 2)));
        assertMessage("reuse and connectPerMessage exclude each other (connectPerMessage is reuse 1:1)",
                bench("tcp://h:7").reuse(new Reuse(1, 2)).connectPerMessage(true));
        assertMessage("connectRate needs a stream endpoint (tcp://, tls:// or unix://): udp://h:7 opens no "
                + "connections", bench("udp://h:7").connectRate(5));
        assertMessage("connectRate must be > 0 and at most 1e9 connections/s", bench("tcp://h:7").connectRate(-1));
        assertMessage("connectRate must be > 0", bench("tcp://h:7").connectRate(Double.POSITIVE_INFINITY));
    }

    private static void assertMessage(String expected, BenchConfig.Builder builder) {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, builder::build);
        assertTrue(e.getMessage().contains(expected), e.getMessage());
        assertFalse(e.getMessage().contains("--"), "a library message names fields, not flags: " + e.getMessage());
    }
}
