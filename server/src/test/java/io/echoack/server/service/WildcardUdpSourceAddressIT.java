package io.echoack.server.service;

import static java.nio.charset.StandardCharsets.US_ASCII;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import io.echoack.common.endpoint.EndpointKind;
import io.echoack.common.testing.NamedNetworkNamespaces;
import io.echoack.common.testing.TestTransports;
import io.echoack.common.transport.Transport;
import io.echoack.server.config.ServerConfig;
import io.echoack.server.testing.ChildProcess;
import io.echoack.server.testing.ServerProcess;
import io.echoack.server.testing.Tools;
import java.io.IOException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * A host with two addresses per family, as a network namespace made here: the server runs in it with wildcard UDP
 * endpoints, and a client in a second namespace, joined to it by a veth pair, connects its UDP socket
 * ({@code nc -u}) to one address or the other. The kernel gives a connected socket only datagrams from the
 * address it connected to, so a reply leaving from the host's other address (the route's source, as a wildcard
 * socket's replies do) never reaches it. Addresses are from the benchmarking and documentation ranges
 * (198.18.0.0/15, 2001:db8::/32), inside namespaces that nothing leaves.
 *
 * <p>Needs root and iproute2's {@code ip} (skipped without, failed on a CI run as root, which must run it).
 */
@Timeout(180)
class WildcardUdpSourceAddressIT {

    private static final String[] V4 = {"198.18.0.1", "198.18.0.2"};
    private static final String[] V6 = {"2001:db8::1", "2001:db8::2"};
    private static final String V4_ADDED = "198.18.0.3";
    private static final String V6_ADDED = "2001:db8::3";
    private static final String ACK = "Got your message";
    private static final Duration REPLY_TIMEOUT = Duration.ofSeconds(5);
    /** A new address is bound within the address watch's 2 s interval; this leaves room for a busy machine. */
    private static final Duration FOLLOW_TIMEOUT = Duration.ofSeconds(30);
    private static final Duration STOP_TIMEOUT = Duration.ofSeconds(20);
    private static final Duration COMMAND_TIMEOUT = Duration.ofSeconds(20);
    private static final Pattern V4_PORT = Pattern.compile("listening on udp://0\\.0\\.0\\.0:(\\d+)");
    private static final Pattern V6_PORT = Pattern.compile("listening on udp://\\[::]:(\\d+)");

    private static NamedNetworkNamespaces hosts;
    private static String serverNs;
    private static String clientNs;
    private static String nc;

    static Stream<Transport> transports() {
        return TestTransports.available(Transport.EPOLL, Transport.IO_URING, Transport.NIO);
    }

    @BeforeAll
    static void makeTheHosts() {
        nc = Tools.openBsdNetcat();
        hosts = NamedNetworkNamespaces.create("udpsrc", "server", "client");
        serverNs = hosts.name("server");
        clientNs = hosts.name("client");
        hosts.veth("server", "v0", "client", "v1");
        for (String a : V4) {
            ip("-n", serverNs, "addr", "add", a + "/24", "dev", "v0");
        }
        for (String a : V6) {
            ip("-n", serverNs, "addr", "add", a + "/64", "dev", "v0", "nodad");
        }
        ip("-n", clientNs, "addr", "add", "198.18.0.100/24", "dev", "v1");
        ip("-n", clientNs, "addr", "add", "2001:db8::100/64", "dev", "v1", "nodad");
    }

    @AfterAll
    static void removeTheHosts() {
        if (hosts != null) {
            hosts.close(); // ends what still runs in them; removing a namespace removes its end of the veth pair
        }
    }

    @ParameterizedTest
    @MethodSource("transports")
    void aConnectedClientOfEitherAddressIsAnsweredFromIt(Transport transport) throws Exception {
        try (ChildProcess server = startServer("udp://0.0.0.0:0", "--transport", transport.id())) {
            int v4Port = port(server, V4_PORT);
            int v6Port = port(server, V6_PORT);
            for (String address : V4) {
                assertEquals(ACK, ask(address, v4Port), () -> "udp://0.0.0.0 via " + address + "\n" + server);
                assertEquals(ACK, ask(address, v6Port), () -> "udp://[::] via " + address + "\n" + server);
            }
            for (String address : V6) {
                assertEquals(ACK, ask(address, v6Port), () -> "udp://[::] via " + address + "\n" + server);
            }
            stopCleanly(server);
        }
    }

