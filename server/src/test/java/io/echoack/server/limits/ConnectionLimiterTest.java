package io.echoack.server.limits;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.echoack.server.testing.EventRecorder;
import io.echoack.server.testing.PeerChannel;
import io.echoack.server.testing.ProxiedAs;
import io.netty.buffer.Unpooled;
import io.netty.channel.embedded.EmbeddedChannel;
import java.net.InetAddress;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

class ConnectionLimiterTest {

    private final CloseCounter closed = new CloseCounter();

    private static InetAddress ip(String text) throws Exception {
        return InetAddress.getByName(text);
    }

    private PeerChannel connect(ConnectionLimiter limiter, String ip, EventRecorder recorder) {
        return PeerChannel.from(ip, limiter, recorder);
    }

    @Test
    void refusesOverTheGlobalLimitAndLeavesOpenConnectionsAlone() {
        ConnectionCounter counter = new ConnectionCounter(new ConnectionLimits(2, 0));
        ConnectionLimiter limiter = new ConnectionLimiter(counter, closed);
        EventRecorder r1 = new EventRecorder();
        EventRecorder r2 = new EventRecorder();
        EventRecorder r3 = new EventRecorder();
        PeerChannel first = connect(limiter, "10.0.0.1", r1);
        PeerChannel second = connect(limiter, "10.0.0.2", r2);
        PeerChannel third = connect(limiter, "10.0.0.3", r3);

        assertTrue(first.isActive());
        assertTrue(second.isActive());
        assertFalse(third.isOpen(), "over the limit: closed at once");
        assertFalse(third.config().isAutoRead(), "nothing is read from a refused connection");
        assertEquals(0, r3.active, "the rest of the pipeline never sees a refused connection");
        assertEquals(0, r3.inactive, "... not even its close");
        assertEquals(1, closed.count(CloseReason.MAX_CONNECTIONS));
        assertEquals(2, counter.open());

        // the open ones still work
        first.writeInbound(Unpooled.wrappedBuffer(new byte[] {1}));
        assertEquals(1, r1.reads);
        assertEquals(1, r1.active);

        // a slot freed by a close is reusable
        first.close();
        assertEquals(1, r1.inactive, "an admitted connection's close goes down the pipeline");
        assertEquals(1, counter.open());
        PeerChannel fourth = connect(limiter, "10.0.0.4", new EventRecorder());
        assertTrue(fourth.isActive());
        assertEquals(1, closed.total());
        assertFalse(second.finish());
        assertFalse(fourth.finish());
        assertEquals(0, counter.open());
    }

    @Test
    void refusesOverThePerAddressLimitButNotOtherAddresses() throws Exception {
        ConnectionCounter counter = new ConnectionCounter(new ConnectionLimits(100, 2));
        ConnectionLimiter limiter = new ConnectionLimiter(counter, closed);
        PeerChannel a1 = connect(limiter, "192.0.2.7", new EventRecorder());
        PeerChannel a2 = connect(limiter, "192.0.2.7", new EventRecorder());
        EventRecorder refused = new EventRecorder();
        PeerChannel a3 = connect(limiter, "192.0.2.7", refused);
        PeerChannel b1 = connect(limiter, "192.0.2.8", new EventRecorder());

        assertTrue(a1.isActive() && a2.isActive() && b1.isActive());
        assertFalse(a3.isOpen());
        assertEquals(0, refused.active);
        assertEquals(1, closed.count(CloseReason.MAX_CONNECTIONS_PER_IP));
        assertEquals(0, closed.count(CloseReason.MAX_CONNECTIONS));
        assertEquals(3, counter.open(), "a per-address refusal gives its global slot back");
        assertEquals(2, counter.open(ip("192.0.2.7")));
        a1.close();
        a2.close();
        b1.close();
        assertEquals(0, counter.open());
    }

