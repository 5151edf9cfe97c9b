package io.echoack.server.service;

import static java.nio.charset.StandardCharsets.UTF_8;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.echoack.common.endpoint.Endpoint;
import io.echoack.common.info.InfoLine;
import io.echoack.common.testing.TestPki;
import io.echoack.common.testing.TestTransports;
import io.echoack.common.tls.TlsProvider;
import io.echoack.common.transport.Transport;
import io.echoack.server.EchoAckServer;
import io.echoack.server.RunningServer;
import io.echoack.server.config.ServerConfig;
import io.echoack.server.identity.Identity;
import io.echoack.server.limits.ReflectionGuardSettings;
import io.echoack.server.proxy.header.ProxySettings;
import io.echoack.server.proxy.header.TrustedProxies;
import io.echoack.server.testing.ProxyHeaders;
import io.echoack.server.testing.TlsClients;
import io.echoack.server.tls.TlsSettings;
import io.netty.buffer.Unpooled;
import io.netty.handler.codec.haproxy.HAProxyTLV;
import java.io.BufferedReader;
import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.io.InputStreamReader;
import java.net.DatagramPacket;
import java.net.DatagramSocket;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.SocketTimeoutException;
import java.net.StandardProtocolFamily;
import java.net.UnixDomainSocketAddress;
import java.nio.ByteBuffer;
import java.nio.channels.Channels;
import java.nio.channels.SocketChannel;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import javax.net.ssl.SNIHostName;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLParameters;
import javax.net.ssl.SSLSocket;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Identity replies ({@code mode=info}) over real loopback sockets: what each kind of listener reports about a
 * real client, in the formats each framing defaults to, and what the UDP guard lets a tiny probe have.
 */
@Timeout(value = 60, unit = TimeUnit.SECONDS)
class IdentityReplyIT {

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final int TIMEOUT_MILLIS = 5000;

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

    private static RunningServer start(ServerConfig config, String... listen) throws Exception {
        return start(config, TlsSettings.none(), listen);
    }

    private static RunningServer start(ServerConfig config, TlsSettings tls, String... listen) throws Exception {
        return EchoAckServer.start(config.toBuilder().threads(2).tls(tls)
                .listen(Stream.of(listen).map(Endpoint::parse).toList()).build());
    }

    private static ServerConfig identified(Transport transport) {
        return ServerConfig.defaults().withTransport(transport).withIdentity("host=backend-a", "pod=web-1",
                "zone=eu west");
    }

    private static Socket tcp(Endpoint endpoint) throws IOException {
        Socket socket = new Socket();
        socket.connect(new InetSocketAddress(endpoint.host(), endpoint.port()), TIMEOUT_MILLIS);
        socket.setSoTimeout(TIMEOUT_MILLIS);
        return socket;
    }

    /** What every reply says about the server, whatever the listener. */
    private static void assertServer(Map<String, String> reply, RunningServer server, String listener) {
        assertEquals("backend-a", reply.get("host"));
        assertEquals("web-1", reply.get("pod"));
        assertEquals("eu west", reply.get("zone"));
        assertEquals(listener, reply.get("listener"));
        assertEquals(server.transport().transport().id(), reply.get("transport"));
        assertEquals(Identity.serverVersion(), reply.get("version"));
    }

    @ParameterizedTest
    @MethodSource("transports")
    void tcpLinesGetTextLinesNamingBothEndsOfTheSocket(Transport transport) throws Exception {
        try (RunningServer server = start(identified(transport), "tcp://127.0.0.1:0?mode=info");
             Socket socket = tcp(server.boundEndpoints().get(0))) {
            Endpoint bound = server.boundEndpoints().get(0);
            BufferedReader in = new BufferedReader(new InputStreamReader(socket.getInputStream(), UTF_8));
            socket.getOutputStream().write("hello\nagain\n".getBytes(UTF_8));
            Map<String, String> first = InfoLine.parseText(in.readLine());
            Map<String, String> second = InfoLine.parseText(in.readLine());
            assertServer(first, server, "tcp://127.0.0.1:0");
            String client = "127.0.0.1:" + socket.getLocalPort();
            assertEquals("127.0.0.1:" + bound.port(), first.get("local"));
            assertEquals(client, first.get("peer"));
            assertEquals(client, first.get("client"), "no PROXY header: the client is the peer");
            assertEquals("1", first.get("seq"));
            assertEquals("2", second.get("seq"));
            assertEquals(List.of("host", "pod", "zone", "listener", "transport", "local", "peer", "client", "seq",
                    "version"), List.copyOf(first.keySet()));
        }
    }

