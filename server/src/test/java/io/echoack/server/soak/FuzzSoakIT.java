package io.echoack.server.soak;

import static java.nio.charset.StandardCharsets.US_ASCII;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTimeoutPreemptively;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import com.sun.management.UnixOperatingSystemMXBean;
import io.echoack.common.codec.Framing;
import io.echoack.common.codec.ReplyMode;
import io.echoack.common.endpoint.Endpoint;
import io.echoack.common.endpoint.EndpointKind;
import io.echoack.common.testing.LeakGuard;
import io.echoack.server.EchoAckServer;
import io.echoack.server.RunningServer;
import io.echoack.server.config.ServerConfig;
import io.echoack.server.limits.ConnectionLimits;
import io.echoack.server.limits.Timeouts;
import io.echoack.server.listener.ListenerSpec;
import io.echoack.server.testing.ReplyModel;
import io.echoack.server.testing.Tools;
import io.netty.buffer.ByteBufAllocator;
import io.netty.buffer.ByteBufAllocatorMetric;
import io.netty.buffer.ByteBufAllocatorMetricProvider;
import io.netty.util.ResourceLeakDetector;
import io.netty.util.internal.PlatformDependent;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.lang.management.ManagementFactory;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.SocketAddress;
import java.net.StandardProtocolFamily;
import java.net.UnixDomainSocketAddress;
import java.nio.ByteBuffer;
import java.nio.channels.DatagramChannel;
import java.nio.channels.SocketChannel;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.TreeMap;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * The socket-level fuzz/soak test: about a thousand concurrent TCP and Unix stream connections,
 * each doing random valid and invalid things (see {@link Plans}), plus UDP datagrams of random sizes, for a
 * bounded time against one in-process server with paranoid leak detection. Every reply on a connection that
 * was not deliberately broken must be the right one, in order; the server must close exactly the connections
 * it has reason to close (idle, slowloris, oversized length frames), not earlier than its timeouts. After
 * the run the server must still answer correctly on every listener, hold no connection, have no unexpected
 * error in its metrics, be back near the heap and buffer memory it started with, and Netty must report no
 * leaked buffer.
 *
 * <p>System properties: {@value #SECONDS_PROPERTY} (default 60, at most {@value #MAX_SECONDS}),
 * {@value #SEED_PROPERTY} (default random; printed, so that a failing run's plans can be replayed), and
 * {@value #CONNECTIONS_PROPERTY} (default 1000; lowered to fit the file descriptor limit).
 */
@Timeout(value = 30, unit = TimeUnit.MINUTES) // a backstop only: the run bounds itself (see run)
class FuzzSoakIT {

    static final String SECONDS_PROPERTY = "echoack.soak.seconds";
    static final String SEED_PROPERTY = "echoack.soak.seed";
    static final String CONNECTIONS_PROPERTY = "echoack.soak.connections";
    static final int MAX_SECONDS = 1200;

    private static final int MAX_FRAME = 4096;
    /**
     * Short, so that idle and slowloris connections are closed within a run, yet far above any pause of a
     * well-behaved connection (about a second at most), with room for a busy 2-core machine.
     */
    private static final Duration IDLE_TIMEOUT = Duration.ofSeconds(10);
    private static final Duration FRAME_TIMEOUT = Duration.ofSeconds(6);
    /** Open connections finish their plans within this after the run (the longest waits are 30 s). */
    private static final Duration DRAIN = Duration.ofSeconds(60);
    private static final long MEMORY_SLACK_BYTES = 64L * 1024 * 1024;
    /** File descriptors kept free for everything else in this JVM (jars, listeners, other tests' leftovers). */
    private static final int FD_RESERVE = 300;

    @TempDir
    Path dir;

    @Test
    void aThousandConnectionsDoingAnythingLeaveTheServerCorrectAndClean() throws Exception {
        assertEquals(ResourceLeakDetector.Level.PARANOID, ResourceLeakDetector.getLevel(),
                "run with -Dio.netty.leakDetection.level=paranoid (failsafe sets it)");
        assertTrue(LeakGuard.isInstalled(), "the leak guard records Netty's leak reports");
        int seconds = Integer.getInteger(SECONDS_PROPERTY, 60);
        assertTrue(seconds >= 1 && seconds <= MAX_SECONDS, SECONDS_PROPERTY + " must be 1.." + MAX_SECONDS
                + " (failsafe kills a fork after 30 minutes)");
        long seed = Long.getLong(SEED_PROPERTY, new SecureRandom().nextLong());
        int connections = connectionsWithinFdLimit(Integer.getInteger(CONNECTIONS_PROPERTY, 1000));
        System.out.printf("FuzzSoakIT: seed %d (repeat with -D%s=%d), %d s, %d connections%n", seed, SEED_PROPERTY,
                seed, seconds, connections);
        // Bounded: the run, the drain, and a few minutes for the checks around them.
        assertTimeoutPreemptively(Duration.ofSeconds(seconds).plus(DRAIN).plusMinutes(4),
                () -> soak(seconds, seed, connections), () -> "soak run did not finish in time (seed " + seed + ")");
    }

    /**
     * 1,000 client and 1,000 server sockets live in this one process: lower the count when the descriptor
     * limit cannot hold them, and skip when it cannot even hold a hundred.
     */
    private static int connectionsWithinFdLimit(int wanted) {
        if (!(ManagementFactory.getOperatingSystemMXBean() instanceof UnixOperatingSystemMXBean os)) {
            return wanted;
        }
        long free = os.getMaxFileDescriptorCount() - os.getOpenFileDescriptorCount() - FD_RESERVE;
        long fit = free / 2; // a client socket and a server socket each
        assumeTrue(fit >= 100, () -> "the file descriptor limit (ulimit -n " + os.getMaxFileDescriptorCount()
                + ", " + os.getOpenFileDescriptorCount() + " open) cannot hold 100 connections at both ends");
        if (fit < wanted) {
            System.out.printf("FuzzSoakIT: ulimit -n is %d (%d open): %d connections instead of %d%n",
                    os.getMaxFileDescriptorCount(), os.getOpenFileDescriptorCount(), fit, wanted);
            return (int) fit;
        }
        return wanted;
    }

    private void soak(int seconds, long seed, int connections) throws Exception {
        Path lineSocket = Tools.socketPath(dir, "line.sock");
        Path lengthSocket = Tools.socketPath(dir, "length.sock");
        ServerConfig config = ServerConfig.defaults()
                .withListen("tcp://127.0.0.1:0?mode=echo&framing=line", "tcp://127.0.0.1:0?mode=ack&framing=length",
                        "unix://" + lineSocket + "?mode=ack&framing=line",
                        "unix://" + lengthSocket + "?mode=echo&framing=length", "udp://127.0.0.1:0?mode=echo")
                .withMaxFrameLength(MAX_FRAME)
                .withLimits(new ConnectionLimits(4 * connections + 100, 4 * connections + 100))
                .withTimeouts(new Timeouts(IDLE_TIMEOUT, FRAME_TIMEOUT))
                .withDrainTimeout(Duration.ofSeconds(2));
        SoakStats stats = new SoakStats();
        Memory start;
        Memory end;
        long runMillis;
        try (RunningServer server = EchoAckServer.start(config)) {
            List<Target> targets = new ArrayList<>();
            SocketAddress udp = null;
            for (Endpoint e : server.boundEndpoints()) {
                ListenerSpec spec = config.listenerSpec(e);
                if (e.kind() == EndpointKind.UDP) {
                    udp = new InetSocketAddress(e.host(), e.port());
                    continue;
                }
                boolean unix = e.kind() == EndpointKind.UNIX;
                targets.add(new Target((unix ? "unix " : "tcp ") + spec.framing() + " " + spec.mode(),
                        unix ? UnixDomainSocketAddress.of(e.path()) : new InetSocketAddress(e.host(), e.port()), unix,
                        spec.framing(), spec.mode(), server.transport().transport().supportsHalfClosure(e.kind())));
            }
            freshClientsGetCorrectReplies(targets, udp, config); // also warms up before the baseline
            start = Memory.measure();

            long t0 = System.nanoTime();
            new FuzzDriver(targets, udp, connections, new Plans(MAX_FRAME, IDLE_TIMEOUT.toMillis(),
                    FRAME_TIMEOUT.toMillis(), config.ackText()), MAX_FRAME, config.ackText(), new Random(seed), stats)
                    .run(TimeUnit.SECONDS.toNanos(seconds), DRAIN.toNanos());
            runMillis = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - t0);

            Map<String, Double> metricsAfterRun = metrics(server);
            printSummary(seed, seconds, runMillis, connections, stats, server, metricsAfterRun);
            assertTrue(stats.failureCount == 0, () -> stats.failureCount + " failure(s) in the soak run (seed " + seed
                    + "), the first ones:\n  " + String.join("\n  ", stats.failures));

            freshClientsGetCorrectReplies(targets, udp, config);
            long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
            while (server.openConnections() > 0 && System.nanoTime() < deadline) {
                Thread.sleep(50);
            }
            assertEquals(0, server.openConnections(), "open connections 30 s after every client closed");

            Map<String, Double> metrics = metrics(server);
            assertEquals(0, sum(metrics, "echoack_errors_total", "kind=\"unexpected\""), () -> "unexpected errors "
                    + "on the server (see its WARN log lines), seed " + seed);
            assertEquals(stats.serverCloses.getOrDefault("idle_timeout", 0L),
                    (long) sum(metrics, "echoack_connections_closed_total", "reason=\"idle_timeout\""),
                    "the idle timeout closed exactly the silent connections");
            assertEquals(stats.serverCloses.getOrDefault("frame_timeout", 0L),
                    (long) sum(metrics, "echoack_connections_closed_total", "reason=\"frame_timeout\""),
                    "the frame timeout closed exactly the connections left mid-message");
            assertEquals(0, sum(metrics, "echoack_connections_closed_total", "reason=\"max_connections"),
                    "no connection was refused");

            end = Memory.measure();
            System.out.printf("FuzzSoakIT: heap after GC %d MiB at the start, %d MiB at the end; Netty direct memory "
                    + "%d KiB -> %d KiB; %s used %d KiB -> %d KiB%n", mib(start.heap), mib(end.heap),
                    start.nettyDirect / 1024, end.nettyDirect / 1024, start.allocator, start.allocatorUsed / 1024,
                    end.allocatorUsed / 1024);
            assertExercised(stats);
            // UDP may lose datagrams on the way in (the receive buffer of a busy server overflows), but every
            // datagram the server read must have been echoed, and the echoes must have come back.
            double udpRead = sum(metrics, "echoack_messages_received_total", "endpoint=\"udp:");
            double udpEchoed = sum(metrics, "echoack_messages_sent_total", "endpoint=\"udp:");
            assertEquals(udpRead, udpEchoed, "every datagram read was echoed");
            assertEquals(0, sum(metrics, "echoack_datagrams_dropped_total", "endpoint=\"udp:"),
                    "no datagram from loopback is refused by the reflection guard");
            long freshDatagrams = 2; // one before and one after the run
            assertTrue(stats.datagramsVerified > 0 && stats.datagramsVerified >= 0.9 * (udpEchoed - freshDatagrams),
                    () -> stats.datagramsVerified + " echoes verified of " + (udpEchoed - freshDatagrams) + " sent by "
                            + "the server (" + stats.datagramsSent + " datagrams sent to it)");
            assertTrue(end.heap <= start.heap + MEMORY_SLACK_BYTES, () -> "heap after GC grew from "
                    + mib(start.heap) + " to " + mib(end.heap) + " MiB");
            if (start.nettyDirect >= 0) {
                assertTrue(end.nettyDirect <= start.nettyDirect + MEMORY_SLACK_BYTES, () -> "Netty's direct memory "
                        + "grew from " + mib(start.nettyDirect) + " to " + mib(end.nettyDirect) + " MiB");
            }
            assertTrue(end.allocatorUsed <= start.allocatorUsed + MEMORY_SLACK_BYTES, () -> "the allocator's memory "
                    + "grew from " + mib(start.allocatorUsed) + " to " + mib(end.allocatorUsed) + " MiB");
        }
        List<String> leaks = LeakGuard.collect(); // GC, then new allocations make the detectors report
        assertEquals(List.of(), leaks, "Netty leak reports after the soak run (seed " + seed + ")");
    }

    /** Each action kind ran, and the server closed for each reason, unless the run was too short to expect it. */
    private static void assertExercised(SoakStats stats) {
        assertTrue(stats.repliesVerified > 0, "replies were checked");
        if (stats.actionTotal() < 5_000) {
            System.out.println("FuzzSoakIT: a short run; not requiring every action to have happened");
            return;
        }
        for (String action : Plans.ALL) {
            assertTrue(stats.actionCount(action) > 0, () -> "never exercised: " + action + " " + stats.actions);
        }
        for (String reason : List.of("idle_timeout", "frame_timeout", "frame_too_long")) {
            assertTrue(stats.serverCloses.getOrDefault(reason, 0L) > 0, () -> "no server close for " + reason);
        }
        assertTrue(stats.cleanHalfCloses > 0, "half-closes were answered in full");
    }

    /** A new client on every listener gets exactly the expected reply. */
    private static void freshClientsGetCorrectReplies(List<Target> targets, SocketAddress udp, ServerConfig config)
            throws IOException {
        for (Target t : targets) {
            ByteArrayOutputStream expected = new ByteArrayOutputStream();
            ReplyModel model = new ReplyModel(t.framing(), t.mode(), MAX_FRAME, config.ackText(), expected::writeBytes);
            byte[] request = t.framing() == Framing.LINE ? Framing.LINE.frame("fresh client on " + t)
                    : Framing.LENGTH.frame(("fresh client on " + t).getBytes(US_ASCII));
            model.sent(request);
            byte[] want = expected.toByteArray();
            assertTrue(want.length > 0);
            if (t.mode() == ReplyMode.ACK) {
                assertArrayEquals(t.framing().frame(config.ackText()), want);
            } else {
                assertArrayEquals(request, want);
            }
            try (SocketChannel ch = t.unix() ? SocketChannel.open(StandardProtocolFamily.UNIX) : SocketChannel.open()) {
                ch.connect(t.address());
                ch.write(ByteBuffer.wrap(request));
                ByteBuffer got = ByteBuffer.allocate(want.length);
                readFully(ch, got, t);
                assertArrayEquals(want, got.array(), "fresh client on " + t);
            }
        }
        try (DatagramChannel ch = DatagramChannel.open(StandardProtocolFamily.INET)) {
            ch.bind(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0)).connect(udp);
            byte[] datagram = "fresh datagram".getBytes(US_ASCII);
            ch.configureBlocking(false);
            ch.write(ByteBuffer.wrap(datagram));
            ByteBuffer got = ByteBuffer.allocate(64);
            long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
            while (ch.receive(got) == null) {
                assertTrue(System.nanoTime() < deadline, "no UDP echo within 10 s");
                sleep(5);
            }
            got.flip();
            byte[] echo = new byte[got.remaining()];
            got.get(echo);
            assertArrayEquals(datagram, echo, "fresh UDP client");
        }
    }

    private static void readFully(SocketChannel ch, ByteBuffer into, Target t) throws IOException {
        ch.configureBlocking(false);
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
        while (into.hasRemaining()) {
            int n = ch.read(into);
            assertTrue(n >= 0, () -> "fresh client on " + t + ": connection closed after " + into.position()
                    + " bytes");
            assertTrue(System.nanoTime() < deadline, () -> "fresh client on " + t + ": no full reply within 10 s");
            if (n == 0) {
                sleep(5);
            }
        }
    }

    private static void sleep(long millis) {
        try {
            Thread.sleep(millis);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new AssertionError("interrupted", e);
        }
    }

    private static Map<String, Double> metrics(RunningServer server) throws IOException {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        server.metrics().writeTo(out);
        Map<String, Double> samples = new TreeMap<>();
        for (String line : out.toString(US_ASCII).split("\n")) {
            if (!line.isEmpty() && !line.startsWith("#")) {
                int space = line.lastIndexOf(' ');
                samples.put(line.substring(0, space), Double.parseDouble(line.substring(space + 1)));
            }
        }
        return samples;
    }

    /** The sum of the series of {@code metric} whose labels contain {@code label}. */
    private static double sum(Map<String, Double> samples, String metric, String label) {
        return samples.entrySet().stream()
                .filter(e -> e.getKey().startsWith(metric + "{") && e.getKey().contains(label))
                .mapToDouble(Map.Entry::getValue).sum();
    }

    /** Heap in use after a full GC, and the buffer memory Netty holds. */
    private record Memory(long heap, long nettyDirect, long allocatorUsed, String allocator) {
        static Memory measure() throws InterruptedException {
            for (int i = 0; i < 3; i++) {
                System.gc();
                Thread.sleep(100);
            }
            long heap = ManagementFactory.getMemoryMXBean().getHeapMemoryUsage().getUsed();
            long allocatorUsed = -1;
            ByteBufAllocator alloc = ByteBufAllocator.DEFAULT;
            if (alloc instanceof ByteBufAllocatorMetricProvider provider) {
                ByteBufAllocatorMetric m = provider.metric();
                allocatorUsed = m.usedDirectMemory() + m.usedHeapMemory();
            }
            return new Memory(heap, PlatformDependent.usedDirectMemory(), allocatorUsed,
                    alloc.getClass().getSimpleName());
        }
    }

    private static long mib(long bytes) {
        return bytes / (1024 * 1024);
    }

    private static void printSummary(long seed, int seconds, long runMillis, int connections, SoakStats s,
                                     RunningServer server, Map<String, Double> metrics) {
        StringBuilder sb = new StringBuilder();
        sb.append(String.format("FuzzSoakIT summary: seed %d, %d s asked, %.1f s run (with drain), %s transport%n",
                seed, seconds, runMillis / 1000.0, server.transport().transport()));
        sb.append(String.format("  connections: %d opened (%d Unix connects deferred: accept queue full), %d at "
                + "once at most (target %d); driver lag at most %d ms%n", s.connectionsOpened, s.connectsDeferred,
                s.peakConcurrent, connections, TimeUnit.NANOSECONDS.toMillis(s.maxSweepGapNanos)));
        sb.append(String.format("  CPU: driver thread %.1f s, whole process %.1f s%n", s.driverCpuNanos / 1e9,
                ((com.sun.management.OperatingSystemMXBean) ManagementFactory.getOperatingSystemMXBean())
                        .getProcessCpuTime() / 1e9));
        sb.append(String.format("  actions: %d%n", s.actionTotal()));
        s.actions.forEach((k, v) -> sb.append(String.format("    %-36s %8d%n", k, v)));
        sb.append(String.format("  replies verified: %d (%d bytes, %d bytes sent); clean half-closes %d%n",
                s.repliesVerified, s.bytesVerified, s.bytesSent, s.cleanHalfCloses));
        sb.append(String.format("  server closes the client expected: %s%n", s.serverCloses));
        sb.append("  server metrics:");
        metrics.forEach((k, v) -> {
            boolean udp = k.contains("endpoint=\"udp:") && (k.startsWith("echoack_messages_")
                    || k.startsWith("echoack_datagrams_dropped_total"));
            if ((k.startsWith("echoack_connections_closed_total") || k.startsWith("echoack_errors_total") || udp)
                    && v > 0) {
                sb.append(String.format("%n    %s %.0f", k, v));
            }
        });
        long read = (long) sum(metrics, "echoack_messages_received_total", "endpoint=\"udp:") - 1; // - fresh client
        sb.append(String.format("%n  datagrams: %d sent (%d over --max-frame), %d read by the server (the rest were "
                + "lost on the way in), %d echoes verified (%d bytes), %d unanswered%n", s.datagramsSent,
                s.datagramsOverMaxFrame, read, s.datagramsVerified, s.datagramBytesVerified, s.datagramsUnanswered));
        if (s.failureCount > 0) {
            sb.append(String.format("  FAILURES: %d%n", s.failureCount));
        }
        System.out.print(sb);
    }
}
