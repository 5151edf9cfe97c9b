package io.echoack.client.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.echoack.client.bench.BenchConfig;
import io.echoack.client.bench.BenchResult;
import io.echoack.client.bench.BenchRunner;
import io.echoack.client.bench.StopReason;
import io.echoack.client.testing.CliRun;
import io.echoack.client.testing.TestServer;
import io.echoack.common.endpoint.Endpoint;
import io.echoack.common.testing.TestPki;
import io.echoack.common.tls.TlsProvider;
import io.echoack.common.transport.Transport;
import io.echoack.server.tls.TlsSettings;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.zip.DataFormatException;
import org.HdrHistogram.Histogram;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * Connection churn ({@code --reuse}), the connect rate cap, the connect and TLS handshake histograms, and
 * {@code --start-at}, against a real echoack server on loopback. Runs are counted; the bounds on connections come
 * from arithmetic, and the timing assertions have margins of whole seconds.
 */
@Timeout(120)
class ChurnBenchIT {

    private static final ObjectMapper JSON = new ObjectMapper();

    @TempDir
    static Path dir;

    private static TestServer server;
    private static TestServer tlsServer;
    private static String ca;

    @BeforeAll
    static void start() throws Exception {
        server = TestServer.start(Transport.AUTO, List.of("tcp://127.0.0.1:0?mode=echo",
                "unix://" + dir.resolve("echo.sock") + "?mode=echo", "udp://127.0.0.1:0?mode=echo"));
        TestPki pki = TestPki.create(dir.resolve("pki"));
        ca = pki.caCert().toString();
        tlsServer = TestServer.startTls(TlsSettings.of(pki.serverCert(), pki.serverKey()).withProvider(TlsProvider.AUTO),
                List.of("tls://127.0.0.1:0?mode=echo"));
    }

    @AfterAll
    static void stop() {
        for (TestServer s : new TestServer[] {server, tlsServer}) {
            if (s != null) {
                s.close();
            }
        }
    }

    private static String tcp() {
        return server.endpoint(0).toString();
    }

    private record Run(CliRun cli, JsonNode json) {
        long opened() {
            return json.get("connections_opened").asLong();
        }

        void assertEveryMessageCounted(long messages) {
            assertEquals(ExitCodes.OK, cli.exitCode(), cli.err());
            assertEquals(messages, json.get("sent").asLong(), cli.err());
            assertEquals(messages, json.get("messages").asLong(), cli.err());
            assertEquals(0, json.get("errors").get("total").asLong(), cli.err());
        }

        /** The histogram {@code name} decoded from the JSON; an empty one when it is not there. */
        Histogram histogram(String name) {
            JsonNode entry = json.get("histograms").get(name);
            if (entry == null) {
                return new Histogram(3);
            }
            assertEquals("ns", entry.get("unit").asText());
            try {
                return Histogram.decodeFromCompressedByteBuffer(
                        ByteBuffer.wrap(Base64.getDecoder().decode(entry.get("hdr").asText())), 0);
            } catch (DataFormatException e) {
                throw new AssertionError(name + ": not HdrHistogram's compressed encoding", e);
            }
        }
    }

    private static Run bench(String... args) throws IOException {
        List<String> all = new ArrayList<>(List.of("bench"));
        all.addAll(List.of(args));
        all.addAll(List.of("--json", "-", "--quiet"));
        CliRun run = CliRun.run("", all.toArray(String[]::new));
        return new Run(run, run.out().isEmpty() ? null : JSON.readTree(run.out()));
    }

    @Test
    void reuseThreeToFiveOpensAboutAConnectionPerFourMessagesAndCountsEveryMessage() throws IOException {
        int messages = 600;
        int connections = 4;
        for (String endpoint : new String[] {tcp(), server.endpoint(1).toString()}) {
            Run run = bench(endpoint, "--reuse", "3:5", "-c", String.valueOf(connections), "--count",
                    String.valueOf(messages), "--warmup", "0");
            run.assertEveryMessageCounted(messages);
            long opened = run.opened();
            // each connection carries at most 5 messages, and all but the last of each slot at least 3
            assertTrue(opened >= messages / 5, endpoint + ": " + opened + " connections opened");
            assertTrue(opened <= messages / 3 + connections, endpoint + ": " + opened + " connections opened");
            assertEquals(3, run.json().get("reuse").get("min").asLong());
            assertEquals(5, run.json().get("reuse").get("max").asLong());
            assertEquals(opened, run.histogram("connect").getTotalCount(), "one connect time per connection opened");
            assertTrue(run.json().get("connect_us").get("p50").asDouble() > 0, run.cli().err());
            assertTrue(run.json().get("tls_handshake_us").isNull(), "no TLS here");
            assertEquals(messages, run.histogram("latency").getTotalCount());
            assertTrue(run.cli().err().contains("; " + opened + " connections opened"), run.cli().err());
            assertTrue(run.cli().err().matches("(?s).*\\Rconnect {2,}[0-9.]+ +[0-9.]+ +[0-9.]+ +[0-9.]+ +[0-9.]+\\R.*"),
                    run.cli().err());
        }
    }

