package io.echoack.server.limits;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.echoack.server.datagram.ReflectionGuardWarnings;
import io.echoack.server.metrics.ListenerMetrics.DropReason;
import io.echoack.server.testing.EventRecorder;
import io.echoack.server.testing.PeerChannel;
import io.netty.util.concurrent.MockTicker;
import io.netty.util.concurrent.Ticker;
import java.lang.management.ManagementFactory;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

class RefusalWarningsTest {

    private static final Logger LOG = LoggerFactory.getLogger(RefusalWarningsTest.class);
    private static final String LISTENER = "tcp://0.0.0.0:51717";
    private static final Pattern COUNT = Pattern.compile("^refused (\\d+) connections? ");

    private final MockTicker clock = Ticker.newMockTicker();
    private final List<String> lines = new ArrayList<>();
    private final List<Logger> loggers = new ArrayList<>();
    /** 10 s between lines, pending refusals looked at every second, as in the server. */
    private final RefusalWarnings warnings = new RefusalWarnings(clock, Duration.ofSeconds(10),
            Duration.ofSeconds(1), (logger, line) -> {
                loggers.add(logger);
                lines.add(line);
            });

    private static InetAddress ip(String text) throws Exception {
        return InetAddress.getByName(text);
    }

    /** Lets {@code seconds} pass, one reporting tick at a time, as the reporting thread would. */
    private void tick(int seconds) {
        for (int i = 0; i < seconds; i++) {
            clock.advance(1, TimeUnit.SECONDS);
            warnings.report(false);
        }
    }

    private RefusalCounter perIp() {
        return warnings.counter(LOG, LISTENER, "refused", "connection",
                "--max-connections-per-ip 100 reached (raise it, or 0 for no limit)");
    }

    private static long count(String line) {
        Matcher m = COUNT.matcher(line);
        assertTrue(m.find(), line);
        return Long.parseLong(m.group(1));
    }

    @Test
    void theFirstRefusalIsReportedAtTheNextTickWithCountSourceListenerAndFlag() throws Exception {
        RefusalCounter c = perIp();
        tick(30); // quiet: nothing to say
        assertEquals(List.of(), lines);

        for (int i = 0; i < 37; i++) {
            c.record(ip("127.0.0.1"));
        }
        tick(1);
        assertEquals(List.of("refused 37 connections from 127.0.0.1 on tcp://0.0.0.0:51717 in the last 1s: "
                + "--max-connections-per-ip 100 reached (raise it, or 0 for no limit)"), lines);
        assertEquals(List.of(LOG), loggers);
    }

    @Test
    void whileRefusalsGoOnThereIsOneLinePerIntervalAndNoRefusalIsLost() throws Exception {
        RefusalCounter c = perIp();
        InetAddress from = ip("192.0.2.7");
        List<Long> lineTimes = new ArrayList<>();
        long refused = 0;
        // 95 s of refusals, 5 per second, looked at every second
        for (int second = 1; second <= 95; second++) {
            for (int i = 0; i < 5; i++) {
                c.record(from);
                refused++;
            }
            int before = lines.size();
            tick(1);
            if (lines.size() > before) {
                lineTimes.add((long) second);
            }
        }
        assertEquals(List.of(1L, 11L, 21L, 31L, 41L, 51L, 61L, 71L, 81L, 91L), lineTimes,
                "the first at once, then one every 10 s, never more often");
        assertEquals("refused 5 connections from 192.0.2.7 on tcp://0.0.0.0:51717 in the last 1s: "
                + "--max-connections-per-ip 100 reached (raise it, or 0 for no limit)", lines.get(0));
        for (String line : lines.subList(1, lines.size())) {
            assertEquals(50, count(line), line);
            assertTrue(line.contains(" in the last 10s: "), line);
        }
        warnings.close(); // the 20 of seconds 92-95 are pending: written at once
        assertEquals(11, lines.size());
        assertTrue(lines.get(10).startsWith("refused 20 connections from 192.0.2.7 "), lines.get(10));
        assertEquals(refused, lines.stream().mapToLong(RefusalWarningsTest::count).sum(), "every refusal is told");
    }

