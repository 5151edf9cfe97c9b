package io.echoack.server.service;

import static java.nio.charset.StandardCharsets.US_ASCII;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.echoack.common.endpoint.Endpoint;
import io.echoack.common.testing.TestPki;
import io.echoack.common.tls.TlsProvider;
import io.echoack.common.transport.Transport;
import io.echoack.server.testing.ChildProcess;
import io.echoack.server.testing.ProxyHeaders;
import io.echoack.server.testing.ServerProcess;
import io.echoack.server.testing.TlsClients;
import java.io.IOException;
import java.io.InputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.SocketException;
import java.net.StandardProtocolFamily;
import java.net.UnixDomainSocketAddress;
import java.nio.ByteBuffer;
import java.nio.channels.SocketChannel;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.function.Predicate;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import javax.net.ssl.SNIHostName;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLParameters;
import javax.net.ssl.SSLSocket;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * {@code --connection-log json} on a real server process, over real loopback sockets: the line a client's
 * close, reset, idle timeout, refusal by a limit and the server's shutdown each leave on stdout (TCP and Unix,
 * on the native transports and on NIO), the client behind a PROXY header and a refused header, and TLS's
 * version and SNI (on both TLS providers).
 */
@Timeout(value = 120, unit = TimeUnit.SECONDS)
class ConnectionLogIT {

    /** A line is due when the connection closes; this leaves a wide margin for a busy machine. */
    private static final Duration LINE_WITHIN = Duration.ofSeconds(20);
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final List<String> KEYS = List.of("listener", "local", "peer", "client", "proxy", "tls_version",
            "sni", "opened", "closed", "duration_ms", "messages_received", "bytes_received", "messages_sent",
            "bytes_sent", "end");

    @TempDir
    static Path dir;

    static TestPki pki;

    @BeforeAll
    static void certificates() throws Exception {
        pki = TestPki.create(dir.resolve("pki"));
    }

    private static int port(ChildProcess server, String scheme) {
        Matcher m = Pattern.compile("listening on " + scheme + "://127\\.0\\.0\\.1:(\\d+)")
                .matcher(server.stderrText());
        assertTrue(m.find(), server::toString);
        return Integer.parseInt(m.group(1));
    }

    private static Socket connect(int port) throws IOException {
        return connect(port, "127.0.0.1");
    }

    /** A connection from {@code source} (any 127.x.y.z: Linux's loopback takes them all). */
    private static Socket connect(int port, String source) throws IOException {
        Socket s = new Socket();
        s.bind(new InetSocketAddress(source, 0));
        s.connect(new InetSocketAddress("127.0.0.1", port), 10_000);
        s.setSoTimeout(20_000);
        return s;
    }

    private static String exchange(Socket s, String line) throws IOException {
        s.getOutputStream().write((line + "\n").getBytes(US_ASCII));
        s.getOutputStream().flush();
        return readLine(s.getInputStream());
    }

    /** A line, or null at the end of the stream (or a reset). */
    private static String readLine(InputStream in) throws IOException {
        StringBuilder reply = new StringBuilder();
        try {
            for (int b = in.read(); b != '\n'; b = in.read()) {
                if (b < 0) {
                    return null;
                }
                reply.append((char) b);
            }
        } catch (SocketException reset) {
            return null;
        }
        return reply.toString();
    }

    /** The server's stdout so far, as JSON objects: every line must be one, with exactly the documented keys. */
    private static List<JsonNode> lines(ChildProcess server) throws IOException {
        List<JsonNode> lines = new ArrayList<>();
        for (String text : server.stdoutText().lines().toList()) {
            JsonNode line = JSON.readTree(text);
            List<String> keys = new ArrayList<>();
            line.fieldNames().forEachRemaining(keys::add);
            assertEquals(KEYS, keys, text);
            lines.add(line);
        }
        return lines;
    }

