package io.echoack.client.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import io.echoack.client.net.FailureKind;
import io.echoack.client.testing.CliRun;
import io.echoack.client.testing.ProxyRecordingServer;
import io.echoack.client.testing.ProxyRecordingServer.Header;
import io.echoack.client.testing.TestServer;
import io.echoack.common.transport.Transport;
import java.io.File;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code --proxy-header} against HAProxy itself ({@code bind ... accept-proxy}, tcp mode): a header of either
 * version gets through to a plain echo backend and a connection without one is refused; a second frontend
 * forwards what HAProxy read from the header ({@code send-proxy-v2}) to a server in the test that records it.
 * Skipped when {@code haproxy} is not installed ({@code .ci/run} installs it).
 */
@Timeout(120)
class HaproxyIT {

    @TempDir
    static Path dir;

    static Process haproxy;
    static TestServer echo;
    static ProxyRecordingServer recorder;
    /** HAProxy's frontend in front of the echo server. */
    static int plainPort;
    /** HAProxy's frontend in front of the recorder, which it sends its own PROXY v2 header. */
    static int relayPort;

    @BeforeAll
    static void start() throws Exception {
        Path binary = haproxyBinary();
        assumeTrue(binary != null, "haproxy is not installed (Debian: apt-get install haproxy; .ci/run installs it)");
        echo = TestServer.start(Transport.select(Transport.AUTO).transport(), List.of("tcp://127.0.0.1:0?mode=echo"));
        recorder = ProxyRecordingServer.start("tcp://127.0.0.1:0", null);
        // HAProxy cannot say which port it bound to: pick free ones, and pick again if one was taken meanwhile.
        for (int attempt = 1; attempt <= 3 && haproxy == null; attempt++) {
            int[] ports = freePorts();
            Path config = dir.resolve("haproxy-" + attempt + ".cfg");
            Files.writeString(config, config(ports[0], ports[1], echo.endpoint(0).port(), recorder.endpoint().port()));
            Path log = dir.resolve("haproxy-" + attempt + ".log");
            Process process = new ProcessBuilder(binary.toString(), "-db", "-f", config.toString())
                    .redirectErrorStream(true).redirectOutput(log.toFile()).start();
            if (listening(process, ports[0]) && listening(process, ports[1])) {
                haproxy = process;
                plainPort = ports[0];
                relayPort = ports[1];
            } else {
                process.destroyForcibly().waitFor(10, TimeUnit.SECONDS);
                if (attempt == 3) {
                    throw new AssertionError("haproxy did not start: " + Files.readString(log));
                }
            }
        }
    }

    @AfterAll
    static void stop() throws Exception {
        if (haproxy != null) {
            haproxy.destroy();
            if (!haproxy.waitFor(10, TimeUnit.SECONDS)) {
                haproxy.destroyForcibly().waitFor(10, TimeUnit.SECONDS);
            }
        }
        if (recorder != null) {
            recorder.close();
        }
        if (echo != null) {
            echo.close();
        }
    }

    @Test
    void withEitherVersionTheMessageGetsThroughToTheEchoBackend() {
        for (String version : List.of("v1", "v2")) {
            CliRun run = CliRun.run("", "send", "tcp://127.0.0.1:" + plainPort, "hello " + version, "--mode", "echo",
                    "--proxy-header", version);
            assertEquals(0, run.exitCode(), version + ": " + run.err());
            assertEquals("hello " + version + "\n", run.out());
        }
        CliRun check = CliRun.run("", "check", "tcp://127.0.0.1:" + plainPort, "--expect", "echo", "--proxy-header",
                "v2", "--proxy-tlv", "alpn=h2");
        assertEquals(0, check.exitCode(), check.err());
    }

    @Test
    void withoutAHeaderHaproxyRefusesTheConnection() {
        CliRun run = CliRun.run("", "send", "tcp://127.0.0.1:" + plainPort, "hello", "--mode", "echo",
                "--timeout", "5s");
        assertEquals(ExitCodes.of(FailureKind.RESET), run.exitCode(), run.err());
        assertEquals("", run.out());
    }