    @Test
    void aLineCoversTheTimeSinceThePreviousLineOrTheLastQuietTick() throws Exception {
        RefusalCounter c = perIp();
        c.record(ip("127.0.0.1"));
        tick(1);
        c.record(ip("127.0.0.1"));
        tick(4); // within the interval: counted, not told
        assertEquals(1, lines.size());
        tick(6);
        assertEquals(2, lines.size());
        assertTrue(lines.get(1).startsWith(
                "refused 1 connection from 127.0.0.1 on tcp://0.0.0.0:51717 in the last 10s: "), lines.get(1));
        tick(100);
        c.record(ip("127.0.0.1"));
        tick(1);
        assertTrue(lines.get(2).contains(" in the last 1s: "), lines.get(2));
    }

    @Test
    void eachLimitAndListenerHasItsOwnLine() throws Exception {
        RefusalCounter perIp = perIp();
        RefusalCounter total = warnings.counter(LOG, LISTENER, "refused", "connection", "--max-connections 10 reached");
        RefusalCounter other = warnings.counter(LOG, "tls://0.0.0.0:8443", "refused", "connection",
                "--max-connections 10 reached");
        perIp.record(ip("10.0.0.1"));
        total.record(ip("10.0.0.2"));
        other.record(ip("10.0.0.3"));
        tick(1);
        assertEquals(List.of(
                "refused 1 connection from 10.0.0.1 on tcp://0.0.0.0:51717 in the last 1s: "
                        + "--max-connections-per-ip 100 reached (raise it, or 0 for no limit)",
                "refused 1 connection from 10.0.0.2 on tcp://0.0.0.0:51717 in the last 1s: "
                        + "--max-connections 10 reached",
                "refused 1 connection from 10.0.0.3 on tls://0.0.0.0:8443 in the last 1s: "
                        + "--max-connections 10 reached"),
                lines);
        other.record(ip("10.0.0.3"));
        tick(3);
        assertEquals(3, lines.size(), "a line of one limit does not let another limit's line out early");
    }

    @Test
    void severalSourcesAreSaidSoAndAMappedAddressReadsAsIpv4() throws Exception {
        RefusalCounter c = perIp();
        c.record(ip("::ffff:198.51.100.1"));
        c.record(ip("198.51.100.2"));
        c.record(null); // a Unix client
        tick(1);
        assertTrue(lines.get(0).startsWith("refused 3 connections from 198.51.100.1 and other addresses on "),
                lines.get(0));
        c.record(null);
        tick(10);
        assertTrue(lines.get(1).startsWith("refused 1 connection on tcp://0.0.0.0:51717 in the last 10s"),
                lines.get(1));
    }

    @Test
    void linesNameTheEndpointTheListenerBound() throws Exception {
        RefusalCounter c = warnings.counter(LOG, "tcp://127.0.0.1:0", "refused", "connection", "x");
        warnings.bound("tcp://127.0.0.1:0", "tcp://127.0.0.1:40123");
        c.record(ip("127.0.0.1"));
        tick(1);
        assertEquals(List.of("refused 1 connection from 127.0.0.1 on tcp://127.0.0.1:40123 in the last 1s: x"), lines);
    }

    @Test
    void closeTellsWhatIsPendingAndNothingElse() throws Exception {
        RefusalCounter c = perIp();
        c.record(ip("127.0.0.1"));
        tick(1);
        c.record(ip("127.0.0.1"));
        c.record(ip("127.0.0.1"));
        tick(2);
        warnings.close();
        warnings.close();
        assertEquals(2, lines.size());
        assertTrue(lines.get(1).startsWith(
                "refused 2 connections from 127.0.0.1 on tcp://0.0.0.0:51717 in the last 2s"), lines.get(1));
    }

    @Test
    void recordingARefusalAllocatesNothing() throws Exception {
        RefusalCounter c = perIp();
        InetAddress a = ip("192.0.2.1");
        InetAddress b = ip("2001:db8::1");
        com.sun.management.ThreadMXBean threads = (com.sun.management.ThreadMXBean) ManagementFactory.getThreadMXBean();
        for (int i = 0; i < 20_000; i++) { // warm up (class loading, JIT)
            c.record((i & 1) == 0 ? a : b);
        }
        long before = threads.getCurrentThreadAllocatedBytes();
        for (int i = 0; i < 100_000; i++) {
            c.record((i & 1) == 0 ? a : b);
        }
        long allocated = threads.getCurrentThreadAllocatedBytes() - before;
        assertTrue(allocated < 4096, "100,000 refusals allocated " + allocated + " bytes");
        tick(1);
        assertEquals(1, lines.size());
    }

