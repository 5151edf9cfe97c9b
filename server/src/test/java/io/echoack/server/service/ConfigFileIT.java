package io.echoack.server.service;

import static io.echoack.server.testing.ServerProcess.bound;
import static io.echoack.server.testing.TlsClients.tcp;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.echoack.common.endpoint.Endpoint;
import io.echoack.common.testing.TestPki;
import io.echoack.server.testing.ChildProcess;
import io.echoack.server.testing.ServerProcess;
import io.echoack.server.testing.TlsClients;
import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.net.DatagramPacket;
import java.net.DatagramSocket;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.StandardProtocolFamily;
import java.net.UnixDomainSocketAddress;
import java.nio.ByteBuffer;
import java.nio.channels.SocketChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.security.cert.X509Certificate;
import java.time.Duration;
import java.util.List;
import java.util.regex.Pattern;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLSocket;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * The real server configured by a file ({@code --config}): several listeners, each with its own keys, over real
 * loopback sockets; and SIGHUP: a rotated TLS certificate reaches new connections while those made before keep
 * working; a change that needs a restart, a file that no longer builds and a key file that does not read are
 * refused with a message while the server keeps serving as it was.
 */
@Timeout(120)
class ConfigFileIT {

    private static final Duration WAIT = Duration.ofSeconds(20);

    @TempDir
    static Path dir;

    static TestPki pki;
    static Path bothCas;

    @BeforeAll
    static void certificates() throws Exception {
        pki = TestPki.create(dir.resolve("pki"));
        bothCas = dir.resolve("both-cas.pem");
        Files.writeString(bothCas, Files.readString(pki.caCert()) + Files.readString(pki.otherCaCert()));
    }

    @Test
    void everyListenerOfTheFileServesWithItsOwnKeys() throws Exception {
        Path socket = dir.resolve("file.sock");
        Path config = dir.resolve("listeners.yaml");
        Files.writeString(config, String.join("\n",
                "# four listeners, each as a reader would write it",
                "ack-text: file says hi",
                "listeners:",
                "  - tcp://127.0.0.1:0",
                "  - endpoint: tcp://127.0.0.1:0",
                "    mode: echo",
                "    framing: line",
                "  - {endpoint: 'udp://127.0.0.1:0', mode: echo}",
                "  - unix://" + socket,
                ""));
        try (ChildProcess server = ServerProcess.start(List.of("--config", config.toString()), 4, false)) {
            List<Endpoint> bound = bound(server);
            assertEquals(4, bound.size(), server::toString);
            try (Socket ack = tcp(bound.get(0)); Socket echo = tcp(bound.get(1))) {
                assertEquals("file says hi", exchange(ack, "hello"));
                assertEquals("hello", exchange(echo, "hello"));
            }
            try (DatagramSocket udp = new DatagramSocket(new InetSocketAddress("127.0.0.1", 0))) {
                udp.setSoTimeout(5000);
                byte[] sent = "ping".getBytes(StandardCharsets.US_ASCII);
                udp.send(new DatagramPacket(sent, sent.length,
                        new InetSocketAddress(bound.get(2).host(), bound.get(2).port())));
                DatagramPacket reply = new DatagramPacket(new byte[100], 100);
                udp.receive(reply);
                assertEquals("ping", new String(reply.getData(), 0, reply.getLength(), StandardCharsets.US_ASCII));
            }
            try (SocketChannel unix = SocketChannel.open(StandardProtocolFamily.UNIX)) {
                unix.connect(UnixDomainSocketAddress.of(socket));
                unix.write(ByteBuffer.wrap("hi\n".getBytes(StandardCharsets.US_ASCII)));
                ByteBuffer in = ByteBuffer.allocate(100);
                while (in.position() < "file says hi\n".length() && unix.read(in) >= 0) {
                    // bounded: the reply is 13 bytes, and the server's line ends it
                }
                assertEquals("file says hi\n", new String(in.array(), 0, in.position(), StandardCharsets.US_ASCII));
            }
            assertEquals(List.of(), ServerProcess.problems(server.stderrText()), server::toString);
        }
    }