    /** Waits (within {@link #LINE_WITHIN}) for the line that {@code which} picks, and returns it. */
    private static JsonNode awaitLine(ChildProcess server, Predicate<JsonNode> which, String what) throws Exception {
        long deadline = System.nanoTime() + LINE_WITHIN.toNanos();
        while (true) {
            for (JsonNode line : lines(server)) {
                if (which.test(line)) {
                    return line;
                }
            }
            if (System.nanoTime() - deadline > 0) {
                throw new AssertionError("no connection log line for " + what + " within " + LINE_WITHIN + "\n"
                        + server);
            }
            TimeUnit.MILLISECONDS.sleep(20);
        }
    }

    /** The line of the TCP connection whose client end was {@code client}. */
    private static JsonNode lineOf(ChildProcess server, InetSocketAddress client) throws Exception {
        String peer = client.getAddress().getHostAddress() + ":" + client.getPort();
        return awaitLine(server, l -> peer.equals(l.get("peer").asText()), peer);
    }

    private static void assertCounts(JsonNode line, long in, long inBytes, long out, long outBytes) {
        assertEquals(List.of(in, inBytes, out, outBytes), List.of(line.get("messages_received").asLong(),
                line.get("bytes_received").asLong(), line.get("messages_sent").asLong(),
                line.get("bytes_sent").asLong()), line.toString());
    }

    /** Opened before closed, and the duration what they say within the clocks' granularity. */
    private static void assertTimes(JsonNode line) {
        Instant opened = Instant.parse(line.get("opened").asText());
        Instant closed = Instant.parse(line.get("closed").asText());
        double millis = line.get("duration_ms").asDouble();
        assertTrue(!closed.isBefore(opened) && millis >= 0, line.toString());
        assertTrue(Math.abs(Duration.between(opened, closed).toMillis() - millis) < 1_000, line.toString());
    }

