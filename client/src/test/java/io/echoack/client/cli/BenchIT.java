package io.echoack.client.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.echoack.client.bench.HistogramText;
import io.echoack.client.testing.CliRun;
import io.echoack.client.testing.TestServer;
import io.echoack.common.endpoint.EndpointKind;
import io.echoack.common.transport.Transport;
import io.echoack.server.config.ServerConfig;
import io.echoack.server.limits.ConnectionLimits;
import java.io.IOException;
import java.net.DatagramPacket;
import java.net.DatagramSocket;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.net.SocketException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;
import org.HdrHistogram.Histogram;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * {@code echoack bench} against a real echoack server on loopback, every endpoint kind in echo and ack mode,
 * and against servers that answer wrongly, drop datagrams, or do not exist. Runs are counted, not timed
 * ({@code --count}, no warm-up), and nothing here asserts on speed.
 */
@Timeout(60)
class BenchIT {

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final String[] LISTEN = {
            "tcp://127.0.0.1:0?mode=echo",
            "tcp://127.0.0.1:0?mode=ack",
            "udp://127.0.0.1:0?mode=echo",
            "udp://127.0.0.1:0?mode=ack",
            "unix://%s/echo.sock?mode=echo",
            "unix://%s/ack.sock?mode=ack",
            "unixgram://%s/echo.gram?mode=echo",
            "unixgram://%s/ack.gram?mode=ack",
            "tcp://127.0.0.1:0?mode=echo&framing=length",
            "tcp://127.0.0.1:0?mode=ack&framing=raw",
    };
    private static final int TCP_ECHO = 0;
    private static final int TCP_ACK = 1;
    private static final int UDP_ECHO = 2;
    private static final int UDP_ACK = 3;
    private static final int UNIX_ECHO = 4;
    private static final int UNIX_ACK = 5;
    private static final int UNIXGRAM_ACK = 7;
    private static final int TCP_ECHO_LENGTH = 8;
    private static final int TCP_ACK_RAW = 9;

    @TempDir
    static Path socketDir;

    private static TestServer server;

    @BeforeAll
    static void start() throws Exception {
        Transport transport = Transport.select(Transport.AUTO).transport();
        assumeTrue(transport.supports(EndpointKind.UNIXGRAM), "the Unix datagram endpoints need epoll or kqueue");
        server = TestServer.start(transport,
                Arrays.stream(LISTEN).map(uri -> uri.replace("%s", socketDir.toString())).toList());
    }

    @AfterAll
    static void stop() {
        if (server != null) {
            server.close();
        }
    }

    private static String endpoint(int index) {
        return server.endpoint(index).toString();
    }

    /** Runs bench with its JSON on stdout, and returns the parsed JSON; the table is on stderr. */
    private static Run bench(String... args) throws IOException {
        List<String> all = new ArrayList<>(List.of("bench"));
        all.addAll(List.of(args));
        all.addAll(List.of("--json", "-", "--quiet"));
        CliRun run = CliRun.run("", all.toArray(String[]::new));
        JsonNode json = run.out().isEmpty() ? null : JSON.readTree(run.out());
        return new Run(run, json);
    }

    private record Run(CliRun cli, JsonNode json) {
        long errors(String key) {
            return json.get("errors").get(key).asLong();
        }

        void assertClean(long messages) {
            assertEquals(ExitCodes.OK, cli.exitCode(), cli.err());
            assertEquals(messages, json.get("messages").asLong(), cli.err());
            assertEquals(messages, json.get("sent").asLong(), cli.err());
            assertEquals(0, errors("total"), cli.err());
            assertEquals(0, json.get("exit_code").asInt());
            assertTrue(json.get("latency_us").get("p50").asDouble() > 0, cli.err());
            assertTrue(json.get("latency_us").get("max").asDouble() >= json.get("latency_us").get("p99").asDouble());
            assertTrue(json.get("msgs_per_s").asDouble() > 0);
            assertTrue(cli.err().contains("errors: none"), cli.err());
        }
    }

    @ParameterizedTest(name = "{0}")
    @ValueSource(ints = {0, 1, 2, 3, 4, 5, 6, 7, 8})
    void aClosedLoopOnEveryKindInEchoAndAck(int index) throws IOException {
        Run run = bench(endpoint(index), "--count", "300", "--connections", "2", "--pipeline", "4", "--warmup", "0",
                "--timeout", "5s");
        run.assertClean(300);
        String listen = LISTEN[index];
        assertEquals(listen.contains("mode=echo") ? "echo" : "ack", run.json().get("expect").asText());
        assertEquals(listen.substring(0, listen.indexOf(':')), run.json().get("kind").asText());
    }