    @Test
    void tcpLengthFramesGetJsonAndRawReadsGetOneLineEach() throws Exception {
        try (RunningServer server = start(identified(Transport.AUTO), "tcp://127.0.0.1:0?mode=info&framing=length",
                "tcp://127.0.0.1:0?mode=info&framing=raw&format=json")) {
            try (Socket socket = tcp(server.boundEndpoints().get(0))) {
                DataOutputStream out = new DataOutputStream(socket.getOutputStream());
                out.writeInt(2);
                out.write("hi".getBytes(UTF_8));
                out.flush();
                DataInputStream in = new DataInputStream(socket.getInputStream());
                byte[] reply = new byte[in.readInt()];
                in.readFully(reply);
                JsonNode json = JSON.readTree(reply);
                assertEquals("backend-a", json.get("host").asText());
                assertEquals(1, json.get("seq").asInt());
                assertEquals("127.0.0.1:" + socket.getLocalPort(), json.get("client").asText());
            }
            try (Socket socket = tcp(server.boundEndpoints().get(1))) {
                socket.getOutputStream().write("no newline".getBytes(UTF_8));
                BufferedReader in = new BufferedReader(new InputStreamReader(socket.getInputStream(), UTF_8));
                JsonNode json = JSON.readTree(in.readLine());
                assertEquals("tcp://127.0.0.1:0#2", json.get("listener").asText(), "named as in the metrics");
                assertEquals(1, json.get("seq").asInt());
            }
        }
    }

    @Test
    void ipv6ClientsAreWrittenInBrackets() throws Exception {
        try (RunningServer server = start(identified(Transport.AUTO), "tcp://[::1]:0?mode=info")) {
            Endpoint bound = server.boundEndpoints().get(0);
            try (Socket socket = tcp(bound)) {
                socket.getOutputStream().write("hello\n".getBytes(UTF_8));
                Map<String, String> reply = InfoLine.parseText(
                        new BufferedReader(new InputStreamReader(socket.getInputStream(), UTF_8)).readLine());
                assertEquals("[0:0:0:0:0:0:0:1]:" + bound.port(), reply.get("local"));
                assertEquals("[0:0:0:0:0:0:0:1]:" + socket.getLocalPort(), reply.get("peer"));
            }
        } catch (java.net.SocketException e) {
            assumeTrue(false, "no IPv6 loopback here: " + e);
        }
    }

    static Stream<TlsProvider> providers() {
        return Stream.of(TlsProvider.JDK, TlsProvider.OPENSSL);
    }

    @ParameterizedTest
    @MethodSource("providers")
    void tlsRepliesNameTheServerNameAndTheClientCertificate(TlsProvider provider) throws Exception {
        assumeTrue(provider.isAvailable(), () -> provider + " is not available: " + provider.unavailabilityCause());
        TlsSettings tls = TlsSettings.of(pki.serverCert(), pki.serverKey()).withProvider(provider)
                .withClientCa(pki.caCert());
        try (RunningServer server = start(identified(Transport.AUTO), tls, "tls://127.0.0.1:0?mode=info")) {
            Endpoint bound = server.boundEndpoints().get(0);
            SSLContext context = TlsClients.context(pki.caCert(), pki.clientCert(), pki.clientKey());
            try (Socket tcp = tcp(bound);
                 SSLSocket socket = (SSLSocket) context.getSocketFactory().createSocket(tcp, "localhost",
                         bound.port(), true)) {
                SSLParameters parameters = socket.getSSLParameters();
                parameters.setServerNames(List.of(new SNIHostName("localhost")));
                socket.setSSLParameters(parameters);
                socket.startHandshake();
                socket.getOutputStream().write("hello\n".getBytes(UTF_8));
                Map<String, String> reply = InfoLine.parseText(
                        new BufferedReader(new InputStreamReader(socket.getInputStream(), UTF_8)).readLine());
                assertServer(reply, server, "tls://127.0.0.1:0");
                assertEquals(socket.getSession().getProtocol(), reply.get("tls_version"));
                assertEquals(socket.getSession().getCipherSuite(), reply.get("tls_cipher"));
                assertEquals("localhost", reply.get("tls_sni"));
                assertEquals("CN=echoack test client", reply.get("tls_client_subject"));
                assertNull(reply.get("tls_alpn"), "echoack's listeners negotiate no ALPN protocol");
                assertEquals("127.0.0.1:" + tcp.getLocalPort(), reply.get("client"));
            }
        }
    }

