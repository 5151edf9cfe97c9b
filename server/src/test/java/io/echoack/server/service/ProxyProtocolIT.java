package io.echoack.server.service;

import static java.nio.charset.StandardCharsets.US_ASCII;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.read.ListAppender;

import io.echoack.common.endpoint.Endpoint;
import io.echoack.common.testing.TestPki;
import io.echoack.common.testing.TestTransports;
import io.echoack.common.transport.Transport;
import io.echoack.server.EchoAckServer;
import io.echoack.server.RunningServer;
import io.echoack.server.access.SourceFilter;
import io.echoack.server.config.AdminEndpoint;
import io.echoack.server.config.ServerConfig;
import io.echoack.server.limits.ConnectionLimits;
import io.echoack.server.proxy.header.ProxyHeaderHandler;
import io.echoack.server.proxy.header.ProxySettings;
import io.echoack.server.proxy.header.TrustedProxies;
import io.echoack.server.testing.ProxyHeaders;
import io.echoack.server.testing.TlsClients;
import io.echoack.server.tls.TlsSettings;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.SocketException;
import java.net.StandardProtocolFamily;
import java.net.URI;
import java.net.UnixDomainSocketAddress;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.ByteBuffer;
import java.nio.channels.SocketChannel;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLSocket;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;
import org.slf4j.LoggerFactory;

/**
 * PROXY protocol listeners over real sockets on loopback (TCP, TLS and Unix), with the headers a load balancer
 * sends written by hand before the client's bytes: the header's source is the client for {@code --allow} and
 * the per-address limit, and every refusal closes the connection and shows in {@code /metrics}.
 */
@Timeout(value = 120, unit = TimeUnit.SECONDS)
class ProxyProtocolIT {

    private static final String ACK = "I got your message\n";
    /** Wide: how long a refused connection may take to close, or a count to show, on a busy machine. */
    private static final Duration WITHIN = Duration.ofSeconds(20);

    @TempDir
    static Path dir;

    static TestPki pki;
    static SSLContext trusting;

    private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();

    @BeforeAll
    static void certificates() throws Exception {
        pki = TestPki.create(dir.resolve("pki"));
        trusting = TlsClients.context(pki.caCert(), null, null);
    }

    static Stream<Transport> transports() {
        return TestTransports.available();
    }

    /** A server on {@code transport} with an admin endpoint, trusting PROXY headers from {@code trusted}. */
    private static ServerConfig.Builder config(Transport transport, List<String> trusted, String... listen) {
        return ServerConfig.defaults().toBuilder().transport(transport).threads(2)
                .listen(Arrays.stream(listen).map(Endpoint::parse).toList())
                .proxy(ProxySettings.defaults().withTrustedProxies(TrustedProxies.parse(trusted)))
                .admin(Optional.of(AdminEndpoint.parse("http://127.0.0.1:0")));
    }

    private static Socket connect(Endpoint endpoint) throws IOException {
        Socket s = new Socket();
        s.connect(new InetSocketAddress(endpoint.host(), endpoint.port()), 5_000);
        s.setSoTimeout((int) WITHIN.toMillis());
        return s;
    }

    private static byte[] bytes(byte[] header, String data) {
        byte[] d = data.getBytes(US_ASCII);
        byte[] all = Arrays.copyOf(header, header.length + d.length);
        System.arraycopy(d, 0, all, header.length, d.length);
        return all;
    }

    /** Sends {@code bytes} and reads one ack; null when the server closed the connection instead. */
    private static String send(Socket s, byte[] bytes) throws IOException {
        try {
            s.getOutputStream().write(bytes);
            s.getOutputStream().flush();
            byte[] reply = s.getInputStream().readNBytes(ACK.length());
            return reply.length == ACK.length() ? new String(reply, US_ASCII) : null;
        } catch (SocketException reset) {
            return null;
        }
    }

    /** True when the server closed {@code s} (end of stream or a reset) within {@link #WITHIN}. */
    private static boolean closedByServer(Socket s) throws IOException {
        try {
            return s.getInputStream().read() < 0;
        } catch (SocketException reset) {
            return true;
        }
    }

