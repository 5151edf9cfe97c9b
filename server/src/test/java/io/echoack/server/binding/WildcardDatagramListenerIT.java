package io.echoack.server.binding;

import static java.nio.charset.StandardCharsets.US_ASCII;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import io.echoack.common.endpoint.Endpoint;
import io.echoack.common.testing.TestTransports;
import io.echoack.common.transport.Transport;
import io.echoack.server.config.ServerConfig;
import io.echoack.server.limits.ReflectionGuardSettings;
import io.echoack.server.limits.RefusalWarnings;
import io.echoack.server.metrics.ServerMetrics;
import io.echoack.server.startup.ServerStartException;
import io.echoack.server.testing.Tools;
import io.netty.channel.EventLoopGroup;
import io.netty.channel.MultiThreadIoEventLoopGroup;
import io.netty.channel.group.DefaultChannelGroup;
import io.netty.util.concurrent.GlobalEventExecutor;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.net.DatagramPacket;
import java.net.DatagramSocket;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.PortUnreachableException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * A wildcard UDP endpoint as one socket per local address, on loopback addresses (127.0.0.1-3, ::1) that a fake
 * address list hands out: the same port everywhere, a reply from the address each request was sent to (the
 * clients here connect their sockets, so they take no other), addresses followed as they come and go, one
 * reflection guard for them all, and a taken port reported with the address.
 */
@Timeout(value = 60, unit = TimeUnit.SECONDS)
class WildcardDatagramListenerIT {

    private static final InetAddress V4_1 = address("127.0.0.1");
    private static final InetAddress V4_2 = address("127.0.0.2");
    private static final InetAddress V4_3 = address("127.0.0.3");
    private static final int TIMEOUT_MILLIS = 5_000;
    private static final String ACK = "Got your message";

    static Stream<Transport> transports() {
        return TestTransports.available(Transport.EPOLL, Transport.IO_URING, Transport.NIO);
    }

    @BeforeAll
    static void assumeLoopbackRange() {
        // Linux answers on all of 127.0.0.0/8; other systems only on the addresses configured.
        try (DatagramSocket probe = new DatagramSocket(new InetSocketAddress(V4_3, 0))) {
            assumeTrue(probe.isBound());
        } catch (IOException e) {
            assumeTrue(false, "127.0.0.3 cannot be bound here: " + e.getMessage());
        }
    }

    @ParameterizedTest
    @MethodSource("transports")
    void everyAddressAnswersFromItselfOnOnePort(Transport transport) throws Exception {
        try (Fixture f = new Fixture(transport, ServerConfig.defaults(), V4_1, V4_2, V4_3)) {
            WildcardDatagramListener listener = f.bind("udp://0.0.0.0:0");
            int port = port(listener);
            assertTrue(port > 0);
            assertEquals(List.of(at(V4_1, port), at(V4_2, port), at(V4_3, port)), listener.boundAddresses());
            for (InetAddress a : List.of(V4_1, V4_2, V4_3)) {
                assertEquals(ACK, askConnected(at(a, port)), "reply from " + a);
            }
        }
    }

    @ParameterizedTest
    @MethodSource("transports")
    void anIpv6WildcardAnswersOnIpv4AndIpv6AddressesAlike(Transport transport) throws Exception {
        Tools.assumeIpv6Loopback();
        InetAddress v6 = address("::1");
        try (Fixture f = new Fixture(transport, ServerConfig.defaults(), V4_1, v6)) {
            WildcardDatagramListener listener = f.bind("udp://[::]:0");
            int port = port(listener);
            assertEquals(List.of(at(V4_1, port), at(v6, port)), listener.boundAddresses());
            assertEquals(ACK, askConnected(at(V4_1, port)));
            assertEquals(ACK, askConnected(at(v6, port)));
        }
    }

    @ParameterizedTest
    @MethodSource("transports")
    void anIpv4WildcardTakesOnlyIpv4Addresses(Transport transport) throws Exception {
        try (Fixture f = new Fixture(transport, ServerConfig.defaults(), V4_1, address("::1"))) {
            WildcardDatagramListener listener = f.bind("udp://0.0.0.0:0");
            assertEquals(List.of(at(V4_1, port(listener))), listener.boundAddresses());
        }
    }