    /** A listener behind a load balancer: the reply shows the client the PROXY header named, and the header. */
    @Test
    void aTrustedProxyHeaderGivesTheClientItsVersionDestinationAndTlvs() throws Exception {
        ServerConfig config = identified(Transport.AUTO).toBuilder().threads(2)
                .listen(List.of(Endpoint.parse("tcp://127.0.0.1:0?mode=info&proxy=any")))
                .proxy(ProxySettings.defaults().withTrustedProxies(TrustedProxies.parse(List.of("127.0.0.0/8"))))
                .build();
        try (RunningServer server = EchoAckServer.start(config)) {
            Endpoint bound = server.boundEndpoints().get(0);
            byte[] alpn = "h2".getBytes(UTF_8);
            byte[] authority = "echo.example".getBytes(UTF_8);
            try (Socket socket = tcp(bound)) {
                socket.getOutputStream().write(ProxyHeaders.v2("198.18.0.10", 55555, List.of(
                        new HAProxyTLV((byte) 0x01, Unpooled.wrappedBuffer(alpn)),
                        new HAProxyTLV((byte) 0x02, Unpooled.wrappedBuffer(authority)))));
                socket.getOutputStream().write("hello\n".getBytes(UTF_8));
                Map<String, String> reply = InfoLine.parseText(
                        new BufferedReader(new InputStreamReader(socket.getInputStream(), UTF_8)).readLine());
                assertEquals("127.0.0.1:" + socket.getLocalPort(), reply.get("peer"), "the balancer, on the socket");
                assertEquals("198.18.0.10:55555", reply.get("client"), "the client, from the header");
                assertEquals("2", reply.get("proxy"));
                assertEquals("proxy", reply.get("proxy_command"));
                assertEquals("192.0.2.80:7", reply.get("proxy_destination"));
                assertEquals("h2", reply.get("proxy_tlv.alpn"));
                assertEquals("echo.example", reply.get("proxy_tlv.authority"));
            }
            try (Socket socket = tcp(bound)) {
                socket.getOutputStream().write(ProxyHeaders.v1("198.18.0.11", 40001));
                socket.getOutputStream().write("hello\n".getBytes(UTF_8));
                Map<String, String> reply = InfoLine.parseText(
                        new BufferedReader(new InputStreamReader(socket.getInputStream(), UTF_8)).readLine());
                assertEquals("198.18.0.11:40001", reply.get("client"));
                assertEquals("1", reply.get("proxy"));
                assertEquals(List.of("host", "pod", "zone", "listener", "transport", "local", "peer", "client", "proxy",
                        "proxy_command", "proxy_destination", "seq", "version"), List.copyOf(reply.keySet()));
            }
            try (Socket socket = tcp(bound)) {
                socket.getOutputStream().write(ProxyHeaders.v2Local());
                socket.getOutputStream().write("hello\n".getBytes(UTF_8));
                Map<String, String> reply = InfoLine.parseText(
                        new BufferedReader(new InputStreamReader(socket.getInputStream(), UTF_8)).readLine());
                assertEquals("127.0.0.1:" + socket.getLocalPort(), reply.get("client"), "LOCAL: the socket's peer");
                assertEquals("local", reply.get("proxy_command"));
                assertNull(reply.get("proxy_destination"));
            }
        }
    }

    @Test
    void unixStreamRepliesNameTheSocketPath() throws Exception {
        Path path = dir.resolve("info.sock");
        try (RunningServer server = start(identified(Transport.AUTO), "unix://" + path + "?mode=info");
             SocketChannel channel = SocketChannel.open(StandardProtocolFamily.UNIX)) {
            channel.connect(UnixDomainSocketAddress.of(path));
            channel.write(ByteBuffer.wrap("hello\n".getBytes(UTF_8)));
            BufferedReader in = new BufferedReader(new InputStreamReader(Channels.newInputStream(channel), UTF_8));
            Map<String, String> reply = InfoLine.parseText(in.readLine());
            assertServer(reply, server, "unix://" + path);
            assertEquals(path.toString(), reply.get("local"));
            assertEquals("", reply.get("peer"), "an unnamed client socket");
            assertEquals("1", reply.get("seq"));
        }
    }