    @Test
    void addressesAddedAndRemovedWhileItRunsAreFollowed() throws Exception {
        // The default UDP endpoint, fixed port and all: this namespace has no other program to collide with.
        String defaultUdp = ServerConfig.DEFAULT_LISTEN.stream().filter(e -> e.kind() == EndpointKind.UDP)
                .findFirst().orElseThrow().address();
        try (ChildProcess server = startServer(defaultUdp)) {
            int v4Port = port(server, V4_PORT);
            int v6Port = port(server, V6_PORT);
            try {
                ip("-n", serverNs, "addr", "add", V4_ADDED + "/24", "dev", "v0");
                ip("-n", serverNs, "addr", "add", V6_ADDED + "/64", "dev", "v0", "nodad");
                assertAnsweredSoon(V4_ADDED, v4Port, server);
                assertAnsweredSoon(V6_ADDED, v6Port, server);

                ip("-n", serverNs, "addr", "del", V4[1] + "/24", "dev", "v0");
                assertTrue(server.awaitStderr("udp://0.0.0.0:" + v4Port + " no longer answers on " + V4[1],
                        FOLLOW_TIMEOUT), server::toString);
                ip("-n", serverNs, "addr", "add", V4[1] + "/24", "dev", "v0");
                assertAnsweredSoon(V4[1], v4Port, server);
                assertEquals(ACK, ask(V4[0], v4Port), server::toString);
            } finally {
                ChildProcess.run(List.of("ip", "-n", serverNs, "addr", "add", V4[1] + "/24", "dev", "v0"),
                        new byte[0], COMMAND_TIMEOUT); // fails harmlessly when it is there
                ChildProcess.run(List.of("ip", "-n", serverNs, "addr", "del", V4_ADDED + "/24", "dev", "v0"),
                        new byte[0], COMMAND_TIMEOUT);
                ChildProcess.run(List.of("ip", "-n", serverNs, "addr", "del", V6_ADDED + "/64", "dev", "v0"),
                        new byte[0], COMMAND_TIMEOUT);
            }
            stopCleanly(server);
        }
    }

    /** The server in the server namespace, on {@code v4Endpoint} and {@code udp://[::]:0}. */
    private static ChildProcess startServer(String v4Endpoint, String... flags)
            throws IOException, InterruptedException {
        List<String> command = new ArrayList<>(List.of("ip", "netns", "exec", serverNs, Tools.java(),
                "-Dio.netty.leakDetection.level=paranoid", "-jar", Tools.serverJar(),
                "-l", v4Endpoint, "-l", "udp://[::]:0"));
        command.addAll(List.of(flags));
        ChildProcess server = ChildProcess.startWithout(command, name -> name.startsWith("ECHOACK_"));
        boolean listening = server.awaitStderr(err -> V4_PORT.matcher(err).find() && V6_PORT.matcher(err).find(),
                ServerProcess.STARTUP_TIMEOUT);
        if (!listening) {
            server.close();
            fail("the server did not start listening\n" + server);
        }
        return server;
    }

    private static int port(ChildProcess server, Pattern pattern) {
        Matcher m = pattern.matcher(server.stderrText());
        assertTrue(m.find(), server::toString);
        return Integer.parseInt(m.group(1));
    }

    /** What a connected UDP client in the client namespace receives for one line sent to {@code address}. */
    private static String ask(String address, int port) throws Exception {
        try (ChildProcess client = ChildProcess.start(List.of("ip", "netns", "exec", clientNs, nc, "-u", "-w2",
                address, Integer.toString(port)))) {
            client.write("hello\n".getBytes(US_ASCII), false);
            client.awaitStdoutBytes(ACK.length(), REPLY_TIMEOUT);
            return new String(client.stdoutBytes(), US_ASCII);
        }
    }

    private static void assertAnsweredSoon(String address, int port, ChildProcess server) throws Exception {
        long deadline = System.nanoTime() + FOLLOW_TIMEOUT.toNanos();
        String reply;
        do {
            reply = ask(address, port);
        } while (!reply.equals(ACK) && System.nanoTime() < deadline);
        assertEquals(ACK, reply, () -> address + " was not answered within " + FOLLOW_TIMEOUT + "\n" + server);
    }

    private static void stopCleanly(ChildProcess server) throws InterruptedException {
        server.terminate();
        ChildProcess.Result stopped = server.awaitExit(STOP_TIMEOUT);
        assertEquals(0, stopped.exitCode(), stopped::toString);
        assertEquals(List.of(), ServerProcess.problems(stopped.stderr()), stopped::toString);
    }

    private static void ip(String... args) {
        hosts.ip(args);
    }
}