    @Test
    void haproxyPassesOnTheAddressesAndTheAuthorityItRead() throws Exception {
        recorder.drain();
        CliRun run = CliRun.run("", "send", "tcp://127.0.0.1:" + relayPort, "hello", "--proxy-header", "v2",
                "--proxy-source", "203.0.113.7:51234", "--proxy-destination", "198.51.100.2:443",
                "--proxy-tlv", "authority=example.com");
        assertEquals(0, run.exitCode(), run.err());
        assertEquals(ProxyRecordingServer.ACK + "\n", run.out());
        Header header = recorder.next();
        assertEquals("203.0.113.7:51234", header.source() + ":" + header.sourcePort());
        assertEquals("198.51.100.2:443", header.destination() + ":" + header.destinationPort());
        String authority = "0x02=" + HexFormat.of().formatHex("example.com".getBytes(StandardCharsets.US_ASCII));
        assertTrue(header.tlvs().contains(authority), header.tlvs().toString());
    }

    @Test
    void eachBenchConnectionClaimsItsOwnSourcePortThroughHaproxy() throws Exception {
        recorder.drain();
        CliRun run = CliRun.run("", "bench", "tcp://127.0.0.1:" + relayPort, "--proxy-header", "v1", "-c", "3",
                "--count", "30", "--warmup", "0", "--quiet");
        assertEquals(0, run.exitCode(), run.err());
        List<Header> headers = new ArrayList<>(List.of(recorder.next(), recorder.next(), recorder.next()));
        headers.addAll(recorder.drain());
        assertEquals(3, headers.size(), "one connection each: " + headers);
        for (Header header : headers) {
            assertEquals("127.0.0.1", header.source(), header.toString());
            assertEquals(relayPort, header.destinationPort(), "the connection's own destination: " + header);
        }
        assertEquals(3, headers.stream().map(Header::sourcePort).collect(Collectors.toSet()).size(),
                "three connections, three source ports: " + headers);
    }

    private static String config(int plain, int relay, int echoPort, int recorderPort) {
        return String.join("\n",
                "global",
                "    maxconn 200",
                "defaults",
                "    mode tcp",
                "    timeout connect 5s",
                "    timeout client 30s",
                "    timeout server 30s",
                "frontend plain",
                "    bind 127.0.0.1:" + plain + " accept-proxy",
                "    default_backend echo",
                "frontend relay",
                "    bind 127.0.0.1:" + relay + " accept-proxy",
                "    default_backend recorder",
                "backend echo",
                "    server echo 127.0.0.1:" + echoPort,
                "backend recorder",
                "    server recorder 127.0.0.1:" + recorderPort + " send-proxy-v2 proxy-v2-options authority",
                "");
    }

    /** Two ports free a moment ago. */
    private static int[] freePorts() throws IOException {
        try (ServerSocket a = new ServerSocket(0, 1, java.net.InetAddress.getLoopbackAddress());
             ServerSocket b = new ServerSocket(0, 1, java.net.InetAddress.getLoopbackAddress())) {
            return new int[] {a.getLocalPort(), b.getLocalPort()};
        }
    }

    /** True once {@code port} accepts connections, false if the process ended first or 10 s passed. */
    private static boolean listening(Process process, int port) throws InterruptedException {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
        while (process.isAlive() && System.nanoTime() - deadline < 0) {
            try (Socket socket = new Socket()) {
                socket.connect(new InetSocketAddress("127.0.0.1", port), 500);
                return true;
            } catch (IOException notYet) {
                Thread.sleep(50);
            }
        }
        return false;
    }

    private static Path haproxyBinary() {
        String path = System.getenv().getOrDefault("PATH", "") + File.pathSeparator + "/usr/sbin:/usr/local/sbin:/sbin";
        return Stream.of(path.split(File.pathSeparator)).filter(d -> !d.isEmpty())
                .map(d -> Path.of(d, "haproxy")).filter(Files::isExecutable).findFirst().orElse(null);
    }
}