    @ParameterizedTest
    @MethodSource("transports")
    void udpGetsOneJsonDatagramPerDatagram(Transport transport) throws Exception {
        try (RunningServer server = start(identified(transport), "udp://127.0.0.1:0?mode=info");
             DatagramSocket socket = new DatagramSocket(new InetSocketAddress("127.0.0.1", 0))) {
            Endpoint bound = server.boundEndpoints().get(0);
            socket.setSoTimeout(TIMEOUT_MILLIS);
            socket.connect(new InetSocketAddress("127.0.0.1", bound.port()));
            for (int i = 0; i < 2; i++) {
                socket.send(new DatagramPacket(new byte[] {'x'}, 1));
                DatagramPacket reply = new DatagramPacket(new byte[65536], 65536);
                socket.receive(reply);
                JsonNode json = JSON.readTree(reply.getData(), 0, reply.getLength());
                Map<String, String> fields = new java.util.LinkedHashMap<>();
                for (Iterator<Map.Entry<String, JsonNode>> it = json.fields(); it.hasNext(); ) {
                    Map.Entry<String, JsonNode> field = it.next();
                    fields.put(field.getKey(), field.getValue().asText());
                }
                assertServer(fields, server, "udp://127.0.0.1:0");
                assertEquals("127.0.0.1:" + bound.port(), fields.get("local"));
                assertEquals("127.0.0.1:" + socket.getLocalPort(), fields.get("peer"));
                assertEquals(fields.get("peer"), fields.get("client"));
                assertNull(fields.get("seq"), "a datagram has no connection to number it on");
            }
        }
    }

    /**
     * What the README promises a remote client: tiny probes are answered out of the guard's 4 KiB allowance a
     * few times, then (almost) not at all; a probe at least half as long as the reply is always answered.
     * Loopback is exempt by default, so the test turns that off to be treated as a remote source.
     */
    @Test
    void aTinyUdpProbeIsAnsweredOnlyOutOfTheAllowanceAndAPaddedOneAlways() throws Exception {
        ServerConfig config = identified(Transport.AUTO).withUdpGuard(ReflectionGuardSettings.defaults()
                .withExemptLoopback(false));
        try (RunningServer server = start(config, "udp://127.0.0.1:0?mode=info");
             DatagramSocket socket = new DatagramSocket(new InetSocketAddress("127.0.0.1", 0))) {
            socket.setSoTimeout(300);
            socket.connect(new InetSocketAddress("127.0.0.1", server.boundEndpoints().get(0).port()));
            List<Integer> replies = new ArrayList<>();
            for (int i = 0; i < 40; i++) {
                socket.send(new DatagramPacket(new byte[] {'x'}, 1));
                DatagramPacket reply = new DatagramPacket(new byte[65536], 65536);
                try {
                    socket.receive(reply);
                    replies.add(reply.getLength());
                } catch (SocketTimeoutException e) {
                    // dropped by the guard
                }
            }
            int length = replies.get(0);
            int allowance = ReflectionGuardSettings.DEFAULT_RATIO_BURST_BYTES;
            // each answered 1-byte probe costs (length - 2) of the allowance; the refill adds 64 B/s at most
            int most = (allowance + 64 * 15) / (length - 2) + 1;
            assertTrue(replies.size() >= allowance / length && replies.size() <= most,
                    replies.size() + " of 40 tiny probes answered; replies of " + length + " bytes");
            assertTrue(replies.size() < 40, "the rest were dropped");

            socket.setSoTimeout(TIMEOUT_MILLIS);
            byte[] padded = new byte[(length + 1) / 2];
            for (int i = 0; i < 20; i++) {
                socket.send(new DatagramPacket(padded, padded.length));
                DatagramPacket reply = new DatagramPacket(new byte[65536], 65536);
                socket.receive(reply); // times out (fails) if the guard dropped it
            }
        }
    }
}
