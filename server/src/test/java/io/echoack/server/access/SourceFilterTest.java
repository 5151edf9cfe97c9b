package io.echoack.server.access;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.echoack.server.limits.CloseCounter;
import io.echoack.server.limits.CloseReason;
import io.echoack.server.limits.ConnectionCounter;
import io.echoack.server.limits.ConnectionLimiter;
import io.echoack.server.limits.ConnectionLimits;
import io.echoack.server.testing.EventRecorder;
import io.echoack.server.testing.PeerChannel;
import io.echoack.server.testing.ProxiedAs;
import io.netty.buffer.Unpooled;
import io.netty.channel.embedded.EmbeddedChannel;
import io.netty.channel.unix.DomainSocketAddress;
import java.net.Inet6Address;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.util.List;
import org.junit.jupiter.api.Test;

class SourceFilterTest {

    private static InetAddress ip(String literal) throws Exception {
        return InetAddress.getByName(literal);
    }

    private static InetAddress mapped(String ipv4) throws Exception {
        byte[] b = new byte[16];
        b[10] = (byte) 0xff;
        b[11] = (byte) 0xff;
        System.arraycopy(ip(ipv4).getAddress(), 0, b, 12, 4);
        return Inet6Address.getByAddress(null, b, -1);
    }

    @Test
    void anEmptyListAllowsEveryone() throws Exception {
        assertTrue(SourceFilter.ALLOW_ALL.allowsAll());
        assertTrue(SourceFilter.ALLOW_ALL.allows(ip("203.0.113.9")));
        assertTrue(SourceFilter.ALLOW_ALL.allows(ip("2001:db8::9")));
        assertTrue(SourceFilter.parse(List.of()).allows(new InetSocketAddress("198.51.100.1", 1)));
    }

    @Test
    void aSourceMustLieInOneOfTheRanges() throws Exception {
        SourceFilter filter = SourceFilter.parse(List.of("10.0.0.0/8", "192.168.1.5", "2001:db8::/32", "::1"));
        assertFalse(filter.allowsAll());
        assertTrue(filter.allows(ip("10.200.0.1")));
        assertTrue(filter.allows(ip("192.168.1.5")));
        assertFalse(filter.allows(ip("192.168.1.6")));
        assertTrue(filter.allows(ip("2001:db8::42")));
        assertTrue(filter.allows(ip("::1")));
        assertFalse(filter.allows(ip("::2")));
        assertFalse(filter.allows(ip("127.0.0.1")), "loopback is not special: list it to allow it");
        assertTrue(filter.allows(mapped("10.1.1.1")), "a dual-stack socket's view of an IPv4 client");
        assertFalse(filter.allows(mapped("11.1.1.1")));
    }

    @Test
    void socketAddressesWithoutAnIpAreAllowed() {
        SourceFilter filter = SourceFilter.parse(List.of("10.0.0.0/8"));
        assertTrue(filter.allows(new DomainSocketAddress("/tmp/x.sock")), "Unix peers: file permissions decide");
        assertFalse(filter.allows(new InetSocketAddress("198.51.100.1", 7)));
        assertFalse(filter.allows(InetSocketAddress.createUnresolved("example.com", 7)));
    }

    @Test
    void duplicatesAreDroppedAndOrderKept() {
        SourceFilter filter = SourceFilter.parse(List.of("10.0.0.0/8", "::1", "::ffff:10.0.0.0/104"));
        assertEquals(List.of(Cidr.parse("10.0.0.0/8"), Cidr.parse("::1")), filter.ranges());
    }

