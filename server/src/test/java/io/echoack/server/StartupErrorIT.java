package io.echoack.server;

import static java.nio.charset.StandardCharsets.US_ASCII;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.echoack.common.endpoint.EndpointKind;
import io.echoack.common.testing.TestPki;
import io.echoack.common.testing.TestTransports;
import io.echoack.common.transport.Transport;
import io.echoack.server.cli.Main;
import io.echoack.server.config.ServerConfig;
import io.echoack.server.startup.ServerStartException;
import io.echoack.server.testing.ChildProcess;
import io.echoack.server.testing.Tools;
import io.netty.bootstrap.Bootstrap;
import io.netty.channel.Channel;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.channel.EventLoopGroup;
import io.netty.channel.MultiThreadIoEventLoopGroup;
import io.netty.channel.unix.DomainSocketAddress;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.net.StandardProtocolFamily;
import java.net.UnixDomainSocketAddress;
import java.nio.channels.ServerSocketChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/** What a user sees when the server cannot start, and that nothing already running is harmed. */
@Timeout(value = 30, unit = TimeUnit.SECONDS)
class StartupErrorIT {

    @TempDir
    Path dir;

    /** Runs the real command line in-process; returns exit code and stderr. */
    private static String[] cli(String... args) {
        StringWriter err = new StringWriter();
        CompletableFuture<Void> stop = CompletableFuture.completedFuture(null); // stop as soon as started
        int code = Main.execute(stop, new PrintWriter(new StringWriter()), new PrintWriter(err, true), args);
        return new String[] {String.valueOf(code), err.toString()};
    }

    private static String ack(InetSocketAddress address) throws Exception {
        try (Socket s = new Socket()) {
            s.connect(address, 5000);
            s.getOutputStream().write("still there?\n".getBytes(US_ASCII));
            return new String(s.getInputStream().readNBytes(19), US_ASCII);
        }
    }

    @Test
    void portInUseNamesTheEndpointAndLeavesTheOtherServerServing() throws Exception {
        try (RunningServer first = EchoAckServer.start(ServerConfig.defaults().withListen("tcp://127.0.0.1:0"))) {
            int port = first.boundEndpoints().get(0).port();
            ServerStartException e = assertThrows(ServerStartException.class, () -> EchoAckServer.start(
                    ServerConfig.defaults().withListen("udp://127.0.0.1:0", "tcp://127.0.0.1:" + port)));
            assertEquals("cannot listen on tcp://127.0.0.1:" + port + ": address already in use", e.getMessage());

            String[] result = cli("--listen", "tcp://127.0.0.1:" + port);
            assertEquals("2", result[0]);
            assertEquals("echoack-server: cannot listen on tcp://127.0.0.1:" + port + ": address already in use",
                    result[1].strip(), "one line, no stack trace");
            assertEquals("I got your message\n", ack(new InetSocketAddress("127.0.0.1", port)));
        }
    }

    @Test
    void portInUseByAnotherProgramOnNio() throws Exception {
        try (ServerSocket other = new ServerSocket(0, 50, java.net.InetAddress.getLoopbackAddress())) {
            ServerStartException e = assertThrows(ServerStartException.class, () -> EchoAckServer.start(
                    ServerConfig.defaults().withTransport(Transport.NIO)
                            .withListen("tcp://127.0.0.1:" + other.getLocalPort())));
            assertTrue(e.getMessage().endsWith(": address already in use"), e.getMessage());
        }
    }

    @Test
    void liveUnixSocketIsRefusedAndKeepsWorking() throws Exception {
        Path path = dir.resolve("live.sock");
        try (RunningServer first = EchoAckServer.start(ServerConfig.defaults().withListen("unix://" + path))) {
            ServerStartException e = assertThrows(ServerStartException.class,
                    () -> EchoAckServer.start(ServerConfig.defaults().withListen("unix://" + path)));
            assertEquals("cannot listen on unix://" + path + ": another server is listening on " + path,
                    e.getMessage());
            try (var ch = java.nio.channels.SocketChannel.open(UnixDomainSocketAddress.of(path))) {
                ch.write(java.nio.ByteBuffer.wrap("hi\n".getBytes(US_ASCII)));
                assertEquals("I got your message\n",
                        new String(java.nio.channels.Channels.newInputStream(ch).readNBytes(19), US_ASCII));
            }
        }
    }