    @Test
    void sixteenInFlightPerConnection() throws IOException {
        Run run = bench(endpoint(TCP_ECHO), "--count", "4000", "-c", "4", "-p", "16", "--warmup", "0", "--size",
                "200", "--payload", "random");
        run.assertClean(4000);
        assertEquals(16, run.json().get("pipeline").asInt());
        bench(endpoint(UNIX_ECHO), "--count", "2000", "-c", "2", "-p", "16", "--warmup", "0").assertClean(2000);
    }

    @Test
    void anOpenLoopSendsItsCountAtItsRate() throws IOException {
        Run run = bench(endpoint(TCP_ECHO), "--rate", "4000", "--count", "400", "-c", "4", "--warmup", "0");
        run.assertClean(400);
        assertEquals(4000, run.json().get("rate").asDouble());
        Run udp = bench(endpoint(UDP_ECHO), "--rate", "2000", "--count", "200", "-c", "2", "-p", "8", "--warmup",
                "0");
        udp.assertClean(200);
    }

    @Test
    void aWarmupIsRunAndDiscarded() throws IOException {
        Run run = bench(endpoint(TCP_ACK), "--count", "100", "--warmup", "200ms");
        run.assertClean(100);
        assertEquals(0.2, run.json().get("warmup_s").asDouble());
        assertTrue(run.json().get("warmup").get("sent").asLong() >= run.json().get("warmup").get("messages").asLong());
        assertEquals(0, run.json().get("warmup").get("errors").get("total").asLong());
    }

    @Test
    void aTimedRunEnds() throws IOException {
        Run run = bench(endpoint(UNIX_ACK), "--duration", "300ms", "--warmup", "0", "-c", "2");
        assertEquals(ExitCodes.OK, run.cli().exitCode(), run.cli().err());
        assertTrue(run.json().get("messages").asLong() > 0);
        assertTrue(run.json().get("count").isNull());
        assertEquals(run.json().get("sent").asLong(), run.json().get("messages").asLong());
    }

    @Test
    void aConnectionPerMessage() throws IOException {
        Run tcp = bench(endpoint(TCP_ACK), "--connect-per-message", "-c", "4", "--count", "100", "--warmup", "0");
        tcp.assertClean(100);
        assertTrue(tcp.json().get("connect_per_message").asBoolean());
        bench(endpoint(UNIX_ECHO), "--connect-per-message", "-c", "2", "--count", "50", "--warmup", "0",
                "--rate", "1000").assertClean(50);
    }

    @Test
    void theJsonFileHasTheSameDocument() throws IOException {
        Path file = socketDir.resolve("result.json");
        CliRun run = CliRun.run("", "bench", endpoint(TCP_ECHO_LENGTH), "--count", "100", "--warmup", "0", "-q",
                "--json", file.toString());
        assertEquals(ExitCodes.OK, run.exitCode(), run.err());
        assertTrue(run.out().contains("errors: none"), "the table stays on stdout: " + run.out());
        JsonNode json = JSON.readTree(Files.readString(file));
        assertEquals(2, json.get("schema").asInt());
        assertEquals("length", json.get("framing").asText());
        assertEquals(100, json.get("messages").asLong());
        assertEquals(0, json.get("errors").get("total").asLong());
    }

    /** Schema 2: what a merge needs, from a real run. */
    @Test
    void theJsonCarriesTheLabelHostMeasuredIntervalAndLatencyHistogram() throws IOException {
        Instant before = Instant.now().truncatedTo(ChronoUnit.MILLIS);
        Run run = bench(endpoint(TCP_ECHO), "--count", "500", "--warmup", "100ms", "-c", "2", "--label", "pod 7");
        run.assertClean(500);
        JsonNode json = run.json();
        assertEquals("pod 7", json.get("label").asText());
        assertFalse(json.get("host").asText().isBlank());
        Instant from = Instant.parse(json.get("measured_from").asText());
        Instant to = Instant.parse(json.get("measured_to").asText());
        assertTrue(!from.isBefore(before.plusMillis(100)), "after the warm-up: " + from + " vs start " + before);
        assertTrue(!to.isBefore(from) && !to.isAfter(Instant.now()), from + " .. " + to);
        assertEquals(json.get("duration_s").asDouble(), Duration.between(from, to).toMillis() / 1000.0, 0.002);
        Histogram latency = HistogramText.decode(json.get("histograms").get("latency").get("hdr").asText());
        assertEquals(500, latency.getTotalCount());
        assertEquals(json.get("latency_us").get("p99").asDouble(), latency.getValueAtPercentile(99) / 1000.0);
    }