    @Test
    void ipv4MappedPeersCountAsTheirIpv4Address() throws Exception {
        ConnectionCounter counter = new ConnectionCounter(new ConnectionLimits(0, 1));
        ConnectionLimiter limiter = new ConnectionLimiter(counter, closed);
        PeerChannel plain = connect(limiter, "198.51.100.1", new EventRecorder());
        PeerChannel mapped = connect(limiter, "::ffff:198.51.100.1", new EventRecorder());
        assertTrue(plain.isActive());
        assertFalse(mapped.isOpen(), "the same client through a dual-stack socket");
        assertEquals(1, counter.open(ip("::ffff:198.51.100.1")));
        assertEquals(1, counter.trackedAddresses());
        plain.close();
    }

    @Test
    void perAddressStateIsRemovedWhenItsLastConnectionCloses() {
        ConnectionCounter counter = new ConnectionCounter(new ConnectionLimits(10_000, 100));
        ConnectionLimiter limiter = new ConnectionLimiter(counter, closed);
        List<EmbeddedChannel> channels = new ArrayList<>();
        for (int i = 0; i < 300; i++) {
            channels.add(connect(limiter, "10.1." + (i / 100) + "." + (i % 100), new EventRecorder()));
        }
        assertEquals(300, counter.trackedAddresses());
        channels.forEach(EmbeddedChannel::close);
        assertEquals(0, counter.trackedAddresses(), "no entry outlives its last connection");
        assertEquals(0, counter.open());
    }

    @Test
    void withoutAPerAddressLimitAddressesAreStillCountedButOnlyTheTotalRefuses() throws Exception {
        ConnectionCounter counter = new ConnectionCounter(new ConnectionLimits(150, ConnectionLimits.UNLIMITED));
        ConnectionLimiter limiter = new ConnectionLimiter(counter, closed);
        List<EmbeddedChannel> channels = new ArrayList<>();
        for (int i = 0; i < 151; i++) {
            channels.add(connect(limiter, "10.2.0." + (i % 2), new EventRecorder()));
        }
        assertEquals(150, counter.open());
        assertEquals(75, counter.open(ip("10.2.0.1")), "counted, for a per-address limit a reload may set");
        assertFalse(channels.get(150).isOpen(), "the global limit still holds");
        assertEquals(1, closed.count(CloseReason.MAX_CONNECTIONS));
        assertEquals(0, closed.count(CloseReason.MAX_CONNECTIONS_PER_IP));
        channels.forEach(EmbeddedChannel::close);
        assertEquals(0, counter.open());
        assertEquals(0, counter.trackedAddresses());
    }

    @Test
    void aLoweredLimitClosesNothingAndRefusesNewConnectionsUntilTheCountIsUnderIt() throws Exception {
        ConnectionCounter counter = new ConnectionCounter(new ConnectionLimits(5, 0));
        ConnectionLimiter limiter = new ConnectionLimiter(counter, closed);
        List<EmbeddedChannel> open = new ArrayList<>();
        for (int i = 0; i < 4; i++) {
            open.add(connect(limiter, "10.3.0." + i, new EventRecorder()));
        }
        assertEquals(new ConnectionLimits(5, 0), counter.replaceLimits(new ConnectionLimits(2, 0)));
        assertEquals(new ConnectionLimits(2, 0), counter.limits());
        assertTrue(open.stream().allMatch(EmbeddedChannel::isActive), "open connections are never touched");
        assertFalse(connect(limiter, "10.3.0.9", new EventRecorder()).isOpen(), "4 open, 2 allowed");
        open.remove(0).close();
        open.remove(0).close();
        assertFalse(connect(limiter, "10.3.0.9", new EventRecorder()).isOpen(), "2 open: still not under 2");
        open.remove(0).close();
        EmbeddedChannel admitted = connect(limiter, "10.3.0.9", new EventRecorder());
        assertTrue(admitted.isActive(), "under the new limit again");
        assertEquals(2, closed.count(CloseReason.MAX_CONNECTIONS));
        counter.replaceLimits(new ConnectionLimits(10, 0));
        assertTrue(connect(limiter, "10.3.0.9", new EventRecorder()).isActive(), "a raised limit admits at once");
        assertEquals(3, counter.open());
    }