    @Test
    void staleUnixSocketFileIsReplaced() throws Exception {
        Path path = dir.resolve("stale.sock");
        ServerSocketChannel dead = ServerSocketChannel.open(StandardProtocolFamily.UNIX);
        dead.bind(UnixDomainSocketAddress.of(path));
        dead.close(); // the JDK leaves the file behind, as a crashed server would
        assertTrue(Files.exists(path));
        for (Transport transport : new Transport[] {Transport.AUTO, Transport.NIO}) {
            try (RunningServer server = EchoAckServer.start(
                    ServerConfig.defaults().withTransport(transport).withListen("unix://" + path))) {
                try (var ch = java.nio.channels.SocketChannel.open(UnixDomainSocketAddress.of(path))) {
                    ch.write(java.nio.ByteBuffer.wrap("hi\n".getBytes(US_ASCII)));
                    assertEquals("I got your message\n",
                            new String(java.nio.channels.Channels.newInputStream(ch).readNBytes(19), US_ASCII));
                }
            }
            assertFalse(Files.exists(path), "removed on close");
            dead = ServerSocketChannel.open(StandardProtocolFamily.UNIX);
            dead.bind(UnixDomainSocketAddress.of(path));
            dead.close();
        }
    }

    @Test
    void liveAndStaleUnixDatagramSockets() throws Exception {
        TestTransports.assumeAvailable(Transport.EPOLL);
        Path path = dir.resolve("gram.sock");
        EventLoopGroup group = new MultiThreadIoEventLoopGroup(1, Transport.EPOLL.ioHandlerFactory());
        try {
            Channel holder = new Bootstrap().group(group)
                    .channelFactory(Transport.EPOLL.datagramChannelFactory(EndpointKind.UNIXGRAM))
                    .handler(new ChannelInboundHandlerAdapter())
                    .bind(new DomainSocketAddress(path.toString())).sync().channel();
            ServerStartException e = assertThrows(ServerStartException.class,
                    () -> EchoAckServer.start(ServerConfig.defaults().withListen("unixgram://" + path)));
            assertTrue(e.getMessage().endsWith("another server is listening on " + path), e.getMessage());
            holder.close().sync(); // a closed Unix datagram socket leaves its file behind: stale now
            assertTrue(Files.exists(path));
            try (RunningServer server = EchoAckServer.start(ServerConfig.defaults().withListen("unixgram://" + path))) {
                assertEquals(1, server.boundEndpoints().size());
            }
            assertFalse(Files.exists(path), "removed on close");
        } finally {
            group.shutdownGracefully(0, 1, TimeUnit.SECONDS).sync();
        }
    }

    @Test
    void aFileThatIsNotASocketIsNeverReplaced() throws Exception {
        Path path = dir.resolve("precious.txt");
        Files.writeString(path, "data");
        ServerStartException e = assertThrows(ServerStartException.class,
                () -> EchoAckServer.start(ServerConfig.defaults().withListen("unix://" + path)));
        assertEquals("cannot listen on unix://" + path + ": " + path + " exists and is not a socket; refusing to "
                + "replace it", e.getMessage());
        assertEquals("data", Files.readString(path));
    }

    @Test
    void missingDirectory() {
        Path path = dir.resolve("no/such/dir/x.sock");
        ServerStartException e = assertThrows(ServerStartException.class,
                () -> EchoAckServer.start(ServerConfig.defaults().withListen("unix://" + path)));
        assertTrue(e.getMessage().endsWith("directory " + path.getParent() + " does not exist"), e.getMessage());
    }