    @Test
    void progressLinesGoToStderr() {
        CliRun run = CliRun.run("", "bench", endpoint(TCP_ACK), "--duration", "1500ms", "--warmup", "0");
        assertEquals(ExitCodes.OK, run.exitCode(), run.err());
        assertTrue(run.err().matches("(?s)\\[  1s\\] +\\d+ msgs/s +[0-9.]+ MB/s +p99 +[0-9.]+ us +errors 0\\R.*"),
                run.err());
        assertTrue(run.out().startsWith("echoack bench " + endpoint(TCP_ACK)), run.out());
    }

    @Test
    void wrongRepliesAreCountedAndExitWith8() throws IOException {
        Run run = bench(endpoint(TCP_ACK), "--expect", "echo", "--count", "50", "--warmup", "0");
        assertEquals(ExitCodes.WRONG_REPLY, run.cli().exitCode());
        assertEquals(1, run.errors("mismatch"), "the first wrong reply stops the run");
        assertEquals(1, run.json().get("sent").asLong());
        assertEquals(0, run.json().get("messages").asLong());
        assertEquals(8, run.json().get("exit_code").asInt());
        assertTrue(run.cli().err().contains("echoack: bench: 1 error (mismatch 1) against "), run.cli().err());
        assertTrue(run.cli().err().contains("first wrong reply: \"I got your message\" (18 bytes)"), run.cli().err());
        Run udp = bench(endpoint(UDP_ECHO), "--expect", "Got your message", "--count", "20", "--warmup", "0");
        assertEquals(ExitCodes.WRONG_REPLY, udp.cli().exitCode());
        assertEquals(1, udp.errors("mismatch"));
        assertEquals(0, udp.errors("lost"));
    }

    /**
     * A mistaken mode: {@code --mode echo} against an ack server. Every kind, and a connection per message:
     * the run stops at the first wrong reply (what was in flight still counts), names what came back, and
     * exits 8, instead of running out its 30 s.
     */
    @ParameterizedTest(name = "{0}")
    @ValueSource(strings = {"tcp", "udp", "unix", "unixgram", "tcp-connect-per-message"})
    void echoModeAgainstAnAckServerStopsAtTheFirstWrongReply(String kind) throws IOException {
        int index = switch (kind) {
            case "tcp", "tcp-connect-per-message" -> TCP_ACK;
            case "udp" -> UDP_ACK;
            case "unix" -> UNIX_ACK;
            default -> UNIXGRAM_ACK;
        };
        List<String> args = new ArrayList<>(List.of(server.endpoint(index).address(), "--mode", "echo",
                "--duration", "30s", "--warmup", "1s", "-c", "2", "--timeout", "10s"));
        args.addAll(kind.endsWith("per-message") ? List.of("--connect-per-message") : List.of("-p", "4"));
        Run run = bench(args.toArray(String[]::new));
        assertEquals(ExitCodes.WRONG_REPLY, run.cli().exitCode(), run.cli().err());
        JsonNode json = run.json();
        assertEquals(8, json.get("exit_code").asInt());
        assertTrue(json.get("stopped_early").asBoolean());
        assertEquals("wrong_reply", json.get("stop_reason").asText());
        long sent = json.get("sent").asLong() + json.get("warmup").get("sent").asLong();
        long mismatches = run.errors("mismatch") + json.get("warmup").get("errors").get("mismatch").asLong();
        assertTrue(sent >= 1 && sent <= 16, "stops sending at the first wrong reply: " + sent + " sent");
        assertEquals(sent, mismatches, "each message in flight got its (wrong) reply: " + run.cli().err());
        assertEquals(0, run.errors("lost") + run.errors("timeout"), run.cli().err());
        String ack = kind.contains("gram") || kind.equals("udp") ? "Got your message" : "I got your message";
        String shown = "\"" + ack + "\" (" + ack.length() + " bytes)";
        assertEquals(shown, json.get("wrong_reply").asText());
        assertTrue(run.cli().err().contains("first wrong reply: " + shown + "; expected echo"), run.cli().err());
    }