    @Test
    void aPerAddressLimitSetWhileConnectionsAreOpenCountsThemToo() throws Exception {
        ConnectionCounter counter = new ConnectionCounter(ConnectionLimits.defaults());
        ConnectionLimiter limiter = new ConnectionLimiter(counter, closed);
        List<EmbeddedChannel> fromOne = new ArrayList<>();
        for (int i = 0; i < 3; i++) {
            fromOne.add(connect(limiter, "192.0.2.1", new EventRecorder()));
        }
        counter.replaceLimits(new ConnectionLimits(ConnectionLimits.DEFAULT_MAX_CONNECTIONS, 2));
        assertTrue(fromOne.stream().allMatch(EmbeddedChannel::isActive));
        assertFalse(connect(limiter, "192.0.2.1", new EventRecorder()).isOpen(), "3 open from it before the limit");
        assertTrue(connect(limiter, "192.0.2.2", new EventRecorder()).isActive(), "another address is under it");
        fromOne.remove(0).close();
        fromOne.remove(0).close();
        assertTrue(connect(limiter, "192.0.2.1", new EventRecorder()).isActive(), "1 open from it: under 2");
        assertEquals(1, closed.count(CloseReason.MAX_CONNECTIONS_PER_IP));
        counter.replaceLimits(ConnectionLimits.defaults());
        assertTrue(connect(limiter, "192.0.2.1", new EventRecorder()).isActive(), "limit lifted");
        assertEquals(3, counter.open(ip("192.0.2.1")));
    }

    @Test
    void unixConnectionsCountOnlyTowardTheGlobalLimit() {
        ConnectionCounter counter = new ConnectionCounter(new ConnectionLimits(3, 1));
        ConnectionLimiter limiter = new ConnectionLimiter(counter, closed);
        List<EmbeddedChannel> unix = new ArrayList<>();
        for (int i = 0; i < 3; i++) {
            unix.add(new EmbeddedChannel(limiter, new EventRecorder())); // no IP: like a Unix peer
        }
        assertTrue(unix.stream().allMatch(EmbeddedChannel::isActive), "the per-address limit does not apply");
        assertEquals(0, counter.trackedAddresses());
        EmbeddedChannel fourth = new EmbeddedChannel(limiter, new EventRecorder());
        assertFalse(fourth.isOpen());
        assertEquals(1, closed.count(CloseReason.MAX_CONNECTIONS));
        unix.forEach(EmbeddedChannel::close);
        assertEquals(0, counter.open());
    }

    @Test
    void zeroMeansUnlimited() {
        ConnectionCounter counter = new ConnectionCounter(ConnectionLimits.unlimited());
        ConnectionLimiter limiter = new ConnectionLimiter(counter, closed);
        List<EmbeddedChannel> channels = new ArrayList<>();
        for (int i = 0; i < 500; i++) {
            channels.add(connect(limiter, "10.9.9.9", new EventRecorder()));
        }
        assertTrue(channels.stream().allMatch(EmbeddedChannel::isActive));
        assertEquals(500, counter.open());
        assertEquals(0, closed.total());
        channels.forEach(EmbeddedChannel::close);
    }

    @Test
    void anAdmittedConnectionKeepsTheGateWhichReleasesItsCountOnClose() throws Exception {
        ConnectionCounter counter = new ConnectionCounter(new ConnectionLimits(10_000, 100));
        ConnectionLimiter limiter = new ConnectionLimiter(counter, closed);
        PeerChannel wired = PeerChannel.from("10.0.0.1", limiter);
        PeerChannel other = PeerChannel.from("10.0.0.1", limiter);
        assertEquals(2, counter.open());
        assertEquals(2, counter.open(ip("10.0.0.1")));
        assertNotNull(wired.pipeline().get(ConnectionLimiter.class), "the gate stays, to release");
        assertFalse(wired.finish());
        assertEquals(1, counter.open(), "released when the connection closes");
        assertEquals(1, counter.open(ip("10.0.0.1")), "the other one stays counted");
        other.close();
        assertEquals(0, counter.open());
        assertEquals(0, counter.trackedAddresses(), "no entry left for the address");
    }