    @Test
    void sighupGivesNewConnectionsTheRotatedCertificateAndRefusesAListenerAdded() throws Exception {
        Path cert = dir.resolve("live.pem");
        Path key = dir.resolve("live.key");
        Files.copy(pki.serverCert(), cert, StandardCopyOption.REPLACE_EXISTING);
        Files.copy(pki.serverKey(), key, StandardCopyOption.REPLACE_EXISTING);
        Path config = dir.resolve("tls.yaml");
        String file = String.join("\n", "tls-cert: " + cert, "tls-key: " + key, "listeners:",
                "  - tls://127.0.0.1:0", "");
        Files.writeString(config, file);
        SSLContext client = TlsClients.context(bothCas, null, null);
        try (ChildProcess server = ServerProcess.start(List.of("--config", config.toString()), 1, false)) {
            Endpoint tls = bound(server).get(0);
            try (SSLSocket before = TlsClients.connect(client, tls)) {
                assertEquals(pki.caCert().toString(), issuerFile(before));
                assertEquals("I got your message", exchange(before, "one"));

                // cert-manager writes the new pair under the same names, then the server is told
                Files.copy(pki.otherServerCert(), cert, StandardCopyOption.REPLACE_EXISTING);
                Files.copy(pki.otherServerKey(), key, StandardCopyOption.REPLACE_EXISTING);
                server.hangUp();
                assertTrue(server.awaitStderr("reload: tls: certificate", WAIT), server::toString);

                try (SSLSocket after = TlsClients.connect(client, tls)) {
                    assertEquals(pki.otherCaCert().toString(), issuerFile(after), "a new connection: the new one");
                    assertEquals("I got your message", exchange(after, "two"));
                }
                assertEquals("I got your message", exchange(before, "three"), "made before: still served");

                Files.writeString(config, file + "  - tcp://127.0.0.1:0\n");
                server.hangUp();
                assertTrue(server.awaitStderr(text -> text.contains("reload: not applied: listeners added "
                        + "[tcp://127.0.0.1:0]: needs a restart"), WAIT), server::toString);
                assertEquals("I got your message", exchange(before, "four"), "still running");
                try (SSLSocket again = TlsClients.connect(client, tls)) {
                    assertEquals("I got your message", exchange(again, "five"));
                }
                assertEquals(1, count(server.stderrText(), "listening on "), "nothing bound on reload");

                Files.writeString(config, file + "max-frame: lots\n");
                server.hangUp();
                assertTrue(server.awaitStderr(text -> text.contains("reload: " + config + ":5: max-frame: 'lots' is "
                        + "not a whole number; nothing changed"), WAIT), server::toString);
                Files.writeString(config, file);
                Files.writeString(key, "-----BEGIN PRIVATE KEY-----\nhalf written");
                server.hangUp();
                assertTrue(server.awaitStderr(text -> text.contains("still serving the previous one"), WAIT),
                        server::toString);
                try (SSLSocket last = TlsClients.connect(client, tls)) {
                    assertEquals(pki.otherCaCert().toString(), issuerFile(last), "the certificate it had");
                    assertEquals("I got your message", exchange(last, "six"));
                }
                assertEquals("I got your message", exchange(before, "seven"));
            }
            server.terminate();
            assertEquals(0, server.awaitExit(WAIT).exitCode(), "SIGTERM still drains and exits 0");
        }
    }

    @Test
    void sighupWithoutAFileReadsTheTlsFilesOfTheFlagsAgain() throws Exception {
        Path cert = dir.resolve("flags.pem");
        Path key = dir.resolve("flags.key");
        Files.copy(pki.serverCert(), cert, StandardCopyOption.REPLACE_EXISTING);
        Files.copy(pki.serverKey(), key, StandardCopyOption.REPLACE_EXISTING);
        SSLContext client = TlsClients.context(bothCas, null, null);
        try (ChildProcess server = ServerProcess.start(List.of("-l", "tls://127.0.0.1:0", "--tls-cert",
                cert.toString(), "--tls-key", key.toString()), 1, false)) {
            Endpoint tls = bound(server).get(0);
            Files.copy(pki.otherServerCert(), cert, StandardCopyOption.REPLACE_EXISTING);
            Files.copy(pki.otherServerKey(), key, StandardCopyOption.REPLACE_EXISTING);
            server.hangUp();
            assertTrue(server.awaitStderr("reload: tls: certificate", WAIT), server::toString);
            try (SSLSocket after = TlsClients.connect(client, tls)) {
                assertEquals(pki.otherCaCert().toString(), issuerFile(after));
            }
            assertTrue(server.stderrText().contains("reload: reading the configuration again (no configuration file)"),
                    server::toString);
        }
    }

    /** Which of the test CAs signed the certificate this connection got, as its file. */
    private static String issuerFile(SSLSocket socket) throws Exception {
        X509Certificate leaf = (X509Certificate) socket.getSession().getPeerCertificates()[0];
        return leaf.getIssuerX500Principal().getName().contains("unrelated") ? pki.otherCaCert().toString()
                : pki.caCert().toString();
    }

    /** Sends one line and reads the one-line reply. */
    private static String exchange(Socket socket, String line) throws Exception {
        socket.getOutputStream().write((line + "\n").getBytes(StandardCharsets.US_ASCII));
        socket.getOutputStream().flush();
        return new BufferedReader(new InputStreamReader(socket.getInputStream(), StandardCharsets.US_ASCII))
                .readLine();
    }

    private static int count(String text, String part) {
        return text.split(Pattern.quote(part), -1).length - 1;
    }
}