    @Test
    void connectionLimitsRefusalsReachTheirLines() throws Exception {
        ConnectionCounter counter = new ConnectionCounter(new ConnectionLimits(3, 2));
        ConnectionLimiter limiter = new ConnectionLimiter(counter,
                new ConnectionLimitWarnings(warnings, LISTENER, counter.limits()));
        List<PeerChannel> open = new ArrayList<>();
        for (String peer : List.of("10.0.0.1", "10.0.0.1", "10.0.0.1", "10.0.0.2", "10.0.0.3", "10.0.0.3")) {
            PeerChannel ch = PeerChannel.from(peer, limiter, new EventRecorder());
            if (ch.isOpen()) {
                open.add(ch);
            }
        }
        assertEquals(3, open.size());
        tick(1);
        assertEquals(List.of(
                "refused 2 connections from 10.0.0.3 on tcp://0.0.0.0:51717 in the last 1s: --max-connections 3 "
                        + "reached (open connections over all stream listeners; raise it, or 0 for no limit)",
                "refused 1 connection from 10.0.0.1 on tcp://0.0.0.0:51717 in the last 1s: "
                        + "--max-connections-per-ip 2 reached (raise it, or 0 for no limit)"), lines);
        assertEquals(LoggerFactory.getLogger(ConnectionLimiter.class), loggers.get(0));
        open.forEach(PeerChannel::close);
    }

    @Test
    void otherClosesAreNotWarnedAbout() {
        ConnectionLimitWarnings w = new ConnectionLimitWarnings(warnings, LISTENER, ConnectionLimits.defaults());
        PeerChannel ch = PeerChannel.from("10.0.0.1");
        for (CloseReason reason : CloseReason.values()) {
            if (reason != CloseReason.MAX_CONNECTIONS && reason != CloseReason.MAX_CONNECTIONS_PER_IP) {
                w.closing(reason, ch);
            }
        }
        tick(20);
        assertEquals(List.of(), lines);
        ch.close();
    }

    @Test
    void theUdpGuardsRateAndRatioDropsReachTheirLines() throws Exception {
        ReflectionGuardWarnings w = new ReflectionGuardWarnings(warnings, "udp://0.0.0.0:51717",
                ReflectionGuardSettings.defaults());
        InetSocketAddress sender = new InetSocketAddress("203.0.113.9", 40000);
        for (int i = 0; i < 250; i++) {
            w.dropped(DropReason.RATE_LIMITED, sender);
        }
        w.dropped(DropReason.RATIO_EXCEEDED, sender);
        for (DropReason ignored : List.of(DropReason.NOT_ALLOWED, DropReason.SOURCE_PORT_ZERO,
                DropReason.PRIVILEGED_PORT, DropReason.BROADCAST_OR_MULTICAST)) {
            w.dropped(ignored, sender);
        }
        tick(1);
        assertEquals(List.of(
                "dropped 250 datagrams from 203.0.113.9 on udp://0.0.0.0:51717 in the last 1s: the UDP guard's "
                        + "per-source rate reached: --udp-rate 100 replies/s with --udp-burst 200, and 1024 KiB/s of "
                        + "replies, per source address (raise them; on a network where no source can be forged, "
                        + "--no-udp-guard turns the guard off)",
                "dropped 1 datagram from 203.0.113.9 on udp://0.0.0.0:51717 in the last 1s: the UDP guard's "
                        + "reply/request byte ratio reached: replies to a source may carry at most 2x the bytes it "
                        + "sent, plus 4096 bytes refilling at 64 B/s (short requests with longer acks run into it; "
                        + "on a network where no source can be forged, --no-udp-guard turns the guard off)"),
                lines);
        assertFalse(lines.stream().anyMatch(l -> l.contains("not_allowed")));
    }
}