    @Test
    void aRefusedConnectionsLateEventsAreSwallowed() {
        // On a real transport the close completes later, so events can still arrive after the refusal:
        // the sink left in the gate's place swallows them all.
        EventRecorder recorder = new EventRecorder();
        EmbeddedChannel ch = new EmbeddedChannel(AdmissionHandler.RefusedConnectionSink.INSTANCE, recorder);
        ch.pipeline().fireChannelActive();
        ch.pipeline().fireExceptionCaught(new java.io.IOException("reset"));
        io.netty.buffer.ByteBuf late = Unpooled.buffer().writeByte(1);
        ch.pipeline().fireChannelRead(late);
        ch.pipeline().fireChannelInactive();
        assertEquals(0, late.refCnt(), "released, not passed on");
        assertEquals(0, recorder.reads + recorder.errors + recorder.active + recorder.inactive);
        assertFalse(ch.finish());
    }

    @Test
    void aRefusedConnectionNeverHoldsASlot() {
        ConnectionCounter counter = new ConnectionCounter(new ConnectionLimits(1, 0));
        ConnectionLimiter limiter = new ConnectionLimiter(counter, closed);
        PeerChannel open = connect(limiter, "10.0.0.1", new EventRecorder());
        for (int i = 0; i < 10; i++) {
            assertFalse(connect(limiter, "10.0.0.2", new EventRecorder()).isOpen());
        }
        assertEquals(1, counter.open());
        assertEquals(10, closed.count(CloseReason.MAX_CONNECTIONS));
        open.close();
        assertEquals(0, counter.open());
    }

    @Test
    void behindAProxyThePerAddressLimitCountsTheHeadersClientNotTheBalancer() throws Exception {
        ConnectionCounter counter = new ConnectionCounter(new ConnectionLimits(100, 1));
        ConnectionLimiter total = new ConnectionLimiter(counter, ConnectionLimiter.Counts.TOTAL, closed);
        ConnectionLimiter perClient =
                new ConnectionLimiter(counter, ConnectionLimiter.Counts.PER_CLIENT_ADDRESS, closed);
        // three connections from one balancer, 10.0.0.1: two clients, one of them twice
        PeerChannel a = PeerChannel.from("10.0.0.1", total, new ProxiedAs("198.51.100.1"), perClient,
                new EventRecorder());
        PeerChannel b = PeerChannel.from("10.0.0.1", total, new ProxiedAs("198.51.100.2"), perClient,
                new EventRecorder());
        EventRecorder refused = new EventRecorder();
        PeerChannel a2 = PeerChannel.from("10.0.0.1", total, new ProxiedAs("198.51.100.1"), perClient, refused);

        assertTrue(a.isActive() && b.isActive(), "one connection per client, not per balancer");
        assertFalse(a2.isOpen(), "the second from the same client is over its limit");
        assertEquals(0, refused.active);
        assertEquals(1, closed.count(CloseReason.MAX_CONNECTIONS_PER_IP));
        assertEquals(1, counter.open(ip("198.51.100.1")));
        assertEquals(0, counter.open(ip("10.0.0.1")), "the balancer's own address is not counted");
        assertEquals(2, counter.open(), "the refused one gave its total slot back when it closed");

        a.close();
        assertEquals(0, counter.open(ip("198.51.100.1")), "released on the client's address, as counted");
        assertEquals(1, counter.open(ip("198.51.100.2")));
        b.close();
        assertEquals(0, counter.open());
        assertEquals(0, counter.trackedAddresses());
    }

