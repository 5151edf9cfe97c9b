package io.echoack.server.service;

import static java.nio.charset.StandardCharsets.US_ASCII;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import io.echoack.common.endpoint.Endpoint;
import io.echoack.common.testing.TestPki;
import io.echoack.common.tls.PemFiles;
import io.echoack.common.tls.TlsFileException;
import io.echoack.common.tls.TlsProvider;
import io.echoack.common.transport.Transport;
import io.echoack.server.EchoAckServer;
import io.echoack.server.RunningServer;
import io.echoack.server.access.SourceFilter;
import io.echoack.server.config.ServerConfig;
import io.echoack.server.limits.ConnectionLimits;
import io.echoack.server.startup.ServerStartException;
import io.echoack.server.testing.TlsClients;
import io.echoack.server.testing.Tools;
import io.echoack.server.tls.TlsSettings;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.net.Socket;
import java.net.SocketTimeoutException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLException;
import javax.net.ssl.SSLSocket;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * {@code tls://} listeners over real sockets, against the JDK's own TLS client: replies, mutual TLS, what
 * is refused and how it is counted, handshake timeout, half-close and drain, on both TLS providers.
 */
@Timeout(value = 60, unit = TimeUnit.SECONDS)
class TlsServerIT {

    private static final String ACK = "I got your message\n";

    @TempDir
    static Path dir;

    static TestPki pki;
    static SSLContext trusting;

    @BeforeAll
    static void certificates() throws Exception {
        pki = TestPki.create(dir.resolve("pki"));
        trusting = TlsClients.context(pki.caCert(), null, null);
    }

    static Stream<TlsProvider> providers() {
        return Stream.of(TlsProvider.JDK, TlsProvider.OPENSSL);
    }

    private static TlsSettings tls(TlsProvider provider) {
        assumeTrue(provider.isAvailable(), () -> provider + " is not available here: "
                + provider.unavailabilityCause());
        return TlsSettings.of(pki.serverCert(), pki.serverKey()).withProvider(provider);
    }

    private static RunningServer start(TlsSettings tls, String... listen) throws Exception {
        return EchoAckServer.start(ServerConfig.defaults().toBuilder().threads(2).tls(tls)
                .listen(Stream.of(listen).map(Endpoint::parse).toList()).build());
    }

    private static String exchange(Socket s, String message, int replyBytes) throws IOException {
        s.getOutputStream().write(message.getBytes(US_ASCII));
        s.getOutputStream().flush();
        return new String(s.getInputStream().readNBytes(replyBytes), US_ASCII);
    }

    /** Everything until end of stream; TLS errors on the way count as the end. */
    private static String readToEnd(InputStream in) {
        ByteArrayOutputStream all = new ByteArrayOutputStream();
        byte[] chunk = new byte[1024];
        try {
            for (int n; (n = in.read(chunk)) >= 0; ) {
                all.write(chunk, 0, n);
            }
        } catch (SSLException | SocketTimeoutException e) {
            throw new AssertionError("no clean end of stream: " + e, e);
        } catch (IOException e) {
            // reset: the end as well
        }
        return all.toString(US_ASCII);
    }

    private static double metric(RunningServer server, String series) throws IOException {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        server.metrics().writeTo(out);
        Double v = AdminEndpointIT.samples(out.toString(US_ASCII)).get(series);
        return v == null ? 0 : v;
    }

    /** The server counts on its event loop while the client moves on: give it a moment. */
    private static void awaitMetric(RunningServer server, String series, double expected) throws Exception {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(5);
        while (metric(server, series) != expected && System.nanoTime() < deadline) {
            TimeUnit.MILLISECONDS.sleep(10);
        }
        assertEquals(expected, metric(server, series), series);
    }

    private static String closed(String endpoint, String reason) {
        return "echoack_connections_closed_total{endpoint=\"" + endpoint + "\",reason=\"" + reason + "\"}";
    }

    @ParameterizedTest
    @MethodSource("providers")
    void ackAndEchoOverTls(TlsProvider provider) throws Exception {
        try (RunningServer server = start(tls(provider), "tls://127.0.0.1:0", "tls://127.0.0.1:0?mode=echo")) {
            assertEquals(provider, server.tlsProvider().orElseThrow().provider());
            try (SSLSocket ack = TlsClients.connect(trusting, server.boundEndpoints().get(0));
                 SSLSocket echo = TlsClients.connect(trusting, server.boundEndpoints().get(1))) {
                assertEquals(ACK + ACK, exchange(ack, "hello\nworld\n", 2 * ACK.length()));
                assertEquals("ping", exchange(echo, "ping", 4));
                assertEquals("TLSv1.3", ack.getSession().getProtocol());
            }
        }
    }

    @Test
    void ipv6AndNio() throws Exception {
        Tools.assumeIpv6Loopback();
        try (RunningServer server = EchoAckServer.start(ServerConfig.defaults().toBuilder().transport(Transport.NIO)
                .tls(tls(TlsProvider.AUTO)).listen(List.of(Endpoint.parse("tls://[::1]:0?framing=length"))).build());
             SSLSocket s = TlsClients.connect(trusting, server.boundEndpoints().get(0))) {
            s.getOutputStream().write(new byte[] {0, 0, 0, 2, 'h', 'i'});
            byte[] reply = s.getInputStream().readNBytes(4 + 18);
            assertEquals("I got your message", new String(reply, 4, 18, US_ASCII));
        }
    }

    @ParameterizedTest
    @MethodSource("providers")
    void mutualTlsAcceptsOnlyClientCertificatesOfItsCa(TlsProvider provider) throws Exception {
        try (RunningServer server = start(tls(provider).withClientCa(pki.caCert()), "tls://127.0.0.1:0")) {
            Endpoint endpoint = server.boundEndpoints().get(0);
            SSLContext withCert = TlsClients.context(pki.caCert(), pki.clientCert(), pki.clientKey());
            try (SSLSocket s = TlsClients.connect(withCert, endpoint)) {
                assertEquals(ACK, exchange(s, "hi\n", ACK.length()));
            }
            assertRefused(trusting, endpoint);
            awaitMetric(server, closed("tls://127.0.0.1:0", "tls_handshake_failed"), 1);
            assertRefused(TlsClients.context(pki.caCert(), pki.otherClientCert(), pki.otherClientKey()), endpoint);
            awaitMetric(server, closed("tls://127.0.0.1:0", "tls_handshake_failed"), 2);
            try (SSLSocket s = TlsClients.connect(withCert, endpoint)) {
                assertEquals(ACK, exchange(s, "still serving\n", ACK.length()));
            }
        }
    }

    /**
     * A client the server refuses gets no reply. With TLS 1.3 the client's handshake may complete before the
     * server has checked the client's certificate, so the refusal (an alert, or the end) can come with the first
     * read instead of the handshake.
     */
    private static void assertRefused(SSLContext client, Endpoint endpoint) throws IOException {
        try (Socket tcp = TlsClients.tcp(endpoint)) {
            SSLSocket s;
            try {
                s = TlsClients.handshake(client, tcp, endpoint);
            } catch (SSLException refusedInHandshake) {
                return;
            }
            try {
                String reply = exchange(s, "let me in\n", ACK.length());
                assertEquals("", reply, "no reply for a refused client");
            } catch (IOException refused) {
                // an alert (SSLException) or a reset: refused either way
            }
        }
    }

    @ParameterizedTest
    @MethodSource("providers")
    void aClientThatDoesNotTrustTheServerIsCountedAsAFailedHandshake(TlsProvider provider) throws Exception {
        try (RunningServer server = start(tls(provider).withCertificate(pki.otherServerCert(), pki.otherServerKey()),
                "tls://127.0.0.1:0")) {
            SSLException e = assertThrows(SSLException.class,
                    () -> TlsClients.connect(trusting, server.boundEndpoints().get(0)).close());
            assertTrue(e.getMessage().contains("PKIX"), e.getMessage());
            awaitMetric(server, closed("tls://127.0.0.1:0", "tls_handshake_failed"), 1);
        }
    }

    /** The accept-time gates come before TLS: a refused peer costs no handshake, and counts as usual. */
    @Test
    void sourceFilterAndConnectionLimitsApplyBeforeTheHandshake() throws Exception {
        try (RunningServer server = EchoAckServer.start(ServerConfig.defaults().toBuilder().tls(tls(TlsProvider.AUTO))
                .listen(List.of(Endpoint.parse("tls://127.0.0.1:0"))).limits(new ConnectionLimits(10, 1)).build());
             SSLSocket first = TlsClients.connect(trusting, server.boundEndpoints().get(0))) {
            assertEquals(ACK, exchange(first, "hi\n", ACK.length()));
            Refusals.assertReset(() -> TlsClients.tcp(server.boundEndpoints().get(0)),
                    "reset at once, without a handshake");
            awaitMetric(server, closed("tls://127.0.0.1:0", "max_connections_per_ip"), 1);
            assertEquals(ACK, exchange(first, "still here\n", ACK.length()));
            assertEquals(0, metric(server, closed("tls://127.0.0.1:0", "tls_handshake_failed")), "counted once");
        }
        try (RunningServer server = EchoAckServer.start(ServerConfig.defaults().toBuilder().tls(tls(TlsProvider.AUTO))
                .listen(List.of(Endpoint.parse("tls://127.0.0.1:0"))).allow(SourceFilter.parse(List.of("10.0.0.0/8")))
                .build())) {
            Refusals.assertReset(() -> TlsClients.tcp(server.boundEndpoints().get(0)), "a source outside --allow");
            awaitMetric(server, closed("tls://127.0.0.1:0", "not_allowed"), 1);
            assertEquals(0, metric(server, closed("tls://127.0.0.1:0", "tls_handshake_failed")), "counted once");
        }
    }

    @Test
    void anEncryptedKeyWithItsPassword() throws Exception {
        Path encrypted = dir.resolve("encrypted.key");
        TestPki.writeEncryptedKey(PemFiles.readPrivateKey(pki.serverKey(), null), "s3cret".toCharArray(), encrypted);
        TlsSettings settings = tls(TlsProvider.AUTO).withCertificate(pki.serverCert(), encrypted);
        try (RunningServer server = start(settings.withKeyPassword("s3cret"), "tls://127.0.0.1:0");
             SSLSocket s = TlsClients.connect(trusting, server.boundEndpoints().get(0))) {
            assertEquals(ACK, exchange(s, "hi\n", ACK.length()));
        }
        ServerStartException e = assertThrows(ServerStartException.class, () -> start(settings, "tls://127.0.0.1:0"));
        assertEquals("private key: " + encrypted + " holds an encrypted private key, and no password was given for "
                + "it", e.getMessage());
        TlsFileException file = assertInstanceOf(TlsFileException.class, e.getCause(), "says which file");
        assertEquals(TlsFileException.Role.KEY, file.role());
    }

    @ParameterizedTest
    @MethodSource("providers")
    void plaintextToTheTlsPortGetsNoReplyAndIsCounted(TlsProvider provider) throws Exception {
        try (RunningServer server = start(tls(provider), "tls://127.0.0.1:0")) {
            Endpoint endpoint = server.boundEndpoints().get(0);
            try (Socket plain = TlsClients.tcp(endpoint)) {
                plain.getOutputStream().write("hello\n".getBytes(US_ASCII));
                String answer = readToEnd(plain.getInputStream());
                assertFalse(answer.contains("I got your message"), answer);
            }
            awaitMetric(server, closed("tls://127.0.0.1:0", "tls_handshake_failed"), 1);
            try (SSLSocket s = TlsClients.connect(trusting, endpoint)) {
                assertEquals(ACK, exchange(s, "hi\n", ACK.length()), "the server is unharmed");
            }
            assertEquals(0, metric(server, "echoack_errors_total{endpoint=\"tls://127.0.0.1:0\",kind=\"unexpected\"}"));
        }
    }

    @ParameterizedTest
    @MethodSource("providers")
    void aPeerThatNeverHandshakesIsClosedByTheHandshakeTimeout(TlsProvider provider) throws Exception {
        try (RunningServer server = start(tls(provider).withHandshakeTimeout(Duration.ofMillis(300)),
                "tls://127.0.0.1:0")) {
            Endpoint endpoint = server.boundEndpoints().get(0);
            long started = System.nanoTime();
            try (Socket silent = TlsClients.tcp(endpoint); Socket shy = TlsClients.tcp(endpoint)) {
                shy.getOutputStream().write("hi\n".getBytes(US_ASCII)); // shorter than a TLS record header
                assertEquals("", readToEnd(silent.getInputStream()));
                assertFalse(readToEnd(shy.getInputStream()).contains("I got"), "at most an alert, then the end");
            }
            assertTrue(System.nanoTime() - started < TimeUnit.SECONDS.toNanos(4), "closed by the timeout");
            awaitMetric(server, closed("tls://127.0.0.1:0", "tls_handshake_timeout"), 2);
            try (SSLSocket s = TlsClients.connect(trusting, endpoint)) {
                assertEquals(ACK, exchange(s, "hi\n", ACK.length()), "a prompt client is unaffected");
            }
        }
    }

    /**
     * A client that ends its side the TLS way ({@code close_notify}, then FIN, as SSLSocket.shutdownOutput does)
     * still gets a reply to every message it sent, then the end of stream. The JDK provider answers the last,
     * unterminated line too (the close_notify completes it); Netty's OpenSSL engine stops sending once it has
     * read the close_notify, so on OpenSSL that one line gets no reply (README). That the messages before it
     * are answered on OpenSSL takes the CloseNotifySeparator: they and the close_notify come in one read.
     */
    @ParameterizedTest
    @MethodSource("providers")
    void halfCloseWithCloseNotifyGetsTheRepliesOwed(TlsProvider provider) throws Exception {
        String expected = provider == TlsProvider.JDK ? ACK + ACK + ACK : ACK + ACK;
        try (RunningServer server = start(tls(provider), "tls://127.0.0.1:0")) {
            for (int i = 0; i < 20; i++) {
                try (SSLSocket s = TlsClients.connect(trusting, server.boundEndpoints().get(0))) {
                    s.getOutputStream().write("one\ntwo\nlast without newline".getBytes(US_ASCII));
                    s.getOutputStream().flush();
                    s.shutdownOutput();
                    assertEquals(expected, readToEnd(s.getInputStream()), "attempt " + i);
                }
            }
        }
    }

    /** The same when the client's TCP output ends without a close_notify (a bare FIN under the TLS session). */
    @ParameterizedTest
    @MethodSource("providers")
    void halfCloseWithoutCloseNotifyStillGetsEveryReply(TlsProvider provider) throws Exception {
        try (RunningServer server = start(tls(provider), "tls://127.0.0.1:0");
             Socket tcp = TlsClients.tcp(server.boundEndpoints().get(0));
             SSLSocket s = TlsClients.handshake(trusting, tcp, server.boundEndpoints().get(0))) {
            s.getOutputStream().write("one\nlast without newline".getBytes(US_ASCII));
            s.getOutputStream().flush();
            tcp.shutdownOutput();
            assertEquals(ACK + ACK, readToEnd(s.getInputStream()));
        }
    }

    @ParameterizedTest
    @MethodSource("providers")
    void drainEndsTlsConnectionsWithCloseNotifyAfterTheLastReply(TlsProvider provider) throws Exception {
        RunningServer server = start(tls(provider), "tls://127.0.0.1:0");
        try (SSLSocket s = TlsClients.connect(trusting, server.boundEndpoints().get(0))) {
            assertEquals(ACK + ACK, exchange(s, "one\ntwo\n", 2 * ACK.length()));
            long started = System.nanoTime();
            Thread closer = new Thread(server::close);
            closer.start();
            assertEquals("", readToEnd(s.getInputStream()), "a clean end: close_notify, not a bare FIN or a reset");
            closer.join(TimeUnit.SECONDS.toMillis(15));
            assertFalse(closer.isAlive());
            assertTrue(System.nanoTime() - started < TimeUnit.SECONDS.toNanos(5), "no wait for the drain timeout");
        } finally {
            server.close();
        }
    }
}