    private Map<String, Double> metrics(RunningServer server) throws Exception {
        URI uri = URI.create("http://127.0.0.1:" + server.adminEndpoint().orElseThrow().port() + "/metrics");
        HttpResponse<String> response = http.send(HttpRequest.newBuilder(uri).timeout(Duration.ofSeconds(5)).GET()
                .build(), HttpResponse.BodyHandlers.ofString());
        assertEquals(200, response.statusCode());
        return AdminEndpointIT.samples(response.body());
    }

    /** Waits (within {@link #WITHIN}) for {@code series} in {@code /metrics} to reach {@code expected}. */
    private void awaitMetric(RunningServer server, String series, double expected) throws Exception {
        long deadline = System.nanoTime() + WITHIN.toNanos();
        Double value = metrics(server).get(series);
        while ((value == null || value != expected) && System.nanoTime() < deadline) {
            Thread.sleep(20);
            value = metrics(server).get(series);
        }
        assertEquals(expected, value == null ? 0.0 : value, series + "\n" + metrics(server));
    }

    private static String closed(String endpoint, String reason) {
        return "echoack_connections_closed_total{endpoint=\"" + endpoint + "\",reason=\"" + reason + "\"}";
    }

    @ParameterizedTest
    @MethodSource("transports")
    void headersOnTcpTlsAndUnixMakeTheirSourceTheClientThatAllowChecks(Transport transport) throws Exception {
        Path socket = dir.resolve("p-" + transport.id() + ".sock");
        // --allow takes only the clients the headers name: 127.0.0.1, the balancer here, is outside it
        ServerConfig config = config(transport, List.of("127.0.0.0/8", "unix"), "tcp://127.0.0.1:0?proxy=v1",
                "tls://127.0.0.1:0?proxy=any", "unix://" + socket + "?proxy=v2")
                .allow(SourceFilter.parse(List.of("198.51.100.0/24")))
                .tls(TlsSettings.of(pki.serverCert(), pki.serverKey())).build();
        try (RunningServer server = EchoAckServer.start(config)) {
            Endpoint tcp = server.boundEndpoints().get(0);
            try (Socket s = connect(tcp)) {
                assertEquals(ACK, send(s, bytes(ProxyHeaders.v1("198.51.100.7", 50000), "hello\n")));
                assertEquals(ACK, send(s, "again\n".getBytes(US_ASCII)));
            }
            try (Socket s = connect(tcp)) {
                assertEquals(null, send(s, bytes(ProxyHeaders.v1("203.0.113.5", 50000), "hello\n")),
                        "a client outside --allow, though its balancer is the same");
            }
            awaitMetric(server, closed("tcp://127.0.0.1:0", "not_allowed"), 1);

            Endpoint tls = server.boundEndpoints().get(1);
            try (Socket plain = TlsClients.tcp(tls)) {
                plain.getOutputStream().write(ProxyHeaders.v2("198.51.100.8", 50001));
                try (SSLSocket s = TlsClients.handshake(trusting, plain, tls)) {
                    assertEquals(ACK, send(s, "over tls\n".getBytes(US_ASCII)), "the header comes before the handshake");
                }
            }

            try (SocketChannel unix = SocketChannel.open(StandardProtocolFamily.UNIX)) {
                unix.connect(UnixDomainSocketAddress.of(socket));
                unix.write(ByteBuffer.wrap(bytes(ProxyHeaders.v2("198.51.100.9", 50002), "over unix\n")));
                ByteBuffer reply = ByteBuffer.allocate(ACK.length());
                while (reply.hasRemaining() && unix.read(reply) >= 0) {
                    // the test's timeout bounds this
                }
                assertEquals(ACK, new String(reply.array(), 0, reply.position(), US_ASCII),
                        "a Unix peer, trusted by 'unix', and its client inside --allow");
            }
            awaitMetric(server, "echoack_connections_total{endpoint=\"" + "unix://" + socket + "\"}", 1);
        }
    }

