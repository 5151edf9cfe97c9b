package io.echoack.server.datagram;

import static java.nio.charset.StandardCharsets.US_ASCII;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertSame;

import io.echoack.server.access.SourceFilter;
import io.echoack.server.limits.ReflectionGuardSettings;
import io.netty.buffer.Unpooled;
import io.netty.channel.embedded.EmbeddedChannel;
import io.netty.channel.socket.DatagramPacket;
import io.netty.channel.unix.DomainDatagramPacket;
import io.netty.channel.unix.DomainSocketAddress;
import java.net.InetSocketAddress;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.function.ToIntFunction;
import org.junit.jupiter.api.Test;

class DatagramGuardHandlerTest {

    private static final InetSocketAddress SERVER = new InetSocketAddress("127.0.0.1", 51717);
    private final List<String> drops = new ArrayList<>();

    private EmbeddedChannel channel(SourceFilter filter, ReflectionGuardSettings settings) {
        ToIntFunction<DatagramPacket> ack = request -> "Got your message".length();
        return new EmbeddedChannel(new DatagramGuardHandler(filter, new ReflectionGuard(settings), ack,
                (reason, sender) -> drops.add(reason.label())));
    }

    private static DatagramPacket packet(String text, String ip, int port) {
        return new DatagramPacket(Unpooled.copiedBuffer(text, US_ASCII), SERVER, new InetSocketAddress(ip, port));
    }

    @Test
    void passesWhatMayBeAnsweredUnchanged() {
        EmbeddedChannel ch = channel(SourceFilter.ALLOW_ALL, ReflectionGuardSettings.defaults());
        DatagramPacket in = packet("hello", "203.0.113.1", 40000);
        ch.writeInbound(in);
        DatagramPacket out = ch.readInbound();
        assertSame(in, out);
        out.release();
        assertEquals(List.of(), drops);
        assertFalse(ch.finish());
    }

    @Test
    void dropsAndReleasesWithTheReasonLabel() {
        EmbeddedChannel ch = channel(io.echoack.server.access.SourceFilter.parse(List.of("203.0.113.0/24")),
                ReflectionGuardSettings.defaults().withAllowedPrivilegedPorts(Set.of()));
        List<DatagramPacket> sent = List.of(
                packet("x", "198.51.100.1", 40000),  // outside --allow
                packet("x", "203.0.113.1", 0),       // port 0
                packet("x", "203.0.113.1", 19),      // chargen
                packet("x", "203.0.113.255", 40000)); // allowed range, ordinary host: answered
        sent.forEach(ch::writeInbound);
        assertEquals(List.of("not_allowed", "source_port_zero", "privileged_port"), drops);
        for (int i = 0; i < 3; i++) {
            assertEquals(0, sent.get(i).refCnt(), "dropped datagram " + i + " released");
        }
        DatagramPacket answered = ch.readInbound();
        assertSame(sent.get(3), answered);
        answered.release();
        assertNull(ch.readInbound());
        assertFalse(ch.finish());
    }

    @Test
    void aFloodFromOneSourceIsCutToItsBurst() {
        EmbeddedChannel ch = channel(SourceFilter.ALLOW_ALL, ReflectionGuardSettings.defaults());
        int passed = 0;
        long start = System.nanoTime();
        for (int i = 0; i < 1000; i++) {
            ch.writeInbound(packet("x", "192.0.2.9", 40000));
            DatagramPacket p = ch.readInbound();
            if (p != null) {
                passed++;
                p.release();
            }
        }
        double seconds = (System.nanoTime() - start) / 1e9;
        // the burst of 200, plus 100/s for the time the loop took (the guard runs on the real clock here)
        org.junit.jupiter.api.Assertions.assertTrue(passed >= 200 && passed <= 201 + 100 * seconds,
                passed + " in " + seconds + " s");
        assertEquals(1000 - passed, drops.size());
        org.junit.jupiter.api.Assertions.assertTrue(drops.stream().allMatch("rate_limited"::equals), drops::toString);
        assertFalse(ch.finish());
    }

    @Test
    void unixDatagramsPassUntouched() {
        EmbeddedChannel ch = channel(SourceFilter.parse(List.of("10.0.0.0/8")), ReflectionGuardSettings.defaults());
        DomainDatagramPacket unix = new DomainDatagramPacket(Unpooled.copiedBuffer("x", US_ASCII),
                new DomainSocketAddress("/tmp/server.sock"), new DomainSocketAddress("/tmp/client.sock"));
        ch.writeInbound(unix);
        DomainDatagramPacket out = ch.readInbound();
        assertSame(unix, out);
        out.release();
        assertEquals(List.of(), drops);
        assertFalse(ch.finish());
    }

    @Test
    void aNewAllowListJudgesTheNextDatagram() {
        io.echoack.server.live.LiveSetting<SourceFilter> allow =
                io.echoack.server.live.LiveSetting.of(SourceFilter.ALLOW_ALL);
        EmbeddedChannel ch = new EmbeddedChannel(new DatagramGuardHandler(allow,
                new ReflectionGuard(ReflectionGuardSettings.defaults()), request -> 16,
                (reason, sender) -> drops.add(reason.label())));
        ch.writeInbound(packet("one", "203.0.113.1", 40000));
        allow.replace(SourceFilter.parse(List.of("198.51.100.0/24")));
        ch.writeInbound(packet("two", "203.0.113.1", 40000));
        ch.writeInbound(packet("three", "198.51.100.1", 40000));
        List<String> passed = new ArrayList<>();
        DatagramPacket p;
        while ((p = ch.readInbound()) != null) {
            passed.add(p.content().toString(US_ASCII));
            p.release();
        }
        assertEquals(List.of("one", "three"), passed);
        assertEquals(List.of("not_allowed"), drops);
        assertFalse(ch.finish());
    }
}
