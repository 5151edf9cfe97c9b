package io.echoack.server.service;

import static java.nio.charset.StandardCharsets.US_ASCII;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.echoack.common.endpoint.Endpoint;
import io.echoack.common.testing.TestPki;
import io.echoack.common.tls.PemFiles;
import io.echoack.server.testing.ChildProcess;
import io.echoack.server.testing.TlsClients;
import io.echoack.server.testing.Tools;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLSocket;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/** The real server configured only by ECHOACK_* environment variables, as a container configures it. */
@Timeout(value = 60, unit = TimeUnit.SECONDS)
class EnvironmentConfigIT {

    private static ChildProcess start(Map<String, String> env, String... args) throws Exception {
        List<String> command = new java.util.ArrayList<>(List.of(Tools.java(), "-jar", Tools.serverJar()));
        command.addAll(List.of(args));
        return ChildProcess.start(command, pb -> {
            pb.environment().keySet().removeIf(k -> k.startsWith("ECHOACK_"));
            pb.environment().putAll(env);
        });
    }

    /** The server's log, with JSON's escaped slashes ("\/") read back as slashes. */
    private static String log(ChildProcess p) {
        return p.stderrText().replace("\\/", "/");
    }

    private static int port(ChildProcess p, String pattern) {
        Matcher m = Pattern.compile(pattern).matcher(log(p));
        assertTrue(m.find(), p::toString);
        return Integer.parseInt(m.group(1));
    }

    @Test
    void everySettingComesFromTheEnvironment() throws Exception {
        try (ChildProcess server = start(Map.of(
                "ECHOACK_LISTEN", "tcp://127.0.0.1:0, tcp://127.0.0.1:0?mode=ack",
                "ECHOACK_MODE", "echo",
                "ECHOACK_FRAMING", "line",
                "ECHOACK_ACK_TEXT", "roger",
                "ECHOACK_MAX_FRAME", "8",
                "ECHOACK_ADMIN", "http://127.0.0.1:0",
                "ECHOACK_LOG_FORMAT", "json",
                "ECHOACK_DRAIN_TIMEOUT", "1s"))) {
            assertTrue(server.awaitStderr(err -> err.contains("admin endpoint on"), Duration.ofSeconds(30)),
                    server::toString);
            for (String line : server.stderrText().strip().split("\n")) {
                assertTrue(line.startsWith("{") && line.endsWith("}") && line.contains("\"level\":\"INFO\""),
                        "one JSON object per line: " + line);
            }
            Matcher ports = Pattern.compile("listening on tcp://127\\.0\\.0\\.1:(\\d+)").matcher(log(server));
            assertTrue(ports.find());
            int echoPort = Integer.parseInt(ports.group(1));
            assertTrue(ports.find());
            int ackPort = Integer.parseInt(ports.group(1));
            assertEquals("hi\n", exchange(echoPort, "hi\n", 3));
            assertEquals("roger\nERROR: message longer than 8 bytes\n", exchange(ackPort, "ok\n123456789\n", 41));

            int admin = port(server, "admin endpoint on http://127\\.0\\.0\\.1:(\\d+)");
            HttpResponse<String> health = HttpClient.newHttpClient().send(HttpRequest.newBuilder(
                    URI.create("http://127.0.0.1:" + admin + "/healthz")).build(), HttpResponse.BodyHandlers.ofString());
            assertEquals(200, health.statusCode());

            server.terminate();
            ChildProcess.Result result = server.awaitExit(Duration.ofSeconds(15));
            assertEquals(0, result.exitCode(), result::toString);
        }
    }

    private static String exchange(int port, String send, int expect) throws Exception {
        try (Socket s = new Socket()) {
            s.connect(new InetSocketAddress("127.0.0.1", port), 5000);
            s.setSoTimeout(10_000);
            s.getOutputStream().write(send.getBytes(US_ASCII));
            return new String(s.getInputStream().readNBytes(expect), US_ASCII);
        }
    }

    @Test
    void aBadVariableIsOneLineNamingIt() throws Exception {
        for (Map.Entry<String, String> bad : List.of(
                Map.entry("ECHOACK_MODE", "loud"),
                Map.entry("ECHOACK_MAX_FRAME", "lots"),
                Map.entry("ECHOACK_LISTEN", "tcp://nowhere"),
                Map.entry("ECHOACK_DRAIN_TIMEOUT", "soon"),
                Map.entry("ECHOACK_LOG_LEVEL", "chatty"),
                Map.entry("ECHOACK_ADMIN", "ftp://x:1"),
                Map.entry("ECHOACK_PRINT_MESSAGES", "maybe"))) {
            try (ChildProcess server = start(Map.of(bad.getKey(), bad.getValue(), "ECHOACK_LISTEN_UNUSED", "x"))) {
                ChildProcess.Result r = server.awaitExit(Duration.ofSeconds(20));
                assertEquals(2, r.exitCode(), r::toString);
                List<String> lines = r.stderr().strip().lines().toList();
                assertEquals(1, lines.size(), "one line: " + r);
                assertTrue(lines.get(0).startsWith("echoack-server: " + bad.getKey() + ": "),
                        "names the variable: " + lines.get(0));
            }
        }
    }