    @Test
    void aWrongReplyIsShownEscapedAndTruncated() throws IOException {
        Run run = bench(endpoint(TCP_ECHO_LENGTH), "--expect", "ack", "--size", "300", "--payload", "random",
                "--count", "10", "--warmup", "0");
        assertEquals(ExitCodes.WRONG_REPLY, run.cli().exitCode(), run.cli().err());
        String shown = run.json().get("wrong_reply").asText();
        assertTrue(shown.matches("(?s)\".{64,}\\.\\.\\.\" \\(first 64 of 300 bytes\\)"), shown);
        try (ServerSocket liar = new ServerSocket(0, 5, InetAddress.getLoopbackAddress())) {
            Thread answer = new Thread(() -> {
                try (Socket s = liar.accept()) {
                    s.getInputStream().read(new byte[100]);
                    s.getOutputStream().write(new byte[] {'o', 'k', 1, (byte) 0xff, '\t', '\r', '\n'});
                    s.getInputStream().read(new byte[100]); // until bench closes
                } catch (IOException e) {
                    // the test's assertions tell
                }
            }, "liar");
            answer.setDaemon(true);
            answer.start();
            Run liarRun = bench("tcp://127.0.0.1:" + liar.getLocalPort(), "--expect", "ok", "--count", "5",
                    "--warmup", "0");
            assertEquals(ExitCodes.WRONG_REPLY, liarRun.cli().exitCode(), liarRun.cli().err());
            assertEquals("\"ok\\x01\\xff\\t\" (5 bytes)", liarRun.json().get("wrong_reply").asText(),
                    "the \\r before the \\n ends the line, as for any line reply");
        }
    }

    @Test
    void rawAckRepliesEndAfterTheAckText() throws IOException {
        bench(endpoint(TCP_ACK_RAW), "--expect", "ack", "--count", "200", "--warmup", "0").assertClean(200);
        // A raw ack server acks each read, not each message: pipelined messages get fewer acks. Not hidden.
        Run pipelined = bench(endpoint(TCP_ACK_RAW), "--count", "200", "--pipeline", "8", "--warmup", "0",
                "--timeout", "300ms");
        assertEquals(ExitCodes.TIMEOUT, pipelined.cli().exitCode(), pipelined.cli().err());
        assertTrue(pipelined.errors("timeout") > 0);
        assertEquals(1, pipelined.json().get("failed_connections").asInt());
    }

    @Test
    void everyOtherDatagramDroppedIsCountedAsLostExactly() throws Exception {
        try (DatagramSocket dropper = new DatagramSocket(0, InetAddress.getLoopbackAddress())) {
            dropper.setReceiveBufferSize(1 << 20);
            dropper.setSoTimeout(10_000);
            AtomicInteger received = new AtomicInteger();
            Thread echo = new Thread(() -> {
                byte[] buffer = new byte[2048];
                try {
                    for (int i = 0; i < 1000; i++) { // bounded; the socket closes first
                        DatagramPacket packet = new DatagramPacket(buffer, buffer.length);
                        dropper.receive(packet);
                        if (received.incrementAndGet() % 2 == 1) {
                            dropper.send(packet); // the 1st, 3rd, 5th... come back; the others are dropped
                        }
                    }
                } catch (SocketException e) {
                    // closed at the end of the test
                } catch (IOException e) {
                    throw new RuntimeException(e);
                }
            }, "every-other-echo");
            echo.setDaemon(true);
            echo.start();
            Run run = bench("udp://127.0.0.1:" + dropper.getLocalPort(), "--mode", "echo", "--count", "200",
                    "--pipeline", "32", "--timeout", "300ms", "--warmup", "0");
            assertEquals(200, received.get());
            assertEquals(100, run.json().get("messages").asLong(), run.cli().err());
            assertEquals(100, run.errors("lost"));
            assertEquals(100, run.errors("total"));
            assertEquals(0, run.errors("duplicate") + run.errors("reordered") + run.errors("late"));
            assertEquals(ExitCodes.TIMEOUT, run.cli().exitCode());
        }
    }

    @Test
    void aRunThatNothingAnswersStopsAfterOneTimeout() throws IOException {
        try (DatagramSocket silent = new DatagramSocket(0, InetAddress.getLoopbackAddress())) {
            Run run = bench("udp://127.0.0.1:" + silent.getLocalPort(), "--mode", "echo", "--count", "100000",
                    "--timeout", "200ms", "--warmup", "0", "-c", "2");
            assertEquals(ExitCodes.TIMEOUT, run.cli().exitCode(), run.cli().err());
            assertTrue(run.json().get("stopped_early").asBoolean());
            assertEquals(run.json().get("sent").asLong(), run.errors("lost"));
        }
    }