    @Test
    void unixDatagramOnNioNamesTheTransportsThatCan() {
        ServerStartException e = assertThrows(ServerStartException.class, () -> EchoAckServer.start(
                ServerConfig.defaults().withTransport(Transport.NIO).withListen("unixgram://" + dir.resolve("g"))));
        assertEquals("cannot listen on unixgram://" + dir.resolve("g") + ": the nio transport has no Unix datagram "
                + "sockets; use transport epoll (Linux) or kqueue (macOS/BSD)", e.getMessage(),
                "a library caller is told the field, not a flag");
    }

    @Test
    void unixDatagramOnNioNamesTheFlagOrTheVariableOnTheCommandLine() {
        String endpoint = "unixgram://" + dir.resolve("g");
        String[] typed = cli("--transport", "nio", "--listen", endpoint);
        assertEquals("2", typed[0]);
        assertEquals("echoack-server: cannot listen on " + endpoint + ": the nio transport has no Unix datagram "
                + "sockets; use --transport epoll (Linux) or kqueue (macOS/BSD)", typed[1].strip());
        StringWriter err = new StringWriter();
        int code = Main.execute(CompletableFuture.completedFuture(null), new PrintWriter(new StringWriter()),
                new PrintWriter(err, true), Map.of("ECHOACK_TRANSPORT", "nio"), "--listen", endpoint);
        assertEquals(2, code);
        assertEquals("echoack-server: cannot listen on " + endpoint + ": the nio transport has no Unix datagram "
                + "sockets; use ECHOACK_TRANSPORT epoll (Linux) or kqueue (macOS/BSD)", err.toString().strip());
    }

    @Test
    void badEndpointsAndFlagsExitTwoWithOneLine() {
        String[] r = cli("--listen", "tcp://localhost");
        assertEquals("2", r[0]);
        assertTrue(r[1].startsWith("echoack-server: --listen: invalid endpoint 'tcp://localhost': missing port"),
                r[1]);
        assertEquals(1, r[1].lines().count(), "a bad value is one line: " + r[1]);

        r = cli("--listen", "ftp://x:1");
        assertEquals("2", r[0]);
        assertTrue(r[1].contains("unknown scheme 'ftp'"), r[1]);

        r = cli("--mode", "loud", "--listen", "tcp://127.0.0.1:0");
        assertEquals("2", r[0]);
        assertTrue(r[1].contains("unknown mode 'loud' (expected ack, echo or info)"), r[1]);

        r = cli("--no-such-flag");
        assertEquals("2", r[0]);
        assertTrue(r[1].contains("Unknown option: '--no-such-flag'"), r[1]);
        assertTrue(r[1].contains("Try 'echoack-server --help'"), "an unknown option points at the help: " + r[1]);

        r = cli("--max-frame", "0", "--listen", "tcp://127.0.0.1:0");
        assertEquals("2", r[0]);
        assertTrue(r[1].contains("maxFrameLength must be"), r[1]);

        r = cli("--listen", "tcp://no-such-host.invalid:1");
        assertEquals("2", r[0]);
        assertTrue(r[1].contains("cannot listen on tcp://no-such-host.invalid:1: unknown host"), r[1]);
    }

    @Test
    void startsAndStopsCleanlyWithExitZero() {
        String[] r = cli("--listen", "tcp://127.0.0.1:0", "--listen", "udp://127.0.0.1:0");
        assertEquals("0", r[0], r[1]);
    }

