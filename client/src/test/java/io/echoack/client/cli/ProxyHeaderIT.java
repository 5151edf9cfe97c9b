package io.echoack.client.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import io.echoack.client.testing.CliRun;
import io.echoack.client.testing.ProxyRecordingServer;
import io.echoack.client.testing.ProxyRecordingServer.Header;
import io.echoack.common.testing.Ipv6Loopback;
import io.echoack.common.testing.TestPki;
import io.echoack.common.testing.TestTransports;
import io.echoack.common.transport.Transport;
import io.netty.handler.ssl.SslContextBuilder;
import java.net.InetAddress;
import java.nio.file.Path;
import java.util.HexFormat;
import java.util.List;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * {@code --proxy-header} over real sockets, against a server in the test that requires a PROXY header (Netty's
 * decoder) and records what each connection's header said next to the socket's own peer address.
 */
@Timeout(60)
class ProxyHeaderIT {

    @TempDir
    static Path dir;

    static TestPki pki;

    @BeforeAll
    static void certificates() {
        pki = TestPki.create(dir.resolve("pki"));
    }

    static Stream<Transport> transports() {
        return TestTransports.available();
    }

    @ParameterizedTest
    @MethodSource("transports")
    void v1ByDefaultNamesTheConnectionsOwnAddresses(Transport transport) throws Exception {
        try (ProxyRecordingServer server = ProxyRecordingServer.start("tcp://127.0.0.1:0", null)) {
            CliRun run = CliRun.run("", "send", server.endpoint().address(), "hello", "--proxy-header", "v1",
                    "--transport", transport.id());
            assertEquals(0, run.exitCode(), run.err());
            assertEquals(ProxyRecordingServer.ACK + "\n", run.out());
            Header header = server.next();
            assertEquals("V1", header.version());
            assertEquals("TCP4", header.protocol());
            assertEquals("127.0.0.1", header.source());
            assertEquals(header.peerPort(), header.sourcePort(), "the client's own port: " + header);
            assertEquals("127.0.0.1", header.destination());
            assertEquals(server.endpoint().port(), header.destinationPort());
            assertEquals(List.of(), header.tlvs());
        }
    }

    @Test
    void v2CarriesTheGivenAddressesAndTlvs() throws Exception {
        try (ProxyRecordingServer server = ProxyRecordingServer.start("tcp://127.0.0.1:0", null)) {
            CliRun run = CliRun.run("", "send", server.endpoint().address(), "hello", "--proxy-header", "v2",
                    "--proxy-source", "203.0.113.7:51234", "--proxy-destination", "198.51.100.2:443",
                    "--proxy-tlv", "alpn=h2", "--proxy-tlv", "authority=example.com",
                    "--proxy-tlv", "unique_id=hex:00ff", "--proxy-tlv", "0xE0=text");
            assertEquals(0, run.exitCode(), run.err());
            Header header = server.next();
            assertEquals("V2", header.version());
            assertEquals("TCP4", header.protocol());
            assertEquals("203.0.113.7:51234", header.source() + ":" + header.sourcePort());
            assertEquals("198.51.100.2:443", header.destination() + ":" + header.destinationPort());
            assertEquals(List.of("0x01=" + hex("h2"), "0x02=" + hex("example.com"), "0x05=00ff", "0xE0=" + hex("text")),
                    header.tlvs());
        }
    }

    @Test
    void overIpv6TheHeaderIsTcp6() throws Exception {
        assumeTrue(Ipv6Loopback.isUsable(), "no IPv6 loopback here");
        try (ProxyRecordingServer server = ProxyRecordingServer.start("tcp://[::1]:0", null)) {
            for (String version : List.of("v1", "v2")) {
                CliRun run = CliRun.run("", "send", server.endpoint().address(), "hello", "--proxy-header", version);
                assertEquals(0, run.exitCode(), run.err());
                Header header = server.next();
                assertEquals("TCP6", header.protocol(), version);
                assertEquals(InetAddress.getByName("::1"), InetAddress.getByName(header.source()), version);
                assertEquals(header.peerPort(), header.sourcePort(), version);
                assertEquals(server.endpoint().port(), header.destinationPort(), version);
            }
        }
    }

    @Test
    void onTlsTheHeaderComesBeforeTheHandshake() throws Exception {
        var tls = SslContextBuilder.forServer(pki.serverCert().toFile(), pki.serverKey().toFile()).build();
        try (ProxyRecordingServer server = ProxyRecordingServer.start("tls://127.0.0.1:0", tls)) {
            CliRun run = CliRun.run("", "send", server.endpoint().address(), "hello", "--tls-ca",
                    pki.caCert().toString(), "--proxy-header", "v2", "--proxy-tlv", "authority=localhost");
            assertEquals(0, run.exitCode(), run.err());
            assertEquals(ProxyRecordingServer.ACK + "\n", run.out());
            Header header = server.next();
            assertEquals(header.peerPort(), header.sourcePort());
            assertEquals(List.of("0x02=" + hex("localhost")), header.tlvs());
        }
    }