    @ParameterizedTest
    @EnumSource(value = Transport.class, names = {"EPOLL", "IO_URING", "NIO"})
    void eachWayAStreamConnectionEndsLeavesItsLine(Transport transport) throws Exception {
        assumeTrue(transport.isAvailable(), () -> transport + " is not available here");
        Path socket = dir.resolve(transport.id() + ".sock");
        try (ChildProcess server = ServerProcess.start(List.of("-l", "tcp://127.0.0.1:0", "-l", "unix://" + socket,
                "--transport", transport.id(), "--connection-log", "json", "--idle-timeout", "3s",
                "--max-connections-per-ip", "2"), 2, false)) {
            int port = port(server, "tcp");
            String listener = "tcp://127.0.0.1:" + port;

            InetSocketAddress closedByClient;
            try (Socket s = connect(port)) {
                closedByClient = (InetSocketAddress) s.getLocalSocketAddress();
                assertEquals("I got your message", exchange(s, "hello"));
                s.shutdownOutput();
                assertEquals(null, readLine(s.getInputStream()), "the server closes after the client's FIN");
            }
            JsonNode fin = lineOf(server, closedByClient);
            assertEquals(listener, fin.get("listener").asText());
            assertEquals("127.0.0.1:" + port, fin.get("local").asText());
            assertEquals(fin.get("peer"), fin.get("client"), "no PROXY header: the client is the peer");
            assertTrue(fin.get("proxy").isNull() && fin.get("tls_version").isNull() && fin.get("sni").isNull(),
                    fin.toString());
            assertCounts(fin, 1, 6, 1, 19);
            assertTimes(fin);
            assertEquals("client_fin", fin.get("end").asText());

            InetSocketAddress reset;
            try (Socket s = connect(port)) {
                reset = (InetSocketAddress) s.getLocalSocketAddress();
                assertEquals("I got your message", exchange(s, "x"));
                s.setSoLinger(true, 0); // close() sends a reset
            }
            JsonNode resetLine = lineOf(server, reset);
            assertCounts(resetLine, 1, 2, 1, 19);
            assertEquals("client_reset", resetLine.get("end").asText());

            // From an address of their own, so that the limit's count is theirs alone.
            List<InetSocketAddress> admitted = new ArrayList<>();
            try (Socket a = connect(port, "127.0.0.2")) {
                assertEquals("I got your message", exchange(a, "a")); // admitted: the next one may be refused
                admitted.add((InetSocketAddress) a.getLocalSocketAddress());
                try (Socket b = connect(port, "127.0.0.2")) {
                    assertEquals("I got your message", exchange(b, "b"));
                    admitted.add((InetSocketAddress) b.getLocalSocketAddress());
                    try (Socket refused = connect(port, "127.0.0.2")) {
                        assertEquals(null, exchange(refused, "c"), "the third connection from one address is closed");
                        JsonNode limit = lineOf(server, (InetSocketAddress) refused.getLocalSocketAddress());
                        assertEquals("127.0.0.2", limit.get("peer").asText().split(":")[0]);
                        assertCounts(limit, 0, 0, 0, 0);
                        assertEquals("max_connections_per_ip", limit.get("end").asText());
                    }
                }
            }
            for (InetSocketAddress admittedClient : admitted) {
                assertEquals("client_fin", lineOf(server, admittedClient).get("end").asText());
            }

            InetSocketAddress idle;
            long idleStart = System.nanoTime();
            try (Socket s = connect(port)) {
                idle = (InetSocketAddress) s.getLocalSocketAddress();
                assertEquals(null, readLine(s.getInputStream()), "the server closes an idle connection");
            }
            long idleMillis = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - idleStart);
            JsonNode idleLine = lineOf(server, idle);
            assertEquals("idle_timeout", idleLine.get("end").asText());
            assertTrue(idleLine.get("duration_ms").asDouble() >= 3_000, idleLine.toString());
            assertTrue(idleMillis >= 3_000, "closed after " + idleMillis + " ms");

            try (SocketChannel unix = SocketChannel.open(StandardProtocolFamily.UNIX)) {
                unix.connect(UnixDomainSocketAddress.of(socket));
                unix.write(ByteBuffer.wrap("unix\n".getBytes(US_ASCII)));
                unix.shutdownOutput();
                ByteBuffer reply = ByteBuffer.allocate(64);
                while (unix.read(reply) >= 0) {
                    assertTrue(reply.hasRemaining(), "more than the reply came back");
                }
                assertEquals("I got your message\n", new String(reply.array(), 0, reply.position(), US_ASCII));
            }
            JsonNode unixLine = awaitLine(server, l -> l.get("listener").asText().startsWith("unix://"), "unix");
            assertEquals("unix://" + socket, unixLine.get("listener").asText());
            assertEquals(socket.toString(), unixLine.get("local").asText());
            assertTrue(unixLine.get("peer").isNull(), "an unnamed Unix client: " + unixLine);
            assertCounts(unixLine, 1, 5, 1, 19);
            assertEquals("client_fin", unixLine.get("end").asText());

            InetSocketAddress drained;
            try (Socket s = connect(port)) {
                drained = (InetSocketAddress) s.getLocalSocketAddress();
                assertEquals("I got your message", exchange(s, "last"));
                server.terminate();
                assertEquals(null, readLine(s.getInputStream()), "the drain ends the stream after the replies");
            }
            ChildProcess.Result stopped = server.awaitExit(Duration.ofSeconds(30));
            assertEquals(0, stopped.exitCode(), stopped::toString);
            assertEquals("drain", lineOf(server, drained).get("end").asText());
            assertEquals(8, lines(server).size(), "one line per connection, nothing else: " + stopped);
            assertEquals(List.of(), ServerProcess.problems(stopped.stderr()).stream()
                    .filter(problem -> !problem.contains("--max-connections-per-ip 2 reached")) // the refusal
                    .filter(problem -> !problem.contains("closes Unix stream connections when the client shuts down"))
                    .toList());
        }
    }

    @Test
    void behindABalancerTheClientIsThePROXYHeadersSourceAndARefusedHeaderSaysWhy() throws Exception {
        try (ChildProcess server = ServerProcess.start(List.of("-l", "tcp://127.0.0.1:0?proxy=v1",
                "--trusted-proxy", "127.0.0.2/32", "--connection-log", "json"), 1, false)) {
            int port = port(server, "tcp");

            InetSocketAddress balancer;
            try (Socket s = connect(port, "127.0.0.2")) {
                balancer = (InetSocketAddress) s.getLocalSocketAddress();
                s.getOutputStream().write(ProxyHeaders.v1("203.0.113.7", 5000));
                assertEquals("I got your message", exchange(s, "hello"));
                s.shutdownOutput();
                assertEquals(null, readLine(s.getInputStream()));
            }
            JsonNode proxied = lineOf(server, balancer);
            assertEquals("203.0.113.7:5000", proxied.get("client").asText());
            assertEquals("v1", proxied.get("proxy").asText());
            assertCounts(proxied, 1, 6, 1, 19);
            assertEquals("client_fin", proxied.get("end").asText());

            InetSocketAddress malformed;
            try (Socket s = connect(port, "127.0.0.2")) {
                malformed = (InetSocketAddress) s.getLocalSocketAddress();
                assertEquals(null, exchange(s, "PROXY TCP4 203.0.113.777 192.0.2.80 5000 7\r"));
            }
            JsonNode invalid = lineOf(server, malformed);
            assertEquals(invalid.get("peer"), invalid.get("client"), "no header accepted: " + invalid);
            assertEquals("proxy_invalid", invalid.get("end").asText());

            InetSocketAddress stranger;
            try (Socket s = connect(port)) {
                stranger = (InetSocketAddress) s.getLocalSocketAddress();
                assertEquals(null, exchange(s, "hello"), "no header is believed from outside --trusted-proxy");
            }
            assertEquals("proxy_untrusted", lineOf(server, stranger).get("end").asText());
        }
    }

    @ParameterizedTest
    @EnumSource(value = TlsProvider.class, names = {"JDK", "OPENSSL"})
    void aTlsConnectionsLineHasItsVersionAndTheNameTheClientAskedFor(TlsProvider provider) throws Exception {
        assumeTrue(provider.isAvailable(),
                () -> provider + " is not available here: " + provider.unavailabilityCause());
        try (ChildProcess server = ServerProcess.start(List.of("-l", "tls://127.0.0.1:0", "--tls-cert",
                pki.serverCert().toString(), "--tls-key", pki.serverKey().toString(), "--tls-provider", provider.id(),
                "--connection-log", "json"), 1, false)) {
            int port = port(server, "tls");
            Endpoint endpoint = Endpoint.parse("tls://127.0.0.1:" + port);
            SSLContext context = TlsClients.context(pki.caCert(), null, null);

            InetSocketAddress client;
            try (Socket tcp = TlsClients.tcp(endpoint)) {
                client = (InetSocketAddress) tcp.getLocalSocketAddress();
                SSLSocket tls = (SSLSocket) context.getSocketFactory().createSocket(tcp, "127.0.0.1", port, true);
                SSLParameters parameters = tls.getSSLParameters();
                parameters.setServerNames(List.of(new SNIHostName("echo.test")));
                tls.setSSLParameters(parameters);
                tls.startHandshake();
                assertEquals("I got your message", exchange(tls, "hello"));
                tls.close(); // close_notify, then the TCP close
            }
            JsonNode line = lineOf(server, client);
            assertEquals("tls://127.0.0.1:" + port, line.get("listener").asText());
            assertEquals("echo.test", line.get("sni").asText());
            assertEquals("TLSv1.3", line.get("tls_version").asText());
            assertCounts(line, 1, 6, 1, 19);
            assertEquals("client_fin", line.get("end").asText());

            InetSocketAddress plaintext;
            try (Socket s = connect(port)) {
                plaintext = (InetSocketAddress) s.getLocalSocketAddress();
                s.getOutputStream().write("hello\n".getBytes(US_ASCII));
                try {
                    s.getInputStream().readAllBytes(); // an alert, perhaps, then the end: plaintext is refused
                } catch (SocketException reset) {
                    // the end as well
                }
            }
            JsonNode refused = lineOf(server, plaintext);
            assertEquals("tls_handshake_failed", refused.get("end").asText());
            assertTrue(refused.get("tls_version").isNull() && refused.get("sni").isNull(), refused.toString());
            assertCounts(refused, 0, 0, 0, 0);
        }
    }
}