    @Test
    void aBadEntryIsReportedQuoted() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> SourceFilter.parse(List.of("10.0.0.0/8", "10.0.0.0/40")));
        assertTrue(e.getMessage().startsWith("invalid CIDR '10.0.0.0/40'"), e.getMessage());
    }

    @Test
    void handlerClosesConnectionsFromOutsideAtAcceptAndCountsThem() {
        CloseCounter closed = new CloseCounter();
        SourceFilterHandler handler = new SourceFilterHandler(SourceFilter.parse(List.of("10.0.0.0/8")), closed);
        EventRecorder insideEvents = new EventRecorder();
        PeerChannel inside = PeerChannel.from("10.1.2.3", handler, insideEvents);
        EventRecorder outsideEvents = new EventRecorder();
        PeerChannel outside = PeerChannel.from("203.0.113.1", handler, outsideEvents);

        assertTrue(inside.isActive());
        assertNull(inside.pipeline().get(SourceFilterHandler.class), "an allowed connection pays nothing more");
        inside.writeInbound(Unpooled.wrappedBuffer(new byte[] {'x'}));
        assertEquals(1, insideEvents.reads);

        assertFalse(outside.isOpen());
        assertFalse(outside.config().isAutoRead());
        assertEquals(0, outsideEvents.active + outsideEvents.inactive + outsideEvents.reads);
        assertEquals(1, closed.count(CloseReason.NOT_ALLOWED));
        assertEquals(1, closed.total());
        assertFalse(inside.finish());
    }

    @Test
    void behindAProxyTheHeadersSourceIsCheckedNotTheBalancer() {
        CloseCounter closed = new CloseCounter();
        SourceFilterHandler handler = new SourceFilterHandler(SourceFilter.parse(List.of("198.51.100.0/24")), closed);
        EventRecorder served = new EventRecorder();
        PeerChannel inside = PeerChannel.from("10.0.0.1", new ProxiedAs("198.51.100.9"), handler, served);
        assertTrue(inside.isActive(), "the balancer 10.0.0.1 is outside --allow, its client is inside");
        assertEquals(1, served.active);
        EventRecorder refused = new EventRecorder();
        PeerChannel outside = PeerChannel.from("198.51.100.1", new ProxiedAs("203.0.113.5"), handler, refused);
        assertFalse(outside.isOpen(), "the balancer is inside --allow, its client is not");
        assertEquals(0, refused.active);
        assertEquals(1, closed.count(CloseReason.NOT_ALLOWED));
        assertFalse(inside.finish());
    }

    @Test
    void unixConnectionsPassTheHandler() {
        CloseCounter closed = new CloseCounter();
        EmbeddedChannel unixLike = new EmbeddedChannel(
                new SourceFilterHandler(SourceFilter.parse(List.of("10.0.0.0/8")), closed), new EventRecorder());
        assertTrue(unixLike.isActive());
        assertEquals(0, closed.total());
        assertFalse(unixLike.finish());
    }

    @Test
    void filterFirstThenLimiterRefusedPeersTakeNoSlot() {
        CloseCounter closed = new CloseCounter();
        SourceFilterHandler filter = new SourceFilterHandler(SourceFilter.parse(List.of("10.0.0.0/8")), closed);
        ConnectionCounter counter = new ConnectionCounter(new ConnectionLimits(1, 0));
        ConnectionLimiter limiter = new ConnectionLimiter(counter, closed);
        for (int i = 0; i < 5; i++) {
            assertFalse(PeerChannel.from("203.0.113." + i, filter, limiter, new EventRecorder()).isOpen());
        }
        assertEquals(0, counter.open());
        PeerChannel allowed = PeerChannel.from("10.0.0.1", filter, limiter, new EventRecorder());
        assertTrue(allowed.isActive());
        assertEquals(1, counter.open());
        assertEquals(5, closed.count(CloseReason.NOT_ALLOWED));
        assertEquals(0, closed.count(CloseReason.MAX_CONNECTIONS));
        allowed.close();
        assertEquals(0, counter.open());
    }

    @Test
    void aNewAllowListJudgesTheNextConnectionAndKeepsTheOnesAdmitted() {
        CloseCounter closed = new CloseCounter();
        io.echoack.server.live.LiveSetting<SourceFilter> allow =
                io.echoack.server.live.LiveSetting.of(SourceFilter.parse(List.of("10.0.0.0/8")));
        SourceFilterHandler handler = new SourceFilterHandler(allow, closed);
        EventRecorder events = new EventRecorder();
        PeerChannel before = PeerChannel.from("10.1.2.3", handler, events);
        allow.replace(SourceFilter.parse(List.of("192.0.2.0/24")));
        assertTrue(before.isActive(), "admitted before: a reload never drops a connection");
        before.writeInbound(Unpooled.wrappedBuffer(new byte[] {'x'}));
        assertEquals(1, events.reads);
        assertFalse(PeerChannel.from("10.1.2.3", handler, new EventRecorder()).isOpen(), "now outside");
        assertTrue(PeerChannel.from("192.0.2.7", handler, new EventRecorder()).isActive(), "now inside");
        assertEquals(1, closed.count(CloseReason.NOT_ALLOWED));
        assertFalse(before.finish());
    }
}