    @ParameterizedTest
    @MethodSource("transports")
    void addressesThatComeAndGoAreFollowedOnTheSamePort(Transport transport) throws Exception {
        try (Fixture f = new Fixture(transport, ServerConfig.defaults(), V4_1, V4_2)) {
            WildcardDatagramListener listener = f.bind("udp://0.0.0.0:0");
            int port = port(listener);

            f.addresses(V4_1, V4_3);
            f.watch.scan();

            assertEquals(List.of(at(V4_1, port), at(V4_3, port)), listener.boundAddresses());
            assertEquals(ACK, askConnected(at(V4_3, port)));
            assertEquals(ACK, askConnected(at(V4_1, port)));
            // No socket on 127.0.0.2 any more: the kernel answers with ICMP port unreachable.
            assertThrows(PortUnreachableException.class, () -> askConnected(at(V4_2, port)));

            f.addresses(V4_1, V4_2, V4_3);
            f.watch.scan();
            assertEquals(ACK, askConnected(at(V4_2, port)), "an address that comes back is answered again");
        }
    }

    @ParameterizedTest
    @MethodSource("transports")
    void aPortTakenOnOneAddressFailsTheStartNamingItAndLeavesNothingBound(Transport transport) throws Exception {
        try (DatagramSocket holder = new DatagramSocket(new InetSocketAddress(V4_2, 0));
             Fixture f = new Fixture(transport, ServerConfig.defaults(), V4_1, V4_2, V4_3)) {
            int port = holder.getLocalPort();
            ServerStartException e = assertThrows(ServerStartException.class, () -> f.bind("udp://0.0.0.0:" + port));
            assertEquals("cannot listen on udp://0.0.0.0:" + port + ": address already in use on 127.0.0.2",
                    e.getMessage());
            assertTrue(bindableSoon(at(V4_1, port)), "the socket bound on 127.0.0.1 before the failure was closed");
        }
    }

    @ParameterizedTest
    @MethodSource("transports")
    void anAddressWhosePortIsTakenIsBoundOnceItIsFree(Transport transport) throws Exception {
        try (Fixture f = new Fixture(transport, ServerConfig.defaults(), V4_1)) {
            WildcardDatagramListener listener = f.bind("udp://0.0.0.0:0");
            int port = port(listener);
            f.addresses(V4_1, V4_3);
            try (DatagramSocket holder = new DatagramSocket(new InetSocketAddress(V4_3, port))) {
                f.watch.scan();
                assertEquals(List.of(at(V4_1, port)), listener.boundAddresses());
                assertEquals(ACK, askConnected(at(V4_1, port)), "the other addresses still answer");
            }
            f.watch.scan();
            assertEquals(List.of(at(V4_1, port), at(V4_3, port)), listener.boundAddresses());
            assertEquals(ACK, askConnected(at(V4_3, port)));
        }
    }

    @ParameterizedTest
    @MethodSource("transports")
    void oneReflectionGuardCoversEveryAddressOfTheEndpoint(Transport transport) throws Exception {
        // Two replies per source in all (the burst), refilled at one a second: a third request within the test
        // is dropped if, and only if, the addresses share one guard.
        ReflectionGuardSettings d = ReflectionGuardSettings.defaults();
        ReflectionGuardSettings twoReplies = new ReflectionGuardSettings(true, Set.of(), 1, 2, d.bytesPerSecond(),
                d.burstBytes(), d.replyRatio(), d.ratioBurstBytes(), d.ratioRefillBytesPerSecond(), d.maxSources(),
                false, Set.of());
        try (Fixture f = new Fixture(transport, ServerConfig.defaults().withUdpGuard(twoReplies), V4_1, V4_2)) {
            WildcardDatagramListener listener = f.bind("udp://0.0.0.0:0");
            int port = port(listener);
            // Both clients send from 127.0.0.1 (the kernel's source for all of 127.0.0.0/8): one source.
            try (DatagramSocket first = connected(at(V4_1, port)); DatagramSocket second = connected(at(V4_2, port))) {
                send(first);
                send(first);
                send(second);
                long deadline = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(TIMEOUT_MILLIS);
                String drops = "";
                while (System.nanoTime() < deadline && !drops.contains("} 1.0")) {
                    drops = f.metricLine("echoack_datagrams_dropped_total{endpoint=\"udp://0.0.0.0:0\","
                            + "reason=\"rate_limited\"}");
                    Thread.sleep(20);
                }
                String all = f.metrics();
                assertTrue(drops.endsWith("} 1.0"), () -> "expected one of the three requests dropped, by the one "
                        + "guard of the endpoint; metrics: " + all);
            }
        }
    }