    @Test
    void anUnusedPortIsRefused() throws IOException {
        int port;
        try (ServerSocket probe = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            port = probe.getLocalPort();
        }
        Run run = bench("tcp://127.0.0.1:" + port, "--count", "10", "-c", "3");
        assertEquals(ExitCodes.REFUSED, run.cli().exitCode(), run.cli().err());
        assertEquals(3, run.errors("refused"));
        assertEquals(3, run.json().get("failed_connections").asInt());
        Run perMessage = bench("tcp://127.0.0.1:" + port, "--connect-per-message", "--duration", "10s", "-c", "2");
        assertEquals(ExitCodes.REFUSED, perMessage.cli().exitCode(), "stops at once, nothing listens");
        assertTrue(perMessage.json().get("stopped_early").asBoolean());
        Run unix = bench("unix://" + socketDir.resolve("nobody.sock"), "--count", "10");
        assertEquals(ExitCodes.REFUSED, unix.cli().exitCode(), unix.cli().err());
    }

    /**
     * A load test from one host ({@code -c 200}) against the default per-address limit of 100, in small: the server accepts
     * the connections over its limit and closes them at once, and the summary says so and names the likely
     * cause instead of a bare {@code reset}.
     */
    @Test
    void connectionsClosedRightAfterAcceptAreExplained() throws Exception {
        try (TestServer limited = TestServer.startWithLimits(ServerConfig.defaults(), new ConnectionLimits(0, 2),
                List.of("tcp://127.0.0.1:0?mode=echo"))) {
            Run run = bench(limited.endpoint(0).toString(), "-c", "6", "--count", "200", "--warmup", "0");
            assertEquals(ExitCodes.RESET, run.cli().exitCode(), run.cli().err());
            assertEquals(4, run.json().get("failed_connections").asInt(), run.cli().err());
            assertEquals(4, run.json().get("closed_after_accept").asInt(), run.cli().err());
            assertEquals(4, run.errors("reset"), "a limit resets what it refuses: " + run.cli().err());
            assertTrue(run.json().get("messages").asLong() > 0, "the 2 connections within the limit worked");
            assertTrue(run.cli().err().contains("the server closed 4 of 6 connections right after accepting them"),
                    run.cli().err());
            assertTrue(run.cli().err().contains("--max-connections-per-ip"), run.cli().err());
        }
    }

    /** Another server that closes every connection at once: each message of a connect-per-message run. */
    @Test
    void aServerThatClosesEveryConnectionAtOnceIsExplainedPerMessageToo() throws Exception {
        try (ServerSocket closer = new ServerSocket(0, 50, InetAddress.getLoopbackAddress())) {
            Thread acceptAndClose = new Thread(() -> {
                for (int i = 0; i < 1000; i++) { // bounded; the socket closes first
                    try {
                        closer.accept().close();
                    } catch (IOException e) {
                        return;
                    }
                }
            }, "accept-and-close");
            acceptAndClose.setDaemon(true);
            acceptAndClose.start();
            Run run = bench("tcp://127.0.0.1:" + closer.getLocalPort(), "--connect-per-message", "-c", "2",
                    "--count", "20", "--warmup", "0");
            assertEquals(ExitCodes.RESET, run.cli().exitCode(), run.cli().err());
            // a FIN, or an RST when bench's message got there before the close: the race is the kernel's
            assertEquals(20, run.errors("closed") + run.errors("reset"), run.cli().err());
            assertEquals(20, run.json().get("closed_after_accept").asInt(), run.cli().err());
            assertTrue(run.cli().err().contains("the server closed 20 connections right after accepting them"),
                    run.cli().err());
        }
    }

    /** A connection bench closes itself (its share of --count is 0) is not one the server closed. */
    @Test
    void connectionsBenchClosesItselfAreNotBlamedOnTheServer() throws IOException {
        Run run = bench(endpoint(TCP_ECHO), "-c", "8", "--count", "3", "--warmup", "0");
        run.assertClean(3);
        assertEquals(0, run.json().get("closed_after_accept").asInt());
    }

    @Test
    void anUnresolvableHostIsExitCode6() throws IOException {
        Run run = bench("tcp://no-such-host.invalid:1", "--count", "10");
        assertEquals(ExitCodes.RESOLVE, run.cli().exitCode(), run.cli().err());
        assertEquals(1, run.errors("resolve"));
        assertTrue(run.cli().err().contains("echoack: bench: 1 error (resolve 1) against tcp://no-such-host.invalid:1"),
                run.cli().err());
    }

    @Test
    void theNioTransportToo() throws IOException {
        bench(endpoint(TCP_ECHO), "--transport", "nio", "--count", "500", "-c", "2", "-p", "8", "--warmup", "0")
                .assertClean(500);
        bench(endpoint(UDP_ECHO), "--transport", "nio", "--count", "500", "-c", "2", "-p", "8", "--warmup", "0")
                .assertClean(500);
    }
}