    @ParameterizedTest
    @MethodSource("transports")
    void thePerAddressLimitCountsTheHeadersSourceAndReleasesIt(Transport transport) throws Exception {
        ServerConfig config = config(transport, List.of("127.0.0.0/8"), "tcp://127.0.0.1:0?proxy=v2")
                .limits(new ConnectionLimits(100, 1)).build();
        try (RunningServer server = EchoAckServer.start(config)) {
            Endpoint tcp = server.boundEndpoints().get(0);
            String label = "tcp://127.0.0.1:0";
            try (Socket first = connect(tcp); Socket other = connect(tcp); Socket second = connect(tcp)) {
                assertEquals(ACK, send(first, bytes(ProxyHeaders.v2("198.51.100.1", 50000), "one\n")));
                assertEquals(ACK, send(other, bytes(ProxyHeaders.v2("198.51.100.2", 50000), "two\n")),
                        "another client through the same balancer: the balancer's address is not what is counted");
                assertEquals(null, send(second, bytes(ProxyHeaders.v2("198.51.100.1", 50001), "three\n")),
                        "a second connection of the first client is over its limit of 1");
                awaitMetric(server, closed(label, "max_connections_per_ip"), 1);

                first.close();
                awaitMetric(server, "echoack_connections_open{endpoint=\"" + label + "\"}", 1);
                try (Socket again = connect(tcp)) {
                    assertEquals(ACK, send(again, bytes(ProxyHeaders.v2("198.51.100.1", 50002), "four\n")),
                            "closing gave the client's slot back, exactly as counted");
                }
                assertEquals(ACK, send(other, "still here\n".getBytes(US_ASCII)));
            }
        }
    }

    @ParameterizedTest
    @MethodSource("transports")
    void localHeadersAndOptionalListenersServeTheSocketsOwnAddress(Transport transport) throws Exception {
        ServerConfig config = config(transport, List.of("127.0.0.0/8"), "tcp://127.0.0.1:0?proxy=v2",
                "tcp://127.0.0.1:0?proxy=optional").allow(SourceFilter.parse(List.of("127.0.0.0/8"))).build();
        try (RunningServer server = EchoAckServer.start(config)) {
            Endpoint v2 = server.boundEndpoints().get(0);
            Endpoint optional = server.boundEndpoints().get(1);
            try (Socket s = connect(v2)) {
                assertEquals(ACK, send(s, bytes(ProxyHeaders.v2Local(), "health\n")),
                        "LOCAL: the balancer's own check, its address (inside --allow) the client's");
            }
            try (Socket s = connect(v2)) {
                assertEquals(null, send(s, bytes(ProxyHeaders.v2("198.51.100.7", 50000), "hello\n")),
                        "a proxied client outside --allow");
            }
            try (Socket s = connect(optional)) {
                assertEquals(ACK, send(s, "no header\n".getBytes(US_ASCII)), "a health check without a header");
            }
            try (Socket s = connect(optional)) {
                assertEquals(ACK, send(s, bytes(ProxyHeaders.v1("127.0.0.9", 50000), "with one\n")));
            }
            awaitMetric(server, closed("tcp://127.0.0.1:0", "not_allowed"), 1);
            awaitMetric(server, "echoack_connections_total{endpoint=\"tcp://127.0.0.1:0#2\"}", 2);
        }
    }

    @ParameterizedTest
    @MethodSource("transports")
    void everyRefusalClosesTheConnectionAndIsCountedByReason(Transport transport) throws Exception {
        ServerConfig config = config(transport, List.of("127.0.0.0/8"), "tcp://127.0.0.1:0?proxy=v2")
                .proxy(new ProxySettings(TrustedProxies.parse(List.of("127.0.0.0/8")), Duration.ofMillis(300)))
                .build();
        try (RunningServer server = EchoAckServer.start(config)) {
            Endpoint tcp = server.boundEndpoints().get(0);
            String label = "tcp://127.0.0.1:0";
            try (Socket s = connect(tcp)) {
                assertEquals(null, send(s, bytes(ProxyHeaders.v1("198.51.100.7", 50000), "hello\n")),
                        "a v1 header on a v2 listener");
            }
            byte[] badVersion = ProxyHeaders.v2("198.51.100.7", 50000);
            badVersion[12] = 0x31;
            try (Socket s = connect(tcp)) {
                assertEquals(null, send(s, bytes(badVersion, "hello\n")), "a v2 signature with version 3");
            }
            awaitMetric(server, closed(label, "proxy_invalid"), 2);
            try (Socket s = connect(tcp)) {
                assertEquals(null, send(s, "hello\n".getBytes(US_ASCII)), "no header");
            }
            awaitMetric(server, closed(label, "proxy_missing"), 1);
            try (Socket s = connect(tcp)) {
                s.getOutputStream().write(Arrays.copyOf(ProxyHeaders.v2("198.51.100.7", 50000), 20));
                s.getOutputStream().flush();
                assertTrue(closedByServer(s), "a header that never completes");
            }
            awaitMetric(server, closed(label, "proxy_timeout"), 1);
            try (Socket s = connect(tcp)) {
                assertEquals(ACK, send(s, bytes(ProxyHeaders.v2("198.51.100.7", 50000), "served\n")));
            }
            awaitMetric(server, "echoack_connections_total{endpoint=\"" + label + "\"}", 1);
            assertEquals(1.0, metrics(server).get("echoack_connections_total{endpoint=\"" + label + "\"}"),
                    "the refused connections never reached the rest of the pipeline");
        }
    }

