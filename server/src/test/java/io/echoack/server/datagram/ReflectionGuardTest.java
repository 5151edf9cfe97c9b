package io.echoack.server.datagram;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.echoack.server.limits.ReflectionGuardSettings;
import java.net.Inet6Address;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class ReflectionGuardTest {

    private static final long T0 = 1_000_000_000_000L;
    private static final long MS = TimeUnit.MILLISECONDS.toNanos(1);
    private static final long S = TimeUnit.SECONDS.toNanos(1);
    private static final ReflectionGuardSettings DEFAULTS = ReflectionGuardSettings.defaults();
    /** Rate limits out of the way, to look at the ratio alone. */
    private static final ReflectionGuardSettings RATIO_ONLY = DEFAULTS.withPacketRate(1_000_000, 1_000_000)
            .withByteRate(1L << 40, 1L << 40);

    private static InetSocketAddress at(String ip, int port) throws Exception {
        return new InetSocketAddress(InetAddress.getByName(ip), port);
    }

    private static InetSocketAddress mapped(String ipv4, int port) throws Exception {
        byte[] b = new byte[16];
        b[10] = (byte) 0xff;
        b[11] = (byte) 0xff;
        System.arraycopy(InetAddress.getByName(ipv4).getAddress(), 0, b, 12, 4);
        return new InetSocketAddress(Inet6Address.getByAddress(null, b, -1), port);
    }

    private static InetSocketAddress ipv4(int bits, int port) throws Exception {
        return new InetSocketAddress(InetAddress.getByAddress(new byte[] {
            (byte) (bits >>> 24), (byte) (bits >>> 16), (byte) (bits >>> 8), (byte) bits}), port);
    }

    @Test
    void sourcePortZeroIsNeverAnswered() throws Exception {
        ReflectionGuard guard = new ReflectionGuard(DEFAULTS.withAllowedPrivilegedPorts(Set.of(7)));
        assertEquals(Verdict.SOURCE_PORT_ZERO, guard.check(at("198.51.100.1", 0), 5, 16, T0));
        assertEquals(Verdict.SOURCE_PORT_ZERO, guard.check(at("127.0.0.1", 0), 5, 16, T0));
        assertEquals(2, guard.count(Verdict.SOURCE_PORT_ZERO));
    }

    @ParameterizedTest
    @ValueSource(ints = {1, 7, 13, 17, 19, 53, 111, 123, 161, 389, 1023})
    void privilegedSourcePortsAreNotAnswered(int port) throws Exception {
        ReflectionGuard guard = new ReflectionGuard(DEFAULTS);
        assertEquals(Verdict.PRIVILEGED_PORT, guard.check(at("198.51.100.1", port), 5, 16, T0));
        assertEquals(Verdict.ACCEPT, guard.check(at("198.51.100.1", 1024), 5, 16, T0));
        assertEquals(Verdict.ACCEPT, guard.check(at("198.51.100.1", 65535), 5, 16, T0));
    }

    @Test
    void anAllowListOpensChosenPrivilegedPortsOnly() throws Exception {
        ReflectionGuard guard = new ReflectionGuard(DEFAULTS.withAllowedPrivilegedPorts(Set.of(500, 1000)));
        assertEquals(Verdict.ACCEPT, guard.check(at("198.51.100.1", 500), 5, 16, T0));
        assertEquals(Verdict.ACCEPT, guard.check(at("198.51.100.1", 1000), 5, 16, T0));
        assertEquals(Verdict.PRIVILEGED_PORT, guard.check(at("198.51.100.1", 7), 5, 16, T0));
        assertEquals(Verdict.PRIVILEGED_PORT, guard.check(at("198.51.100.1", 19), 5, 16, T0));
    }

    @ParameterizedTest
    @ValueSource(strings = {"255.255.255.255", "::ffff:255.255.255.255", "224.0.0.1", "239.255.255.250",
        "ff02::1", "ff05::1:3", "0.0.0.0", "::", "::ffff:224.0.0.251"})
    void broadcastMulticastAndUnspecifiedSourcesAreNotAnswered(String ip) throws Exception {
        ReflectionGuard guard = new ReflectionGuard(DEFAULTS);
        InetSocketAddress source = ip.startsWith("::ffff:") ? mapped(ip.substring(7), 4000) : at(ip, 4000);
        assertEquals(Verdict.BROADCAST_OR_MULTICAST, guard.check(source, 5, 16, T0));
        assertEquals(0, guard.sources(), "no state for what is refused outright");
    }

    @Test
    void configuredSubnetBroadcastsAreRefused() throws Exception {
        ReflectionGuard guard = new ReflectionGuard(
                DEFAULTS.withBroadcastAddresses(Set.of(InetAddress.getByName("192.168.1.255"))));
        assertEquals(Verdict.BROADCAST_OR_MULTICAST, guard.check(at("192.168.1.255", 4000), 5, 16, T0));
        assertEquals(Verdict.BROADCAST_OR_MULTICAST, guard.check(mapped("192.168.1.255", 4000), 5, 16, T0));
        assertEquals(Verdict.ACCEPT, guard.check(at("192.168.1.254", 4000), 5, 16, T0));
        assertEquals(Verdict.ACCEPT, guard.check(at("192.168.2.255", 4000), 5, 16, T0),
                "without knowing the netmask, x.y.z.255 may be a host");
        assertNotNull(ReflectionGuardSettings.localBroadcastAddresses());
    }

    @Test
    void multicastDetectionAgreesWithTheJdk() throws Exception {
        ReflectionGuard guard = new ReflectionGuard(DEFAULTS.withExemptLoopback(true)
                .withPacketRate(1_000_000, 1_000_000).withReplyRatio(2.0, 1 << 30, 0));
        Random random = new Random(1);
        for (int i = 0; i < 20_000; i++) {
            byte[] b = new byte[random.nextBoolean() ? 4 : 16];
            random.nextBytes(b);
            if (i % 4 == 0) {
                b[0] = (byte) (b.length == 4 ? 0xe0 | (b[0] & 0x0f) : 0xff);
            }
            InetAddress a = InetAddress.getByAddress(b);
            boolean special = a.isMulticastAddress() || a.isAnyLocalAddress()
                    || (b.length == 4 && a.getHostAddress().equals("255.255.255.255"));
            Verdict v = guard.check(new InetSocketAddress(a, 5000), 16, 16, T0);
            assertEquals(special, v == Verdict.BROADCAST_OR_MULTICAST, a + " -> " + v);
        }
    }

    @Test
    void aSourceGetsItsBurstThenItsRate() throws Exception {
        ReflectionGuard guard = new ReflectionGuard(DEFAULTS.withExemptLoopback(false));
        InetSocketAddress client = at("203.0.113.5", 40000);
        for (int i = 0; i < 200; i++) {
            assertEquals(Verdict.ACCEPT, guard.check(client, 16, 16, T0), "burst datagram " + i);
        }
        assertEquals(Verdict.RATE_LIMITED, guard.check(client, 16, 16, T0));
        assertEquals(Verdict.RATE_LIMITED, guard.check(client, 16, 16, T0 + 9 * MS));
        assertEquals(Verdict.ACCEPT, guard.check(client, 16, 16, T0 + 10 * MS), "100/s: one every 10 ms");
        assertEquals(Verdict.RATE_LIMITED, guard.check(client, 16, 16, T0 + 10 * MS));
        int accepted = 0;
        for (int i = 0; i < 1000; i++) { // one second later, offered at 1000/s
            if (guard.check(client, 16, 16, T0 + 10 * MS + (i + 1) * MS).accepted()) {
                accepted++;
            }
        }
        assertEquals(100, accepted, 1);
        // a long pause refills to the burst, not beyond
        int afterPause = 0;
        while (guard.check(client, 16, 16, T0 + 3600 * S).accepted()) {
            afterPause++;
        }
        assertEquals(200, afterPause);
    }

    @Test
    void theRateIsPerAddressWhateverThePortAndFormOfTheAddress() throws Exception {
        ReflectionGuard guard = new ReflectionGuard(DEFAULTS);
        for (int i = 0; i < 200; i++) {
            // a forger spreads ports and forms; it is one victim address
            InetSocketAddress s = i % 2 == 0 ? at("203.0.113.5", 1024 + i) : mapped("203.0.113.5", 1024 + i);
            assertEquals(Verdict.ACCEPT, guard.check(s, 16, 16, T0));
        }
        assertEquals(Verdict.RATE_LIMITED, guard.check(at("203.0.113.5", 60000), 16, 16, T0));
        assertEquals(Verdict.ACCEPT, guard.check(at("203.0.113.6", 60000), 16, 16, T0), "another address");
        assertEquals(2, guard.sources());
    }

    @Test
    void replyBytesHaveTheirOwnBucket() throws Exception {
        ReflectionGuard guard = new ReflectionGuard(DEFAULTS);
        InetSocketAddress client = at("203.0.113.7", 40000);
        int big = 65_507;
        for (int i = 0; i < 4; i++) { // 4 x 65,507 fit in 256 KiB
            assertEquals(Verdict.ACCEPT, guard.check(client, big, big, T0));
        }
        assertEquals(Verdict.RATE_LIMITED, guard.check(client, big, big, T0));
        assertEquals(Verdict.ACCEPT, guard.check(client, 100, 100, T0), "small replies still fit");
        assertEquals(Verdict.ACCEPT, guard.check(client, big, big, T0 + 63 * MS), "1 MiB/s refills 64 KiB in 63 ms");
    }

    @Test
    void anOrdinaryClientGetsItsAckAtOnceAndForEver() throws Exception {
        ReflectionGuard guard = new ReflectionGuard(DEFAULTS);
        InetSocketAddress client = at("203.0.113.9", 40000);
        assertEquals(Verdict.ACCEPT, guard.check(client, "hello".length(), "Got your message".length(), T0));
        // one hello a second for a day (5 bytes in, 16 out: above the ratio, within the refill)
        for (int s = 1; s <= 86_400; s++) {
            assertEquals(Verdict.ACCEPT, guard.check(client, 5, 16, T0 + s * S), "second " + s);
        }
    }

    @Test
    void aFloodOfTinyRequestsBuysAboutTwiceItsBytes() throws Exception {
        ReflectionGuard guard = new ReflectionGuard(RATIO_ONLY);
        InetSocketAddress victim = at("192.0.2.66", 40000); // forged source: the victim
        long in = 0;
        long out = 0;
        int requests = 1_000_000;
        long duration = 10 * S; // 100,000 requests/s for 10 s
        for (int i = 0; i < requests; i++) {
            in += 1;
            if (guard.check(victim, 1, 16, T0 + i * (duration / requests)).accepted()) {
                out += 16;
            }
        }
        long bound = 2 * in + DEFAULTS.ratioBurstBytes() + DEFAULTS.ratioRefillBytesPerSecond() * 10;
        assertTrue(out <= bound, out + " > " + bound);
        assertTrue(out >= 2 * in - 16, "and the ratio is really what it allows: " + out);
        assertTrue(guard.count(Verdict.RATIO_EXCEEDED) > 800_000);
    }

    @Test
    void aClientAboveTheRatioIsSlowedNotShutOut() throws Exception {
        ReflectionGuard guard = new ReflectionGuard(RATIO_ONLY);
        InetSocketAddress client = at("203.0.113.10", 40000);
        int accepted = 0;
        for (int i = 0; i < 50 * 600; i++) { // 50 hellos a second for ten minutes: needs 300 B/s above the ratio
            if (guard.check(client, 5, 16, T0 + i * (S / 50)).accepted()) {
                accepted++;
            }
        }
        long expected = (2 * 5L * 50 * 600 + 4096 + 64 * 600) / 16; // what the ratio, burst and refill pay for
        assertEquals(expected, accepted, 2);
        assertTrue(accepted < 50 * 600);
    }

    @Test
    void echoRepliesNeverExceedTheRatio() throws Exception {
        ReflectionGuard guard = new ReflectionGuard(RATIO_ONLY);
        InetSocketAddress client = at("203.0.113.11", 40000);
        Random random = new Random(3);
        for (int i = 0; i < 100_000; i++) {
            int size = random.nextInt(65_508);
            assertEquals(Verdict.ACCEPT, guard.check(client, size, size, T0 + i * MS));
        }
        assertEquals(0, guard.count(Verdict.RATIO_EXCEEDED));
    }

    @Test
    void requestsThatWereDroppedStillCountTowardsTheRatio() throws Exception {
        ReflectionGuard guard = new ReflectionGuard(RATIO_ONLY.withReplyRatio(2.0, 20, 0));
        InetSocketAddress client = at("203.0.113.12", 40000);
        assertEquals(Verdict.ACCEPT, guard.check(client, 1, 16, T0)); // 20 + 2 credit, 6 left
        for (int i = 0; i < 4; i++) {
            assertEquals(Verdict.RATIO_EXCEEDED, guard.check(client, 1, 16, T0), "credit " + (8 + 2 * i));
        }
        assertEquals(Verdict.ACCEPT, guard.check(client, 1, 16, T0), "the dropped requests paid for this one");
    }

    @Test
    void loopbackSkipsRateAndRatioButNotThePortChecks() throws Exception {
        ReflectionGuard guard = new ReflectionGuard(DEFAULTS);
        for (int i = 0; i < 100_000; i++) {
            assertEquals(Verdict.ACCEPT, guard.check(at("127.0.0.1", 40000), 1, 16, T0));
            assertEquals(Verdict.ACCEPT, guard.check(at("127.3.2.1", 40000), 1, 16, T0));
        }
        assertEquals(Verdict.ACCEPT, guard.check(at("::1", 40000), 1, 16, T0));
        assertEquals(Verdict.ACCEPT, guard.check(mapped("127.0.0.1", 40000), 1, 16, T0));
        assertEquals(Verdict.PRIVILEGED_PORT, guard.check(at("127.0.0.1", 7), 1, 16, T0));
        assertEquals(0, guard.sources());

        ReflectionGuard strict = new ReflectionGuard(DEFAULTS.withExemptLoopback(false));
        int accepted = 0;
        for (int i = 0; i < 1000; i++) {
            accepted += strict.check(at("127.0.0.1", 40000), 16, 16, T0).accepted() ? 1 : 0;
        }
        assertEquals(200, accepted);
    }

    @Test
    void disabledAnswersEverything() throws Exception {
        ReflectionGuard guard = new ReflectionGuard(ReflectionGuardSettings.disabled());
        assertEquals(Verdict.ACCEPT, guard.check(at("198.51.100.1", 0), 1, 60_000, T0));
        assertEquals(Verdict.ACCEPT, guard.check(at("198.51.100.1", 19), 1, 60_000, T0));
        assertEquals(Verdict.ACCEPT, guard.check(at("255.255.255.255", 4000), 1, 60_000, T0));
        for (int i = 0; i < 1000; i++) {
            assertEquals(Verdict.ACCEPT, guard.check(at("198.51.100.1", 4000), 1, 60_000, T0));
        }
        assertEquals(0, guard.dropped());
        assertEquals(0, guard.sources());
    }

    @Test
    void aMillionForgedSourcesStayWithinMaxSources() throws Exception {
        ReflectionGuard guard = new ReflectionGuard(DEFAULTS);
        int max = DEFAULTS.maxSources();
        for (int i = 0; i < 1_000_000; i++) {
            guard.check(ipv4(0x0a00_0000 + i, 1024 + (i & 0x7fff)), 1, 16, T0 + i);
        }
        assertEquals(max, guard.sources());
        assertEquals(1_000_000, guard.count(Verdict.ACCEPT), "each is new: it gets its first ack");

        // the most recent sources are the ones remembered: the last one has spent one of its 200 tokens
        InetSocketAddress recent = ipv4(0x0a00_0000 + 999_999, 5000);
        int left = 0;
        while (guard.check(recent, 16, 16, T0 + 1_000_000).accepted()) {
            left++;
        }
        assertEquals(199, left);
    }

    @Test
    void aMillionForgedIpv6SourcesStayWithinASmallMaxSources() throws Exception {
        ReflectionGuard guard = new ReflectionGuard(DEFAULTS.withMaxSources(1000));
        Random random = new Random(5);
        byte[] b = new byte[16];
        for (int i = 0; i < 1_000_000; i++) {
            random.nextBytes(b);
            b[0] = 0x20; // global unicast
            guard.check(new InetSocketAddress(InetAddress.getByAddress(b), 40000), 1, 16, T0 + i);
        }
        assertEquals(1000, guard.sources());
    }

    @Test
    void checkingAKnownSourceAllocatesNoState() throws Exception {
        java.lang.management.ThreadMXBean mx = java.lang.management.ManagementFactory.getThreadMXBean();
        org.junit.jupiter.api.Assumptions.assumeTrue(mx instanceof com.sun.management.ThreadMXBean);
        com.sun.management.ThreadMXBean threads = (com.sun.management.ThreadMXBean) mx;
        ReflectionGuard guard = new ReflectionGuard(RATIO_ONLY.withMaxSources(1024));
        InetSocketAddress[] sources = new InetSocketAddress[4096];
        for (int i = 0; i < sources.length; i++) {
            sources[i] = ipv4(0xc633_6400 + i, 40000); // more sources than slots: constant eviction
        }
        for (int round = 0; round < 50; round++) { // warm up
            for (int i = 0; i < sources.length; i++) {
                guard.check(sources[i], 10, 10, T0 + i);
            }
        }
        long id = Thread.currentThread().getId();
        long before = threads.getThreadAllocatedBytes(id);
        int checks = 0;
        for (int round = 0; round < 50; round++) {
            for (int i = 0; i < sources.length; i++) {
                guard.check(sources[i], 10, 10, T0 + i);
                checks++;
            }
        }
        long perCheck = (threads.getThreadAllocatedBytes(id) - before) / checks;
        // at most the JDK's copy of the address bytes; a map entry and state object per source would be ~100
        assertTrue(perCheck <= 32, perCheck + " bytes allocated per check");
    }

    @Test
    void eventLoopsSharingOneGuardNeverOverspendABucket() throws Exception {
        ReflectionGuard guard = new ReflectionGuard(DEFAULTS);
        InetSocketAddress client = at("203.0.113.20", 40000);
        AtomicInteger accepted = new AtomicInteger();
        List<Thread> threads = new ArrayList<>();
        for (int t = 0; t < 8; t++) {
            threads.add(new Thread(() -> {
                for (int i = 0; i < 10_000; i++) {
                    if (guard.check(client, 16, 16, T0).accepted()) {
                        accepted.incrementAndGet();
                    }
                }
            }));
        }
        threads.forEach(Thread::start);
        for (Thread t : threads) {
            t.join();
        }
        assertEquals(200, accepted.get(), "exactly the burst, however the threads interleave");
        assertEquals(80_000 - 200, guard.count(Verdict.RATE_LIMITED));
    }

    @Test
    void settingsAreValidatedNamingTheField() {
        assertThrows("packetsPerSecond", () -> DEFAULTS.withPacketRate(0, 10));
        assertThrows("burstPackets", () -> DEFAULTS.withPacketRate(10, 0));
        assertThrows("bytesPerSecond", () -> DEFAULTS.withByteRate(0, 1 << 20));
        assertThrows("burstBytes must be >= 65507", () -> DEFAULTS.withByteRate(1 << 20, 1000));
        assertThrows("replyRatio", () -> DEFAULTS.withReplyRatio(0.5, 4096, 64));
        assertThrows("replyRatio", () -> DEFAULTS.withReplyRatio(Double.NaN, 4096, 64));
        assertThrows("replyRatio", () -> DEFAULTS.withReplyRatio(Double.POSITIVE_INFINITY, 4096, 64));
        assertThrows("ratioBurstBytes", () -> DEFAULTS.withReplyRatio(2, -1, 64));
        assertThrows("ratioRefillBytesPerSecond", () -> DEFAULTS.withReplyRatio(2, 4096, -1));
        assertThrows("maxSources", () -> DEFAULTS.withMaxSources(0));
        assertThrows("maxSources", () -> DEFAULTS.withMaxSources(ReflectionGuardSettings.MAX_MAX_SOURCES + 1));
        assertThrows("allowedPrivilegedPorts", () -> DEFAULTS.withAllowedPrivilegedPorts(Set.of(0)));
        assertThrows("allowedPrivilegedPorts", () -> DEFAULTS.withAllowedPrivilegedPorts(Set.of(1024)));
        ReflectionGuardSettings d = ReflectionGuardSettings.defaults();
        assertTrue(d.enabled() && d.exemptLoopback());
        assertEquals(100, d.packetsPerSecond());
        assertEquals(200, d.burstPackets());
        assertEquals(2.0, d.replyRatio());
        assertEquals(4096, d.ratioBurstBytes());
        assertEquals(65_536, d.maxSources());
    }

    private static void assertThrows(String field, org.junit.jupiter.api.function.Executable e) {
        IllegalArgumentException x = org.junit.jupiter.api.Assertions.assertThrows(IllegalArgumentException.class, e);
        assertTrue(x.getMessage().startsWith(field), x.getMessage());
    }

    @Test
    void aLoweredBurstCapsWhatASourceHasLeftAtItsNextDatagram() throws Exception {
        io.echoack.server.live.LiveSetting<ReflectionGuardSettings> settings =
                io.echoack.server.live.LiveSetting.of(DEFAULTS.withExemptLoopback(false).withPacketRate(10, 10));
        ReflectionGuard guard = new ReflectionGuard(settings);
        InetSocketAddress source = at("198.51.100.1", 40000);
        assertEquals(Verdict.ACCEPT, guard.check(source, 5, 5, T0));
        assertEquals(Verdict.ACCEPT, guard.check(source, 5, 5, T0)); // 8 of 10 left
        settings.replace(settings.get().withPacketRate(10, 4));
        assertEquals(settings.get(), guard.settings());
        for (int i = 0; i < 4; i++) {
            assertEquals(Verdict.ACCEPT, guard.check(source, 5, 5, T0), "datagram " + i + " of the new burst");
        }
        assertEquals(Verdict.RATE_LIMITED, guard.check(source, 5, 5, T0), "8 left, capped at the new burst of 4");
    }

    @Test
    void aRaisedRateRefillsFromTheNextDatagramOn() throws Exception {
        io.echoack.server.live.LiveSetting<ReflectionGuardSettings> settings =
                io.echoack.server.live.LiveSetting.of(DEFAULTS.withExemptLoopback(false).withPacketRate(1, 1));
        ReflectionGuard guard = new ReflectionGuard(settings);
        InetSocketAddress source = at("198.51.100.1", 40000);
        assertEquals(Verdict.ACCEPT, guard.check(source, 5, 5, T0));
        assertEquals(Verdict.RATE_LIMITED, guard.check(source, 5, 5, T0 + 100 * MS), "1 per second");
        settings.replace(settings.get().withPacketRate(100, 1));
        assertEquals(Verdict.ACCEPT, guard.check(source, 5, 5, T0 + 120 * MS), "100 per second: 10 ms a datagram");
    }

    @Test
    void theGuardTurnedOffAnswersEverythingAndTurnedOnAgainRefusesAsBefore() throws Exception {
        io.echoack.server.live.LiveSetting<ReflectionGuardSettings> settings =
                io.echoack.server.live.LiveSetting.of(DEFAULTS);
        ReflectionGuard guard = new ReflectionGuard(settings);
        assertEquals(Verdict.PRIVILEGED_PORT, guard.check(at("198.51.100.1", 19), 5, 16, T0));
        settings.replace(ReflectionGuardSettings.disabled());
        assertEquals(Verdict.ACCEPT, guard.check(at("198.51.100.1", 19), 5, 16, T0));
        settings.replace(DEFAULTS.withAllowedPrivilegedPorts(Set.of(19)));
        assertEquals(Verdict.ACCEPT, guard.check(at("198.51.100.1", 19), 5, 16, T0), "now allowed by name");
        assertEquals(Verdict.PRIVILEGED_PORT, guard.check(at("198.51.100.1", 7), 5, 16, T0));
    }
}