    @Test
    void onAUnixSocketV2CarriesThePathsOrTheGivenAddresses() throws Exception {
        Path socket = dir.resolve("proxy.sock");
        try (ProxyRecordingServer server = ProxyRecordingServer.start("unix://" + socket, null)) {
            CliRun run = CliRun.run("", "send", server.endpoint().address(), "hello", "--proxy-header", "v2");
            assertEquals(0, run.exitCode(), run.err());
            Header paths = server.next();
            assertEquals("UNIX_STREAM", paths.protocol());
            assertEquals("", paths.source(), "the client's socket has no path");
            assertEquals(socket.toString(), paths.destination());

            run = CliRun.run("", "check", server.endpoint().address(), "--proxy-header", "v1",
                    "--proxy-source", "192.0.2.1:1000", "--proxy-destination", "192.0.2.2:2000");
            assertEquals(0, run.exitCode(), run.err());
            Header given = server.next();
            assertEquals("V1 TCP4 192.0.2.1:1000 192.0.2.2:2000", given.version() + " " + given.protocol() + " "
                    + given.source() + ":" + given.sourcePort() + " " + given.destination() + ":"
                    + given.destinationPort());
        }
    }

    @Test
    void checkSendsOneHeader() throws Exception {
        try (ProxyRecordingServer server = ProxyRecordingServer.start("tcp://127.0.0.1:0", null)) {
            CliRun run = CliRun.run("", "check", server.endpoint().address(), "--proxy-header", "v1", "--expect", "ack");
            assertEquals(0, run.exitCode(), run.err());
            Header header = server.next();
            assertEquals(header.peerPort(), header.sourcePort());
            assertEquals(List.of(), server.drain());
        }
    }

    /** The server in this test is a real check: without a header, it refuses the connection. */
    @Test
    void withoutAHeaderTheServerRefuses() throws Exception {
        try (ProxyRecordingServer server = ProxyRecordingServer.start("tcp://127.0.0.1:0", null)) {
            // Longer than a v1 line can be, so that the decoder gives up at once instead of waiting for its end.
            CliRun run = CliRun.run("", "send", server.endpoint().address(), "not a PROXY header ".repeat(10),
                    "--timeout", "5s");
            assertEquals(ExitCodes.of(io.echoack.client.net.FailureKind.RESET), run.exitCode(), run.err());
            assertEquals("", run.out());
            assertEquals(List.of(), server.drain());
            assertEquals(1, server.refused(1));
        }
    }

    @Test
    void eachBenchConnectionSendsItsOwnHeaderWithItsOwnPort() throws Exception {
        try (ProxyRecordingServer server = ProxyRecordingServer.start("tcp://127.0.0.1:0", null)) {
            CliRun run = CliRun.run("", "bench", server.endpoint().address(), "--proxy-header", "v2",
                    "--proxy-tlv", "unique_id=bench", "-c", "3", "--count", "30", "--warmup", "0", "--quiet");
            assertEquals(0, run.exitCode(), run.err());
            List<Header> headers = List.of(server.next(), server.next(), server.next());
            assertEquals(List.of(), server.drain(), "one header per connection");
            for (Header header : headers) {
                assertEquals(header.peerPort(), header.sourcePort(), header.toString());
                assertEquals(List.of("0x05=" + hex("bench")), header.tlvs());
            }
            assertEquals(3, headers.stream().map(Header::sourcePort).collect(Collectors.toSet()).size());
        }
    }

    @Test
    void connectPerMessageSendsAHeaderOnEveryConnection() throws Exception {
        try (ProxyRecordingServer server = ProxyRecordingServer.start("tcp://127.0.0.1:0", null)) {
            CliRun run = CliRun.run("", "bench", server.endpoint().address(), "--proxy-header", "v1",
                    "--connect-per-message", "-c", "2", "--count", "8", "--warmup", "0", "--quiet");
            assertEquals(0, run.exitCode(), run.err());
            for (int i = 0; i < 8; i++) {
                Header header = server.next();
                assertEquals(header.peerPort(), header.sourcePort(), "each connection's own port: " + header);
            }
            assertEquals(List.of(), server.drain(), "one header per connection, one connection per message");
            assertEquals(0, server.refused());
        }
    }

    private static String hex(String text) {
        return HexFormat.of().formatHex(text.getBytes(java.nio.charset.StandardCharsets.UTF_8));
    }
}