    @Test
    void flagsWinOverTheEnvironment() throws Exception {
        try (ChildProcess server = start(Map.of("ECHOACK_MODE", "echo", "ECHOACK_LISTEN", "tcp://127.0.0.1:0"),
                "--mode", "ack")) {
            assertTrue(server.awaitStderr(err -> err.contains("listening on"), Duration.ofSeconds(30)),
                    server::toString);
            int port = port(server, "listening on tcp://127\\.0\\.0\\.1:(\\d+) \\(ack");
            assertEquals("I got your message\n", exchange(port, "x\n", 19));
        }
    }

    /** The startup log names a setting as the user gave it: the library's field name becomes the flag or variable. */
    @Test
    void theStartupLogNamesTheFlagOrTheVariableThatChoseTheTransport() throws Exception {
        try (ChildProcess server = start(Map.of("ECHOACK_LISTEN", "tcp://127.0.0.1:0", "ECHOACK_TRANSPORT", "nio"))) {
            assertTrue(server.awaitStderr(err -> err.contains("listening on"), Duration.ofSeconds(30)),
                    server::toString);
            assertTrue(log(server).contains("transport nio (requested with ECHOACK_TRANSPORT nio)"), server::toString);
        }
        try (ChildProcess server = start(Map.of("ECHOACK_LISTEN", "tcp://127.0.0.1:0", "ECHOACK_TRANSPORT", "epoll"),
                "--transport", "nio")) {
            assertTrue(server.awaitStderr(err -> err.contains("listening on"), Duration.ofSeconds(30)),
                    server::toString);
            assertTrue(log(server).contains("transport nio (requested with --transport nio)"), server::toString);
        }
    }

    @Test
    void tlsFromTheEnvironment(@TempDir Path dir) throws Exception {
        TestPki pki = TestPki.create(dir);
        Path encrypted = dir.resolve("encrypted.key");
        TestPki.writeEncryptedKey(PemFiles.readPrivateKey(pki.serverKey(), null), "s3cret".toCharArray(), encrypted);
        try (ChildProcess server = start(Map.of(
                "ECHOACK_LISTEN", "tls://127.0.0.1:0",
                "ECHOACK_TLS_CERT", pki.serverCert().toString(),
                "ECHOACK_TLS_KEY", encrypted.toString(),
                "ECHOACK_TLS_KEY_PASSWORD", "s3cret",
                "ECHOACK_TLS_CLIENT_CA", pki.caCert().toString(),
                "ECHOACK_TLS_PROVIDER", "jdk",
                "ECHOACK_TLS_HANDSHAKE_TIMEOUT", "2s"))) {
            assertTrue(server.awaitStderr(err -> err.contains("listening on"), Duration.ofSeconds(30)),
                    server::toString);
            assertTrue(log(server).contains("TLS provider jdk (requested with ECHOACK_TLS_PROVIDER jdk); certificate "
                    + "CN=localhost"), server::toString);
            assertTrue(log(server).contains("client certificates required (signed by " + pki.caCert() + ")"),
                    server::toString);
            int port = port(server, "listening on tls://127\\.0\\.0\\.1:(\\d+)");
            SSLContext client = TlsClients.context(pki.caCert(), pki.clientCert(), pki.clientKey());
            try (SSLSocket s = TlsClients.connect(client, Endpoint.parse("tls://127.0.0.1:" + port))) {
                s.getOutputStream().write("hi\n".getBytes(US_ASCII));
                assertEquals("I got your message\n", new String(s.getInputStream().readNBytes(19), US_ASCII));
            }
        }
        try (ChildProcess wrongPassword = start(Map.of("ECHOACK_LISTEN", "tls://127.0.0.1:0",
                "ECHOACK_TLS_CERT", pki.serverCert().toString(), "ECHOACK_TLS_KEY", encrypted.toString(),
                "ECHOACK_TLS_KEY_PASSWORD", "guess"))) {
            ChildProcess.Result r = wrongPassword.awaitExit(Duration.ofSeconds(20));
            assertEquals(2, r.exitCode(), r::toString);
            assertTrue(r.stderr().contains("echoack-server: ECHOACK_TLS_KEY: " + encrypted + ": wrong password for the "
                    + "encrypted private key"), r::toString);
        }
    }
}