    @Test
    void tlsConfigurationErrorsExitTwoWithOneLineNamingTheOptionAndFile() throws Exception {
        TestPki pki = TestPki.create(dir.resolve("pki"));
        String cert = pki.serverCert().toString();
        String key = pki.serverKey().toString();
        Path garbage = dir.resolve("garbage.pem");
        Files.writeString(garbage, "not a certificate\n");
        Path missing = dir.resolve("missing.pem");

        assertOneLine("echoack-server: --listen: tls://127.0.0.1:0 needs a certificate and its key: set --tls-cert "
                + "(or ECHOACK_TLS_CERT) and --tls-key (or ECHOACK_TLS_KEY)", "--listen", "tls://127.0.0.1:0");
        assertOneLine("echoack-server: --tls-cert: cannot read " + missing + ": no such file",
                "--listen", "tls://127.0.0.1:0", "--tls-cert", missing.toString(), "--tls-key", key);
        assertOneLine("echoack-server: --tls-cert: " + garbage + " holds no PEM certificate (expected '-----BEGIN "
                + "CERTIFICATE-----')", "--listen", "tls://127.0.0.1:0", "--tls-cert", garbage.toString(), "--tls-key", key);
        assertOneLine("echoack-server: --tls-key: " + garbage + " holds no PEM private key (expected '-----BEGIN "
                + "PRIVATE KEY-----')", "--listen", "tls://127.0.0.1:0", "--tls-cert", cert, "--tls-key", garbage.toString());
        assertOneLine("echoack-server: --tls-key: the key in " + pki.clientKey() + " does not belong to the certificate "
                + "in " + cert + " (the first certificate there must be the server's own)",
                "--listen", "tls://127.0.0.1:0", "--tls-cert", cert, "--tls-key", pki.clientKey().toString());
        assertOneLine("echoack-server: --tls-client-ca: cannot read " + missing + ": no such file",
                "--listen", "tls://127.0.0.1:0", "--tls-cert", cert, "--tls-key", key,
                "--tls-client-ca", missing.toString());
        assertOneLine("echoack-server: --tls-cert: a certificate is set but no endpoint is tls://; listen on one "
                + "(e.g. -l tls://0.0.0.0:8443) or drop the TLS settings",
                "--listen", "tcp://127.0.0.1:0", "--tls-cert", cert, "--tls-key", key);
        assertOneLine("echoack-server: --tls-cert: a certificate needs its key: set --tls-key (or ECHOACK_TLS_KEY)",
                "--listen", "tls://127.0.0.1:0", "--tls-cert", cert);
        assertOneLine("echoack-server: --tls-provider: unknown TLS provider 'nss' (expected auto, openssl or jdk)",
                "--listen", "tls://127.0.0.1:0", "--tls-cert", cert, "--tls-key", key, "--tls-provider", "nss");
        assertOneLine("echoack-server: --tls-handshake-timeout: 'soon' is not a duration (expected e.g. 500ms, 2s, "
                + "1.5s, 1m)", "--listen", "tls://127.0.0.1:0", "--tls-cert", cert, "--tls-key", key,
                "--tls-handshake-timeout", "soon");

        String[] ok = cli("--listen", "tls://127.0.0.1:0", "--tls-cert", cert, "--tls-key", key);
        assertEquals("0", ok[0], ok[1]);
    }

    private static void assertOneLine(String expected, String... args) {
        String[] r = cli(args);
        assertEquals("2", r[0], r[1]);
        assertEquals(List.of(expected), r[1].lines().toList(), r[1]);
        assertFalse(r[1].contains("\tat "), "no stack trace: " + r[1]);
    }

    /** The real jar, as a user runs it: a bad certificate file is one line on stderr and exit code 2. */
    @Test
    void theServerProcessExitsTwoOnAGarbageCertificate() throws Exception {
        TestPki pki = TestPki.create(dir.resolve("pki"));
        Path garbage = dir.resolve("cert.pem");
        Files.writeString(garbage, "-----BEGIN CERTIFICATE-----\nnot base64 at all!\n-----END CERTIFICATE-----\n");
        ChildProcess.Result result = ChildProcess.run(List.of(Tools.java(), "-jar", Tools.serverJar(), "--listen",
                "tls://127.0.0.1:0", "--tls-cert", garbage.toString(), "--tls-key", pki.serverKey().toString()),
                new byte[0], Duration.ofSeconds(30));
        assertEquals(2, result.exitCode(), result::toString);
        List<String> errors = result.stderr().lines().filter(l -> l.startsWith("echoack-server:")).toList();
        assertEquals(List.of("echoack-server: --tls-cert: " + garbage + " holds no PEM certificate (expected "
                + "'-----BEGIN CERTIFICATE-----')"), errors, result::toString);
        assertFalse(result.stderr().contains("\tat "), result::toString);
    }
}
