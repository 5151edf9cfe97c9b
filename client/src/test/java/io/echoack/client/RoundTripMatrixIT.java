package io.echoack.client;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

import io.echoack.client.net.Connection;
import io.echoack.client.net.EchoAckClient;
import io.echoack.client.net.TlsOptions;
import io.echoack.client.testing.CliRun;
import io.echoack.client.testing.TestServer;
import io.echoack.client.testing.WireCase;
import io.echoack.common.codec.Framing;
import io.echoack.common.endpoint.Endpoint;
import io.echoack.common.testing.TestPki;
import io.echoack.common.testing.TestTransports;
import io.echoack.common.transport.Transport;
import io.echoack.server.config.ServerConfig;
import io.echoack.server.tls.TlsSettings;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Every endpoint kind x reply mode x stream framing, through the client library and through the CLI, on the
 * native transport (epoll) and on NIO. Each transport gets its own server serving the whole matrix at once
 * (one endpoint per cell, configured by query overrides); client and server use the same transport. The
 * {@code tls://} cells use a throwaway CA that the clients are told to trust.
 */
@Timeout(30)
class RoundTripMatrixIT {

    private static final List<Transport> TRANSPORTS = TestTransports.available(Transport.EPOLL, Transport.NIO).toList();
    private static final Map<Transport, TestServer> SERVERS = new EnumMap<>(Transport.class);

    @TempDir
    static Path socketDir;

    private static TestPki pki;

    @BeforeAll
    static void startServers() throws Exception {
        pki = TestPki.create(socketDir.resolve("pki"));
        for (Transport transport : TRANSPORTS) {
            Path dir = socketDir.resolve(transport.id());
            java.nio.file.Files.createDirectories(dir);
            List<String> listen = WireCase.supportedBy(transport).stream().map(c -> c.listenUri(dir)).toList();
            SERVERS.put(transport, TestServer.start(ServerConfig.defaults().toBuilder().transport(transport)
                    .tls(TlsSettings.of(pki.serverCert(), pki.serverKey()))
                    .listen(listen.stream().map(Endpoint::parse).toList()).build(), listen));
        }
    }

    /** The command line for {@code wireCase}: {@code args}, plus the test CA for tls:// cells. */
    private static String[] cli(WireCase wireCase, String... args) {
        List<String> all = new java.util.ArrayList<>(List.of(args));
        if (wireCase.kind().isTls()) {
            all.addAll(List.of("--tls-ca", pki.caCert().toString()));
        }
        return all.toArray(String[]::new);
    }

    @AfterAll
    static void stopServers() {
        SERVERS.values().forEach(TestServer::close);
        SERVERS.clear();
    }

    static Stream<Arguments> matrix() {
        return TRANSPORTS.stream().flatMap(t -> WireCase.supportedBy(t).stream().map(c -> Arguments.of(t, c)));
    }

    private static Endpoint endpointFor(Transport transport, WireCase wireCase) {
        return SERVERS.get(transport).endpoint(WireCase.supportedBy(transport).indexOf(wireCase));
    }

    @ParameterizedTest(name = "{0} {1}")
    @MethodSource("matrix")
    void clientLibraryRoundTrip(Transport transport, WireCase wireCase) {
        Endpoint endpoint = endpointFor(transport, wireCase);
        try (EchoAckClient client = EchoAckClient.builder().transport(transport).timeout(Duration.ofSeconds(5))
                .ioThreads(1).tls(TlsOptions.defaults().withTrustedCertificates(pki.caCert())).build();
             Connection connection = client.connect(endpoint)) {
            assertEquals(transport, client.transport().transport());
            for (String message : List.of("hello", "second message", "3")) {
                byte[] reply = connection.send(message.getBytes(StandardCharsets.UTF_8));
                assertArrayEquals(wireCase.expectedReply(message.getBytes(StandardCharsets.UTF_8)), reply,
                        () -> "reply to '" + message + "': '" + new String(reply, StandardCharsets.UTF_8) + "'");
            }
            assertEquals(wireCase.expectedReply("async"), connection.send("async"));
        }
    }

    @ParameterizedTest(name = "{0} {1}")
    @MethodSource("matrix")
    void cliRoundTrip(Transport transport, WireCase wireCase) {
        Endpoint endpoint = endpointFor(transport, wireCase);
        CliRun run = CliRun.run("", cli(wireCase, "send", endpoint.toString(), "hello", "second message", "--transport",
                transport.id(), "--timeout", "5s"));
        assertEquals("", run.err());
        assertEquals(0, run.exitCode());
        assertEquals(List.of(wireCase.expectedReply("hello"), wireCase.expectedReply("second message")),
                List.of(run.outLines()));
    }

    @ParameterizedTest(name = "{0} {1}")
    @MethodSource("matrix")
    void cliSendsPipedInput(Transport transport, WireCase wireCase) {
        Endpoint endpoint = endpointFor(transport, wireCase);
        String input = "first line\nsecond line\n";
        CliRun run = CliRun.run(input, cli(wireCase, "send", endpoint.toString(), "--transport", transport.id()));
        assertEquals("", run.err());
        assertEquals(0, run.exitCode());
        if (wireCase.framing() == Framing.LENGTH || wireCase.framing() == Framing.RAW) {
            // the input's bytes are one message, and its reply's bytes are written as they are
            assertEquals(wireCase.expectedReply(input), run.out());
        } else {
            assertEquals(List.of(wireCase.expectedReply("first line"), wireCase.expectedReply("second line")),
                    List.of(run.outLines()));
        }
    }
}