    @ParameterizedTest
    @MethodSource("transports")
    void headersFromOutsideTheTrustedProxiesAreRefused(Transport transport) throws Exception {
        // loopback is not a trusted proxy here: a client there cannot claim to be someone else
        ServerConfig config = config(transport, List.of("192.0.2.0/24"), "tcp://127.0.0.1:0?proxy=v2",
                "tcp://127.0.0.1:0?proxy=optional").build();
        try (RunningServer server = EchoAckServer.start(config)) {
            Endpoint required = server.boundEndpoints().get(0);
            Endpoint optional = server.boundEndpoints().get(1);
            try (Socket s = connect(required)) {
                assertTrue(closedByServer(s), "closed before it sent anything");
            }
            awaitMetric(server, closed("tcp://127.0.0.1:0", "proxy_untrusted"), 1);
            try (Socket s = connect(optional)) {
                assertEquals(ACK, send(s, "direct\n".getBytes(US_ASCII)), "served as a direct client");
            }
            try (Socket s = connect(optional)) {
                assertEquals(null, send(s, bytes(ProxyHeaders.v2("198.51.100.7", 50000), "claiming\n")));
            }
            awaitMetric(server, closed("tcp://127.0.0.1:0#2", "proxy_untrusted"), 1);
        }
    }

    @org.junit.jupiter.api.Test
    void aBalancerTheListenerDisagreesWithShowsAsAWarnLineNamingWhatToChange() throws Exception {
        Logger headerLog = (Logger) LoggerFactory.getLogger(ProxyHeaderHandler.class);
        ListAppender<ILoggingEvent> appender = new ListAppender<>();
        appender.start();
        headerLog.addAppender(appender);
        ServerConfig config = config(Transport.NIO, List.of("127.0.0.0/8"), "tcp://127.0.0.1:0?proxy=v2").build();
        Pattern line;
        try (RunningServer server = EchoAckServer.start(config)) {
            Endpoint tcp = server.boundEndpoints().get(0);
            for (int i = 0; i < 3; i++) {
                try (Socket s = connect(tcp)) {
                    assertEquals(null, send(s, "no header\n".getBytes(US_ASCII)));
                }
            }
            line = Pattern.compile("refused (\\d+) connections? from 127\\.0\\.0\\.1 on "
                    + Pattern.quote(tcp.toString()) + " in the last \\d+s: no PROXY header, and \\?proxy=v2 requires "
                    + "one \\(have the load balancer send it, or \\?proxy=optional serves connections without one\\)");
            long deadline = System.nanoTime() + WITHIN.toNanos();
            while (told(appender, line) == 0 && System.nanoTime() < deadline) {
                Thread.sleep(50);
            }
            assertTrue(told(appender, line) > 0, () -> "no WARN line within " + WITHIN + ": " + appender.list);
        } finally {
            headerLog.detachAppender(appender);
        }
        assertEquals(3, told(appender, line), "every refusal is counted in a line, the last ones at shutdown");
    }

    /** The refusals the WARN lines matching {@code line} count. */
    private static int told(ListAppender<ILoggingEvent> appender, Pattern line) {
        int told = 0;
        for (ILoggingEvent event : List.copyOf(appender.list)) {
            Matcher m = line.matcher(event.getFormattedMessage());
            if (event.getLevel() == Level.WARN && m.find()) {
                told += Integer.parseInt(m.group(1));
            }
        }
        return told;
    }
}
