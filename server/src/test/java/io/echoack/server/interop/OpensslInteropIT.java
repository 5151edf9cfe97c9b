package io.echoack.server.interop;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.echoack.server.testing.ChildProcess;
import io.echoack.server.testing.ServerProcess;
import io.echoack.server.testing.Tools;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * The real server jar (default TLS provider) with a certificate made by the README's {@code openssl req}
 * recipe, and {@code openssl s_client} and {@code socat} as clients (both verify the certificate). Also shows that
 * refused peers (plaintext, a client that does not trust the server) cost the server no WARN line, no stack
 * trace and no leak, and that it still exits 0 on SIGTERM. Skipped without openssl.
 */
@Timeout(90)
class OpensslInteropIT {

    private static final Duration TIMEOUT = Duration.ofSeconds(20);

    @TempDir
    static Path dir;

    private static String openssl;
    private static ChildProcess server;
    private static int ackPort;
    private static int echoPort;

    @BeforeAll
    @Timeout(60)
    static void startServer() throws Exception {
        openssl = Tools.require("openssl", "openssl");
        // The README's quick-try certificate, word for word but for the paths.
        ChildProcess.Result made = ChildProcess.run(List.of(openssl, "req", "-x509", "-newkey", "rsa:2048", "-nodes",
                "-keyout", dir.resolve("key.pem").toString(), "-out", dir.resolve("cert.pem").toString(),
                "-days", "30", "-subj", "/CN=localhost",
                "-addext", "subjectAltName=DNS:localhost,IP:127.0.0.1,IP:::1"), new byte[0], TIMEOUT);
        assertEquals(0, made.exitCode(), made::toString);
        server = ServerProcess.start(List.of("-l", "tls://127.0.0.1:0", "-l", "tls://127.0.0.1:0?mode=echo",
                "--tls-cert", dir.resolve("cert.pem").toString(), "--tls-key", dir.resolve("key.pem").toString(),
                "--tls-handshake-timeout", "1s", "--log-level", "debug"), 2, false);
        Matcher m = Pattern.compile("listening on tls://127\\.0\\.0\\.1:(\\d+)").matcher(server.stderrText());
        List<Integer> ports = new ArrayList<>();
        while (m.find()) {
            ports.add(Integer.parseInt(m.group(1)));
        }
        ackPort = ports.get(0);
        echoPort = ports.get(1);
    }

    @AfterAll
    static void stopServer() throws Exception {
        if (server == null) {
            return;
        }
        server.terminate();
        ChildProcess.Result stopped = server.awaitExit(Duration.ofSeconds(30));
        server.close();
        assertEquals(0, stopped.exitCode(), stopped::toString);
        assertEquals(List.of(), ServerProcess.problems(stopped.stderr()), stopped::toString);
        assertFalse(stopped.stderr().contains("\tat "), "no stack trace:\n" + stopped);
    }

    private static List<String> sClient(int port, Path ca) {
        return List.of(openssl, "s_client", "-connect", "127.0.0.1:" + port, "-CAfile", ca.toString(),
                "-verify_ip", "127.0.0.1", "-verify_return_error", "-brief");
    }

    /**
     * Sends {@code message}, waits for {@code reply} on stdout, then ends its input: s_client sends its
     * close_notify and exits. (Closing the input first would race the reply: see the README on close_notify.)
     */
    private static ChildProcess.Result converse(int port, String message, String reply) throws Exception {
        try (ChildProcess client = ChildProcess.start(sClient(port, dir.resolve("cert.pem")))) {
            client.write(message.getBytes(StandardCharsets.US_ASCII), false);
            assertTrue(client.awaitStdout(reply, TIMEOUT), client::toString);
            client.closeStdin();
            return client.awaitExit(TIMEOUT);
        }
    }

    @Test
    void sClientVerifiesTheCertificateAndGetsAcks() throws Exception {
        ChildProcess.Result result = converse(ackPort, "hello\nworld\n", "I got your message\nI got your message\n");
        assertEquals(0, result.exitCode(), result::toString);
        assertTrue(result.stderr().contains("Verification: OK"), result::toString);
        assertTrue(result.stderr().contains("TLSv1.3"), result::toString);
    }

    @Test
    void sClientGetsEchoes() throws Exception {
        ChildProcess.Result result = converse(echoPort, "ping over TLS\n", "ping over TLS\n");
        assertEquals(0, result.exitCode(), result::toString);
    }

    /**
     * socat sends its close_notify right after its input, often in the same read as the last message: the
     * replies still arrive (on the default provider, OpenSSL, thanks to the CloseNotifySeparator).
     */
    @Test
    void socatPipingLinesGetsEveryReply() throws Exception {
        String socat = Tools.require("socat", "socat");
        for (int i = 0; i < 5; i++) {
            ChildProcess.Result result = ChildProcess.run(List.of(socat, "-t", "5", "-",
                    "OPENSSL:127.0.0.1:" + ackPort + ",cafile=" + dir.resolve("cert.pem")),
                    "hello\nworld\n".getBytes(StandardCharsets.US_ASCII), TIMEOUT);
            assertEquals(0, result.exitCode(), result::toString);
            assertEquals("I got your message\nI got your message\n", result.stdoutText(), "attempt " + i + "\n" + result);
        }
    }

    @Test
    void sClientThatDoesNotTrustTheServerFailsAndTheServerShrugs() throws Exception {
        ChildProcess.Result self = ChildProcess.run(List.of(openssl, "req", "-x509", "-newkey", "rsa:2048", "-nodes",
                "-keyout", dir.resolve("other-key.pem").toString(), "-out", dir.resolve("other.pem").toString(),
                "-days", "1", "-subj", "/CN=someone else"), new byte[0], TIMEOUT);
        assertEquals(0, self.exitCode(), self::toString);
        ChildProcess.Result refused = ChildProcess.run(sClient(ackPort, dir.resolve("other.pem")),
                "hello\n".getBytes(StandardCharsets.US_ASCII), TIMEOUT);
        assertNotEquals(0, refused.exitCode(), refused::toString);
        assertFalse(refused.stdoutText().contains("I got your message"), refused::toString);
        assertEquals("ping over TLS\n", converse(echoPort, "ping over TLS\n", "ping over TLS\n").stdoutText());
    }

    @Test
    void plaintextAndSilentPeersAreClosedQuietly() throws Exception {
        try (Socket plain = new Socket(); Socket silent = new Socket()) {
            plain.connect(new InetSocketAddress("127.0.0.1", ackPort), 5000);
            silent.connect(new InetSocketAddress("127.0.0.1", ackPort), 5000);
            plain.setSoTimeout(5000);
            silent.setSoTimeout(5000);
            plain.getOutputStream().write("hello in plaintext\n".getBytes(StandardCharsets.US_ASCII));
            String answer = new String(plain.getInputStream().readAllBytes(), StandardCharsets.ISO_8859_1);
            assertFalse(answer.contains("I got your message"), answer);
            assertEquals(-1, silent.getInputStream().read(), "closed by the 1s handshake timeout");
        }
        assertTrue(server.awaitStderr(err -> err.contains("TLS handshake failed, closing: NotSslRecordException")
                && err.contains("TLS handshake timed out, closing"), TIMEOUT), server::toString);
    }
}