    @Test
    void closingStopsFollowingAndClosesEverySocket() throws Exception {
        try (Fixture f = new Fixture(Transport.NIO, ServerConfig.defaults(), V4_1, V4_2)) {
            WildcardDatagramListener listener = f.bind("udp://0.0.0.0:0");
            int port = port(listener);
            listener.close();
            assertEquals(List.of(), listener.boundAddresses());
            listener.follow(Set.of(V4_1, V4_2, V4_3)); // a late round binds nothing
            assertEquals(List.of(), listener.boundAddresses());
            assertTrue(bindableSoon(at(V4_1, port)) && bindableSoon(at(V4_2, port)), "every socket was closed");
            listener.close(); // again: nothing happens
        }
    }

    /** A binder on its own event loops, whose host has the addresses the test says, listed only when asked. */
    private static final class Fixture implements AutoCloseable {
        final EventLoopGroup group;
        final ServerMetrics metrics = new ServerMetrics();
        final RefusalWarnings warnings = new RefusalWarnings();
        final AddressWatch watch;
        final ServerConfig config;
        private volatile Set<InetAddress> addresses;
        private final List<WildcardDatagramListener> bound = new ArrayList<>();

        Fixture(Transport transport, ServerConfig config, InetAddress... addresses) {
            this.config = config.withTransport(transport);
            this.group = new MultiThreadIoEventLoopGroup(2, transport.ioHandlerFactory());
            addresses(addresses);
            // Rounds run when the test calls scan(); the watch's own schedule is far beyond the test.
            this.watch = new AddressWatch(() -> this.addresses, Duration.ofHours(1));
        }

        void addresses(InetAddress... now) {
            addresses = new LinkedHashSet<>(List.of(now));
        }

        WildcardDatagramListener bind(String endpoint) throws ServerStartException {
            ListenerContexts contexts = new ListenerContexts(config, metrics, null,
                    new DefaultChannelGroup(GlobalEventExecutor.INSTANCE), null, warnings);
            ListenerBinder binder = new ListenerBinder(config, config.transport(), group, watch);
            BoundListener listener = binder.bind(contexts.forEndpoint(Endpoint.parse(endpoint)));
            bound.add((WildcardDatagramListener) listener);
            return (WildcardDatagramListener) listener;
        }

        String metrics() throws IOException {
            ByteArrayOutputStream out = new ByteArrayOutputStream();
            metrics.writeTo(out);
            return out.toString(US_ASCII);
        }

        String metricLine(String prefix) throws IOException {
            return metrics().lines().filter(l -> l.startsWith(prefix)).findFirst().orElse("");
        }

        @Override
        public void close() {
            bound.forEach(WildcardDatagramListener::close);
            warnings.close();
            group.shutdownGracefully(0, 1, TimeUnit.SECONDS).awaitUninterruptibly();
        }
    }

    /**
     * Whether {@code address} can be bound within a second: a closed NIO channel's socket is released by its
     * selector's next round, a moment after the close completes.
     */
    private static boolean bindableSoon(InetSocketAddress address) throws InterruptedException {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(1);
        while (true) {
            try (DatagramSocket probe = new DatagramSocket(address)) {
                return probe.isBound();
            } catch (IOException e) {
                if (System.nanoTime() > deadline) {
                    return false;
                }
                Thread.sleep(10);
            }
        }
    }

    private static int port(WildcardDatagramListener listener) {
        return ((InetSocketAddress) listener.localAddress()).getPort();
    }

    /** Sends to {@code server} from a connected socket (which takes replies from there only); the reply's text. */
    private static String askConnected(InetSocketAddress server) throws IOException {
        try (DatagramSocket client = connected(server)) {
            send(client);
            DatagramPacket reply = new DatagramPacket(new byte[64], 64);
            client.receive(reply);
            return new String(reply.getData(), 0, reply.getLength(), US_ASCII);
        }
    }

    private static DatagramSocket connected(InetSocketAddress server) throws IOException {
        DatagramSocket client = new DatagramSocket();
        client.setSoTimeout(TIMEOUT_MILLIS);
        client.connect(server);
        return client;
    }

    private static void send(DatagramSocket client) throws IOException {
        byte[] hello = "hello".getBytes(US_ASCII);
        client.send(new DatagramPacket(hello, hello.length));
    }

    private static InetSocketAddress at(InetAddress address, int port) {
        return new InetSocketAddress(address, port);
    }

    private static InetAddress address(String literal) {
        try {
            return InetAddress.getByName(literal);
        } catch (IOException e) {
            throw new IllegalArgumentException(literal, e);
        }
    }
}