    @Test
    void theTotalLimiterCountsAConnectionBeforeItsClientIsKnown() throws Exception {
        ConnectionCounter counter = new ConnectionCounter(new ConnectionLimits(2, 1));
        ConnectionLimiter total = new ConnectionLimiter(counter, ConnectionLimiter.Counts.TOTAL, closed);
        PeerChannel a = connect(total, "10.0.0.1", new EventRecorder());
        PeerChannel b = connect(total, "10.0.0.1", new EventRecorder());
        PeerChannel c = connect(total, "10.0.0.1", new EventRecorder());
        assertTrue(a.isActive() && b.isActive(), "the per-address limit is not this one's to count");
        assertEquals(0, counter.trackedAddresses());
        assertFalse(c.isOpen());
        assertEquals(1, closed.count(CloseReason.MAX_CONNECTIONS));
        a.close();
        b.close();
        assertEquals(0, counter.open());
    }

    @Test
    void limitsAreValidatedNamingTheField() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> new ConnectionLimits(-1, 1));
        assertTrue(e.getMessage().startsWith("maxConnections must be"), e.getMessage());
        e = assertThrows(IllegalArgumentException.class, () -> new ConnectionLimits(1, -5));
        assertTrue(e.getMessage().startsWith("maxConnectionsPerIp must be"), e.getMessage());
        assertEquals(new ConnectionLimits(10_000, 0), ConnectionLimits.defaults());
    }

    @Test
    void theDefaultsAdmitAThousandConnectionsFromOneAddress() {
        // A first load test from one host, and every client behind a load balancer, share one address.
        ConnectionCounter counter = new ConnectionCounter(ConnectionLimits.defaults());
        ConnectionLimiter limiter = new ConnectionLimiter(counter, closed);
        List<EmbeddedChannel> channels = new ArrayList<>();
        for (int i = 0; i < 1_000; i++) {
            channels.add(connect(limiter, "127.0.0.1", new EventRecorder()));
        }
        assertTrue(channels.stream().allMatch(EmbeddedChannel::isActive));
        assertEquals(0, closed.total());
        assertEquals(1, counter.trackedAddresses(), "one entry for the one address (counted for a limit set later)");
        channels.forEach(EmbeddedChannel::close);
        assertEquals(0, counter.open());
        assertEquals(0, counter.trackedAddresses());
    }

    @Test
    void concurrentAcquiresNeverExceedTheLimits() throws Exception {
        int maxTotal = 50;
        int maxPerIp = 5;
        ConnectionCounter counter = new ConnectionCounter(new ConnectionLimits(maxTotal, maxPerIp));
        InetAddress[] addresses = new InetAddress[8];
        for (int i = 0; i < addresses.length; i++) {
            addresses[i] = ip("10.0.0." + i);
        }
        java.util.concurrent.atomic.AtomicInteger live = new java.util.concurrent.atomic.AtomicInteger();
        java.util.concurrent.atomic.AtomicIntegerArray livePerIp =
                new java.util.concurrent.atomic.AtomicIntegerArray(addresses.length);
        java.util.concurrent.atomic.AtomicInteger violations = new java.util.concurrent.atomic.AtomicInteger();
        List<Thread> threads = new ArrayList<>();
        for (int t = 0; t < 8; t++) {
            int seed = t;
            threads.add(new Thread(() -> {
                java.util.Random random = new java.util.Random(seed);
                for (int i = 0; i < 20_000; i++) {
                    int a = random.nextInt(addresses.length);
                    if (counter.tryAcquire(addresses[a]) == null) {
                        if (live.incrementAndGet() > maxTotal || livePerIp.incrementAndGet(a) > maxPerIp) {
                            violations.incrementAndGet();
                        }
                        Thread.yield();
                        livePerIp.decrementAndGet(a);
                        live.decrementAndGet();
                        counter.release(addresses[a]);
                    }
                }
            }));
        }
        threads.forEach(Thread::start);
        for (Thread t : threads) {
            t.join();
        }
        assertEquals(0, violations.get());
        assertEquals(0, counter.open());
        assertEquals(0, counter.trackedAddresses());
    }
}
