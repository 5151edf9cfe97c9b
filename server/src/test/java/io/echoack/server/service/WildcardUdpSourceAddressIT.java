package io.echoack.server.service;

import static java.nio.charset.StandardCharsets.US_ASCII;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import io.echoack.common.endpoint.EndpointKind;
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
import java.util.concurrent.ThreadLocalRandom;
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

    private static final String SUFFIX = ProcessHandle.current().pid() + "-"
            + Integer.toHexString(ThreadLocalRandom.current().nextInt());
    private static final String SERVER_NS = "echoack-udpsrc-" + SUFFIX;
    private static final String CLIENT_NS = "echoack-udpcli-" + SUFFIX;
    private static final List<String> created = new ArrayList<>();
    private static String nc;

    static Stream<Transport> transports() {
        return TestTransports.available(Transport.EPOLL, Transport.IO_URING, Transport.NIO);
    }

    @BeforeAll
    static void makeTheHosts() throws Exception {
        assumeTrue(Tools.find("ip").isPresent(), "needs iproute2's ip (apt-get install iproute2)");
        assumeTrue(isRoot(), "needs root to make network namespaces (ip netns)");
        nc = Tools.openBsdNetcat();
        ChildProcess.Result made = ChildProcess.run(List.of("ip", "netns", "add", SERVER_NS), new byte[0],
                COMMAND_TIMEOUT);
        if (made.exitCode() != 0) {
            String why = "cannot make a network namespace here: " + made.stderr().strip();
            if ("true".equals(System.getenv("CI"))) {
                fail(why + " (a CI run as root must run this test)");
            }
            assumeTrue(false, why);
        }
        created.add(SERVER_NS);
        ip("netns", "add", CLIENT_NS);
        created.add(CLIENT_NS);
        ip("-n", SERVER_NS, "link", "add", "v0", "type", "veth", "peer", "name", "v1", "netns", CLIENT_NS);
        for (String ns : List.of(SERVER_NS, CLIENT_NS)) {
            ip("-n", ns, "link", "set", "lo", "up");
        }
        ip("-n", SERVER_NS, "link", "set", "v0", "up");
        ip("-n", CLIENT_NS, "link", "set", "v1", "up");
        for (String a : V4) {
            ip("-n", SERVER_NS, "addr", "add", a + "/24", "dev", "v0");
        }
        for (String a : V6) {
            ip("-n", SERVER_NS, "addr", "add", a + "/64", "dev", "v0", "nodad");
        }
        ip("-n", CLIENT_NS, "addr", "add", "198.18.0.100/24", "dev", "v1");
        ip("-n", CLIENT_NS, "addr", "add", "2001:db8::100/64", "dev", "v1", "nodad");
    }

    @AfterAll
    static void removeTheHosts() throws Exception {
        // Removing a namespace removes its end of the veth pair, and so the pair.
        for (String ns : created) {
            ChildProcess.run(List.of("ip", "netns", "delete", ns), new byte[0], COMMAND_TIMEOUT);
        }
        created.clear();
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
                ip("-n", SERVER_NS, "addr", "add", V4_ADDED + "/24", "dev", "v0");
                ip("-n", SERVER_NS, "addr", "add", V6_ADDED + "/64", "dev", "v0", "nodad");
                assertAnsweredSoon(V4_ADDED, v4Port, server);
                assertAnsweredSoon(V6_ADDED, v6Port, server);

                ip("-n", SERVER_NS, "addr", "del", V4[1] + "/24", "dev", "v0");
                assertTrue(server.awaitStderr("udp://0.0.0.0:" + v4Port + " no longer answers on " + V4[1],
                        FOLLOW_TIMEOUT), server::toString);
                ip("-n", SERVER_NS, "addr", "add", V4[1] + "/24", "dev", "v0");
                assertAnsweredSoon(V4[1], v4Port, server);
                assertEquals(ACK, ask(V4[0], v4Port), server::toString);
            } finally {
                ChildProcess.run(List.of("ip", "-n", SERVER_NS, "addr", "add", V4[1] + "/24", "dev", "v0"),
                        new byte[0], COMMAND_TIMEOUT); // fails harmlessly when it is there
                ChildProcess.run(List.of("ip", "-n", SERVER_NS, "addr", "del", V4_ADDED + "/24", "dev", "v0"),
                        new byte[0], COMMAND_TIMEOUT);
                ChildProcess.run(List.of("ip", "-n", SERVER_NS, "addr", "del", V6_ADDED + "/64", "dev", "v0"),
                        new byte[0], COMMAND_TIMEOUT);
            }
            stopCleanly(server);
        }
    }

    /** The server in the server namespace, on {@code v4Endpoint} and {@code udp://[::]:0}. */
    private static ChildProcess startServer(String v4Endpoint, String... flags)
            throws IOException, InterruptedException {
        List<String> command = new ArrayList<>(List.of("ip", "netns", "exec", SERVER_NS, Tools.java(),
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
        try (ChildProcess client = ChildProcess.start(List.of("ip", "netns", "exec", CLIENT_NS, nc, "-u", "-w2",
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

    private static void ip(String... args) throws IOException, InterruptedException {
        List<String> command = new ArrayList<>(List.of("ip"));
        command.addAll(List.of(args));
        ChildProcess.Result result = ChildProcess.run(command, new byte[0], COMMAND_TIMEOUT);
        assertEquals(0, result.exitCode(), () -> String.join(" ", command) + "\n" + result);
    }

    private static boolean isRoot() throws IOException, InterruptedException {
        ChildProcess.Result id = ChildProcess.run(List.of("id", "-u"), new byte[0], COMMAND_TIMEOUT);
        return id.exitCode() == 0 && id.stdoutText().strip().equals("0");
    }
}
