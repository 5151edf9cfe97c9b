package io.echoack.client.cli;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.echoack.client.net.Connection;
import io.echoack.client.net.EchoAckClient;
import io.echoack.client.net.FailureKind;
import io.echoack.client.net.TlsException;
import io.echoack.client.net.TlsOptions;
import io.echoack.client.testing.CliRun;
import io.echoack.client.testing.TestServer;
import io.echoack.common.endpoint.Endpoint;
import io.echoack.common.testing.TestPki;
import io.echoack.common.tls.TlsProvider;
import io.echoack.server.config.ServerConfig;
import io.echoack.server.limits.ConnectionLimits;
import io.echoack.server.tls.TlsSettings;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.stream.Stream;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * The client (library and every command) on {@code tls://} against a real echoack server: replies on every
 * pairing of TLS providers, and each way TLS can refuse (untrusted server, wrong name, missing or foreign
 * client certificate, not TLS at all) as exit code 7 with a message that says what to do.
 */
@Timeout(60)
class TlsCliIT {

    private static final ObjectMapper JSON = new ObjectMapper();

    @TempDir
    static Path dir;

    static TestPki pki;
    static String ca;

    @BeforeAll
    static void certificates() {
        pki = TestPki.create(dir.resolve("pki"));
        ca = pki.caCert().toString();
    }

    private static TlsSettings serverTls(TlsProvider provider) {
        assumeTrue(provider.isAvailable(), () -> provider + " is not available: " + provider.unavailabilityCause());
        return TlsSettings.of(pki.serverCert(), pki.serverKey()).withProvider(provider);
    }

    private static TestServer server(TlsSettings tls, String... listen) throws Exception {
        return TestServer.startTls(tls, List.of(listen));
    }

    private static String uri(TestServer server, int i) {
        return server.endpoint(i).toString();
    }

    private static CliRun cli(String... args) {
        return CliRun.run("", args);
    }

    static Stream<Arguments> providerPairs() {
        return Stream.of(TlsProvider.JDK, TlsProvider.OPENSSL).flatMap(client -> Stream.of(TlsProvider.JDK,
                TlsProvider.OPENSSL).map(server -> Arguments.of(client, server)));
    }

    @ParameterizedTest(name = "client {0}, server {1}")
    @MethodSource("providerPairs")
    void sendGetsAcksAndEchoesOnEveryProviderPairing(TlsProvider client, TlsProvider server) throws Exception {
        assumeTrue(client.isAvailable(), () -> client + " is not available");
        try (TestServer s = server(serverTls(server), "tls://127.0.0.1:0", "tls://127.0.0.1:0?mode=echo")) {
            CliRun ack = cli("send", uri(s, 0), "hello", "world", "--tls-ca", ca, "--tls-provider", client.id());
            assertEquals(0, ack.exitCode(), ack.err());
            assertEquals("I got your message\nI got your message\n", ack.out().replace("\r\n", "\n"));
            CliRun echo = cli("send", uri(s, 1), "ping", "--tls-ca", ca, "--tls-provider", client.id());
            assertEquals(0, echo.exitCode(), echo.err());
            assertEquals("ping", echo.out().strip());
            assertEquals("", ack.err() + echo.err(), "no warning when the certificate is verified");
        }
    }

    @Test
    void theLibraryConnectsOnceTheHandshakeIsDoneAndPipelines() throws Exception {
        try (TestServer s = server(serverTls(TlsProvider.AUTO), "tls://[::1]:0?mode=echo&framing=length");
             EchoAckClient client = EchoAckClient.builder().timeout(Duration.ofSeconds(5)).ioThreads(1)
                     .tls(TlsOptions.defaults().withTrustedCertificates(pki.caCert())).build();
             Connection connection = client.connect(s.endpoint(0))) {
            List<CompletableFuture<byte[]>> replies = new ArrayList<>();
            for (int i = 0; i < 50; i++) {
                replies.add(connection.request(("message " + i).getBytes(StandardCharsets.UTF_8)));
            }
            for (int i = 0; i < 50; i++) {
                assertArrayEquals(("message " + i).getBytes(StandardCharsets.UTF_8), replies.get(i).get());
            }
        }
    }

    @Test
    void anUntrustedServerIsExitCodeSeven() throws Exception {
        try (TestServer s = server(serverTls(TlsProvider.AUTO).withCertificate(pki.otherServerCert(),
                pki.otherServerKey()), "tls://127.0.0.1:0")) {
            CliRun run = cli("send", uri(s, 0), "hello", "--tls-ca", ca);
            assertEquals(7, run.exitCode(), run.err());
            assertTrue(run.err().startsWith("echoack: TLS handshake with " + s.endpoint(0).address() + " failed: "
                    + "the server's certificate is not signed by a CA this client trusts (give the CA with --tls-ca, "
                    + "or use --insecure for a test server)"), run.err());
            assertEquals("", run.out());

            CliRun jdkTrust = cli("send", uri(s, 0), "hello"); // the JDK's CAs know no test CA either
            assertEquals(7, jdkTrust.exitCode(), jdkTrust.err());

            try (EchoAckClient client = EchoAckClient.builder().tls(TlsOptions.defaults()
                    .withTrustedCertificates(pki.caCert())).build()) {
                TlsException e = assertThrows(TlsException.class, () -> client.connect(s.endpoint(0)));
                assertEquals(FailureKind.TLS, e.kind());
            }
        }
    }

    @Test
    void aCertificateForAnotherNameIsRejectedUnlessNamedOrInsecure() throws Exception {
        try (TestServer s = server(serverTls(TlsProvider.AUTO).withCertificate(pki.wrongNameCert(),
                pki.wrongNameKey()), "tls://127.0.0.1:0")) {
            CliRun checked = cli("send", uri(s, 0), "hello", "--tls-ca", ca);
            assertEquals(7, checked.exitCode(), checked.err());
            assertTrue(checked.err().contains("the server's certificate is not for 127.0.0.1"), checked.err());
            assertTrue(checked.err().contains("--tls-server-name"), checked.err());

            CliRun named = cli("send", uri(s, 0), "hello", "--tls-ca", ca, "--tls-server-name", TestPki.WRONG_NAME);
            assertEquals(0, named.exitCode(), named.err());
            assertEquals("I got your message", named.out().strip());

            CliRun insecure = cli("send", uri(s, 0), "hello", "--insecure");
            assertEquals(0, insecure.exitCode(), insecure.err());
            assertEquals("I got your message", insecure.out().strip());
            assertEquals("echoack: warning: --insecure: the server's certificate is not checked; anyone on the path "
                    + "could pose as " + s.endpoint(0).address(), insecure.err().strip());
        }
    }

    @Test
    void mutualTlsNeedsAClientCertificateOfTheServersCa() throws Exception {
        try (TestServer s = server(serverTls(TlsProvider.AUTO).withClientCa(pki.caCert()), "tls://127.0.0.1:0")) {
            CliRun with = cli("send", uri(s, 0), "hello", "--tls-ca", ca, "--tls-cert", pki.clientCert().toString(),
                    "--tls-key", pki.clientKey().toString());
            assertEquals(0, with.exitCode(), with.err());
            assertEquals("I got your message", with.out().strip());

            CliRun without = cli("send", uri(s, 0), "hello", "--tls-ca", ca);
            assertEquals(7, without.exitCode(), without.err());
            assertTrue(without.err().contains("--tls-cert and --tls-key"), without.err());

            CliRun foreign = cli("send", uri(s, 0), "hello", "--tls-ca", ca, "--tls-cert",
                    pki.otherClientCert().toString(), "--tls-key", pki.otherClientKey().toString());
            assertEquals(7, foreign.exitCode(), foreign.err());
            assertEquals("", foreign.out());
        }
    }

    @Test
    void aServerThatDoesNotSpeakTlsIsExitCodeSeven() throws Exception {
        try (TestServer plain = TestServer.start(io.echoack.common.transport.Transport.AUTO,
                List.of("tcp://127.0.0.1:0?framing=raw"))) {
            Endpoint tcp = plain.endpoint(0);
            CliRun run = cli("send", "tls://127.0.0.1:" + tcp.port(), "hello", "--tls-ca", ca, "--timeout", "2s");
            assertEquals(7, run.exitCode(), run.err());
            assertTrue(run.err().contains("did not answer in TLS"), run.err());
        }
    }

    @Test
    void checkAndChatWorkOverTls() throws Exception {
        try (TestServer s = server(serverTls(TlsProvider.AUTO), "tls://127.0.0.1:0")) {
            CliRun ok = cli("check", uri(s, 0), "--expect", "ack", "--tls-ca", ca);
            assertEquals(0, ok.exitCode(), ok.err());
            CliRun untrusted = cli("check", uri(s, 0), "--expect", "ack");
            assertEquals(7, untrusted.exitCode(), untrusted.err());
            assertEquals("", untrusted.out() + untrusted.err(), "check is quiet");
            CliRun chat = CliRun.run("one\ntwo\n", "chat", uri(s, 0), "--tls-ca", ca);
            assertEquals(0, chat.exitCode(), chat.err());
            assertEquals(2, chat.outLines().length);
        }
    }

    @Test
    void benchHandshakesEveryConnectionThenMeasures() throws Exception {
        try (TestServer s = server(serverTls(TlsProvider.AUTO), "tls://127.0.0.1:0?mode=echo")) {
            CliRun run = cli("bench", uri(s, 0), "--tls-ca", ca, "-c", "4", "-p", "4", "--count", "400",
                    "--warmup", "0", "--json", "-", "--quiet");
            assertEquals(0, run.exitCode(), run.err());
            JsonNode json = JSON.readTree(run.out());
            assertEquals("tls", json.get("kind").asText());
            assertEquals(400, json.get("messages").asLong());
            assertEquals(0, json.get("errors").get("total").asLong());

            CliRun perMessage = cli("bench", uri(s, 0), "--tls-ca", ca, "-c", "2", "--connect-per-message",
                    "--count", "20", "--warmup", "0", "--json", "-", "--quiet");
            assertEquals(0, perMessage.exitCode(), perMessage.err());
            assertEquals(20, JSON.readTree(perMessage.out()).get("messages").asLong());
        }
    }

    @Test
    void benchCountsRefusedHandshakesAsTlsErrors() throws Exception {
        try (TestServer s = server(serverTls(TlsProvider.AUTO), "tls://127.0.0.1:0?mode=echo")) {
            for (String mode : new String[] {"persistent", "--connect-per-message"}) {
                List<String> args = new ArrayList<>(List.of("bench", uri(s, 0), "-c", "2", "--duration", "10s",
                        "--warmup", "0", "--json", "-", "--quiet"));
                if (!mode.equals("persistent")) {
                    args.add(mode);
                }
                long started = System.nanoTime();
                CliRun run = cli(args.toArray(String[]::new)); // the JDK's CAs do not know the test CA
                assertEquals(7, run.exitCode(), run.err());
                JsonNode json = JSON.readTree(run.out());
                assertTrue(json.get("errors").get("tls").asLong() >= 2, run.out());
                assertTrue(System.nanoTime() - started < Duration.ofSeconds(8).toNanos(),
                        mode + ": stops when every first handshake failed");
            }
        }
    }

    /**
     * A TLS server at its connection limit closes the connections over it before their handshake: reported as
     * connections closed right after accept (closed or reset), not as TLS failures.
     */
    @Test
    void benchExplainsHandshakesCutByAConnectionLimit() throws Exception {
        String listen = "tls://127.0.0.1:0?mode=echo";
        ServerConfig config = ServerConfig.defaults().toBuilder().tls(serverTls(TlsProvider.AUTO))
                .listen(List.of(Endpoint.parse(listen))).build();
        try (TestServer s = TestServer.startWithLimits(config, new ConnectionLimits(0, 2), List.of(listen))) {
            CliRun run = cli("bench", uri(s, 0), "--tls-ca", ca, "-c", "5", "--count", "100", "--warmup", "0",
                    "--json", "-", "--quiet");
            assertEquals(ExitCodes.RESET, run.exitCode(), run.err());
            JsonNode json = JSON.readTree(run.out());
            assertEquals(3, json.get("closed_after_accept").asInt(), run.err());
            assertEquals(3, json.get("errors").get("reset").asLong(), run.err()); // a limit resets what it refuses
            assertEquals(0, json.get("errors").get("tls").asLong(), run.err());
            assertTrue(run.err().contains("the server closed 3 of 5 connections right after accepting them"),
                    run.err());
        }
    }

    @Test
    void tlsUsageErrorsAreExitCodeTwo() throws Exception {
        try (TestServer s = server(serverTls(TlsProvider.AUTO), "tls://127.0.0.1:0")) {
            CliRun halfPair = cli("send", uri(s, 0), "x", "--tls-cert", pki.clientCert().toString());
            assertEquals(2, halfPair.exitCode(), halfPair.err());
            assertEquals("echoack: --tls-cert: a client certificate needs its key: set --tls-key (or "
                    + "ECHOACK_TLS_CLIENT_KEY)", halfPair.err().strip());

            CliRun contradiction = cli("send", uri(s, 0), "x", "--insecure", "--tls-ca", ca);
            assertEquals(2, contradiction.exitCode(), contradiction.err());

            Path missing = dir.resolve("missing.pem");
            CliRun noFile = cli("send", uri(s, 0), "x", "--tls-ca", missing.toString());
            assertEquals(2, noFile.exitCode(), noFile.err());
            assertEquals("echoack: --tls-ca: cannot read " + missing + ": no such file", noFile.err().strip());

            CliRun provider = cli("send", uri(s, 0), "x", "--tls-provider", "nss");
            assertEquals(2, provider.exitCode(), provider.err());
            assertTrue(provider.err().contains("unknown TLS provider 'nss'"), provider.err());
        }
    }

    @Test
    void tlsOptionsOnAPlainEndpointAreIgnoredWithAWarning() throws Exception {
        try (TestServer plain = TestServer.start(io.echoack.common.transport.Transport.AUTO,
                List.of("tcp://127.0.0.1:0"))) {
            CliRun run = cli("send", plain.endpoint(0).toString(), "hello", "--tls-ca", ca);
            assertEquals(0, run.exitCode(), run.err());
            assertEquals("echoack: warning: TLS options are ignored for " + plain.endpoint(0).address()
                    + " (only tls:// endpoints use TLS)", run.err().strip());
            assertFalse(run.out().isEmpty());
        }
    }
}