    @Test
    void reuseWithPipeliningAndAnOpenLoopAwaitsTheRepliesInFlightBeforeClosing() throws IOException {
        Run pipelined = bench(tcp(), "--reuse", "10:20", "-c", "3", "-p", "8", "--count", "900", "--warmup", "0");
        pipelined.assertEveryMessageCounted(900);
        assertTrue(pipelined.opened() >= 900 / 20 && pipelined.opened() <= 900 / 10 + 3, pipelined.cli().err());
        Run open = bench(tcp(), "--reuse", "5:10", "-c", "2", "--rate", "2000", "--count", "400", "--warmup", "0");
        open.assertEveryMessageCounted(400);
        assertTrue(open.opened() >= 400 / 10 && open.opened() <= 400 / 5 + 2, open.cli().err());
    }

    @Test
    void withAWarmupOnlyTheConnectionsOfTheMeasuredPhaseCount() throws IOException {
        Run run = bench(tcp(), "--reuse", "2:2", "-c", "2", "--count", "100", "--warmup", "300ms");
        run.assertEveryMessageCounted(100);
        // 100 measured messages at exactly 2 per connection: 50 connections, give or take the one straddling the
        // start of the measured phase on each slot
        assertTrue(run.opened() >= 48 && run.opened() <= 52, run.cli().err());
        assertEquals(run.opened(), run.histogram("connect").getTotalCount());
        Run longLived = bench(tcp(), "-c", "2", "--count", "100", "--warmup", "300ms");
        longLived.assertEveryMessageCounted(100);
        assertEquals(0, longLived.opened(), "set up before the warm-up");
        assertTrue(longLived.json().get("connect_us").isNull());
        Run noWarmup = bench(tcp(), "-c", "3", "--count", "30", "--warmup", "0");
        assertEquals(3, noWarmup.opened(), "without a warm-up the first connections are measured");
    }

    @Test
    void tlsRecordsEveryHandshakeOfTheConnectionsOpened() throws IOException {
        String endpoint = tlsServer.endpoint(0).toString();
        Run run = bench(endpoint, "--tls-ca", ca, "--reuse", "5:5", "-c", "2", "--count", "100", "--warmup", "0");
        run.assertEveryMessageCounted(100);
        assertEquals(20, run.opened(), "100 messages, 5 per connection");
        assertEquals(20, run.histogram("connect").getTotalCount());
        assertEquals(20, run.histogram("tls_handshake").getTotalCount());
        assertTrue(run.json().get("tls_handshake_us").get("p50").asDouble() > 0);
        assertTrue(run.cli().err().matches("(?s).*\\Rtls handshake {2,}[0-9.]+ +.*"), run.cli().err());

        Run perMessage = bench(endpoint, "--tls-ca", ca, "--connect-per-message", "-c", "2", "--count", "20",
                "--warmup", "0");
        perMessage.assertEveryMessageCounted(20);
        assertEquals(20, perMessage.opened());
        assertEquals(20, perMessage.histogram("tls_handshake").getTotalCount());
    }

    @Test
    void aLowConnectRateCapsTheConnectionsOpened() throws IOException {
        int rate = 20;
        int connections = 4;
        Run perMessage = bench(tcp(), "--connect-per-message", "--connect-rate", String.valueOf(rate), "-c",
                String.valueOf(connections), "--duration", "1s", "--warmup", "0");
        assertEquals(ExitCodes.OK, perMessage.cli().exitCode(), perMessage.cli().err());
        assertEquals(rate, perMessage.json().get("connect_rate").asDouble());
        long opened = perMessage.opened();
        assertTrue(opened > 0 && opened <= rate * 1.5 + connections, opened + " connections in 1 s at " + rate + "/s");
        assertEquals(opened, perMessage.json().get("messages").asLong(), "one message per connection");

        Run churn = bench(tcp(), "--reuse", "1:2", "--connect-rate", String.valueOf(rate), "-c",
                String.valueOf(connections), "--duration", "1s", "--warmup", "0");
        assertEquals(ExitCodes.OK, churn.cli().exitCode(), churn.cli().err());
        assertTrue(churn.opened() > connections && churn.opened() <= rate * 1.5 + connections,
                churn.opened() + " connections in 1 s at " + rate + "/s");
        assertTrue(churn.json().get("messages").asLong() <= 2 * churn.opened());
    }

    @Test
    void theFirstConnectionsArePacedToo() throws IOException {
        long started = System.nanoTime();
        Run run = bench(tcp(), "-c", "6", "--connect-rate", "10", "--count", "6", "--warmup", "0");
        run.assertEveryMessageCounted(6);
        assertEquals(6, run.opened());
        assertTrue(System.nanoTime() - started >= TimeUnit.MILLISECONDS.toNanos(400),
                "6 connects at 10/s take half a second");
    }

    @Test
    void badChurnSettingsAreUsageErrorsNamingWhatWasTyped() throws IOException {
        Run udp = bench(server.endpoint(2).toString(), "--reuse", "3:5", "--count", "5");
        assertEquals(ExitCodes.USAGE, udp.cli().exitCode());
        assertTrue(udp.cli().err().contains("--reuse needs a stream endpoint (tcp://, tls:// or unix://): "
                + server.endpoint(2) + " has no connection to reuse"), udp.cli().err());
        Run zero = bench(tcp(), "--reuse", "0:5");
        assertEquals(ExitCodes.USAGE, zero.cli().exitCode());
        assertTrue(zero.cli().err().contains("--reuse") && zero.cli().err().contains("'0:5': MIN must be >= 1"),
                zero.cli().err());
        Run reversed = bench(tcp(), "--reuse", "9:3");
        assertTrue(reversed.cli().err().contains("'9:3': MIN must be <= MAX"), reversed.cli().err());
        Run both = bench(tcp(), "--reuse", "3:5", "--connect-per-message");
        assertEquals(ExitCodes.USAGE, both.cli().exitCode());
        assertTrue(both.cli().err().contains("--reuse and --connect-per-message exclude each other"), both.cli().err());
        Run rate = bench(server.endpoint(2).toString(), "--connect-rate", "5");
        assertEquals(ExitCodes.USAGE, rate.cli().exitCode());
        assertTrue(rate.cli().err().contains("--connect-rate needs a stream endpoint"), rate.cli().err());
        Run far = bench(tcp(), "--start-at", "+1441m");
        assertEquals(ExitCodes.USAGE, far.cli().exitCode());
        assertTrue(far.cli().err().contains("--start-at") && far.cli().err().contains("'+1441m' is more than 24h"),
                far.cli().err());
        Run garbage = bench(tcp(), "--start-at", "at noon");
        assertEquals(ExitCodes.USAGE, garbage.cli().exitCode());
        assertTrue(garbage.cli().err().contains("'at noon' is not a start time"), garbage.cli().err());
    }

    @Test
    void startAtInASecondBeginsAfterItOnTime() throws IOException {
        Instant before = Instant.now();
        Run run = bench(tcp(), "--start-at", "+1s", "-c", "2", "--count", "20", "--warmup", "0");
        long tookMillis = Duration.between(before, Instant.now()).toMillis();
        run.assertEveryMessageCounted(20);
        assertTrue(tookMillis >= 900, "began after " + tookMillis + " ms");
        assertEquals(0, run.json().get("late_ms").asLong());
        Instant at = Instant.parse(run.json().get("start_at").asText());
        assertTrue(!at.isBefore(before.plusSeconds(1).truncatedTo(ChronoUnit.MILLIS)) && at.isBefore(Instant.now()),
                at + " is not a second after " + before);
        assertTrue(run.cli().err().contains("echoack: bench: connected; waiting until " + at + " (--start-at)"),
                run.cli().err());
    }

    @Test
    void aStartTimeAlreadyPastBeginsAtOnceAndSaysHowLate() throws IOException {
        Instant past = Instant.now().minusSeconds(10).truncatedTo(ChronoUnit.MILLIS);
        Run run = bench(tcp(), "--start-at", past.toString(), "--count", "10", "--warmup", "0");
        run.assertEveryMessageCounted(10);
        long late = run.json().get("late_ms").asLong();
        assertTrue(late >= 10_000 && late < 60_000, late + " ms late");
        assertEquals(past.toString(), run.json().get("start_at").asText());
        assertTrue(run.cli().err().contains("echoack: bench: warning: began " + late + " ms after --start-at " + past
                + ": the connections were not set up before then"), run.cli().err());
        Run without = bench(tcp(), "--count", "10", "--warmup", "0");
        assertTrue(without.json().get("start_at").isNull() && without.json().get("late_ms").isNull());
    }

    @Test
    void aStopWhileWaitingForTheStartTimeEndsTheRunAtOnceWithNothingSent() throws Exception {
        BenchConfig config = BenchConfig.builder(Endpoint.parse(tcp())).connections(2).count(100)
                .warmup(Duration.ZERO).startAt(Instant.now().plusSeconds(60)).build();
        BenchRunner runner = new BenchRunner(config, null);
        CompletableFuture<BenchResult> result = CompletableFuture.supplyAsync(runner::run);
        Thread.sleep(500);
        long stopped = System.nanoTime();
        runner.stop();
        BenchResult r = result.get(20, TimeUnit.SECONDS);
        assertTrue(System.nanoTime() - stopped < TimeUnit.SECONDS.toNanos(10), "the wait ended with the stop");
        assertEquals(StopReason.INTERRUPTED, r.stopReason());
        assertEquals(0, r.sent());
        assertEquals(0, r.errors());
        assertEquals(0L, r.lateMillis());
        assertNull(r.wrongReply());
    }
}
