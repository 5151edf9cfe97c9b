package io.echoack.client.cli;

import static io.echoack.client.cli.FaultBench.bench;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import io.echoack.client.testing.TestServer;
import io.echoack.common.fault.FaultKey;
import io.echoack.common.fault.Faults;
import io.echoack.server.config.ServerConfig;
import io.echoack.server.fault.ListenerFaults;
import java.io.IOException;
import java.net.Socket;
import java.net.SocketException;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.RegisterExtension;

/** Each fault over real loopback sockets, as {@code echoack bench} sees it. */
@Timeout(120)
class FaultsIT {

    private static final List<String> LISTEN = List.of(
            "tcp://127.0.0.1:0?mode=echo&reset=10%",
            "tcp://127.0.0.1:0?mode=echo&close=10%",
            "tcp://127.0.0.1:0?mode=echo&delay=50ms",
            "tcp://127.0.0.1:0?mode=echo&bandwidth=1MiB/s",
            "udp://127.0.0.1:0?mode=echo&drop=10%",
            "tcp://127.0.0.1:0?mode=echo&blackhole=100%",
            "udp://127.0.0.1:0?mode=echo&duplicate=100%",
            "tcp://127.0.0.1:0?mode=echo&reset=100%",
            "tcp://127.0.0.1:0?mode=echo&close=100%");
    private static final int RESET = 0;
    private static final int CLOSE = 1;
    private static final int DELAY = 2;
    private static final int BANDWIDTH = 3;
    private static final int DROP = 4;
    private static final int BLACKHOLE = 5;
    private static final int DUPLICATE = 6;
    private static final int ALWAYS_RESET = 7;
    private static final int ALWAYS_CLOSE = 8;

    @RegisterExtension
    static final FaultBench server = new FaultBench(LISTEN);

    /** The endpoint as a client writes it: the server's faults are not the client's to give. */
    private static String endpoint(int index) {
        return server.endpoint(index);
    }

    /**
     * How many messages the first connection (or datagram channel) of listener {@code index} gets through before
     * its first hit of {@code fault}, drawn as the server draws with the same seed: what a seeded run must show.
     */
    private static int answeredBeforeFirst(int index, FaultKey fault) {
        ListenerFaults listener = server.listenerFaults(index);
        return FaultBench.answeredBeforeFirst(listener, listener.nextRandom(), fault);
    }

    @Test
    void aSeededResetEndsTheConnectionAtTheSameMessageEveryRun() throws IOException {
        int expected = answeredBeforeFirst(RESET, FaultKey.RESET);
        JsonNode run = bench(endpoint(RESET), "--count", "2000", "-c", "1", "-p", "1", "--warmup", "0");
        assertEquals(expected, run.get("messages").asInt());
        assertEquals(1, run.get("errors").get("reset").asInt(), "the message in flight, counted as reset");
        assertEquals(0, run.get("errors").get("closed").asInt(), "an RST is no clean close");
        assertEquals(1, run.get("errors").get("total").asInt());
    }

    @Test
    void aSeededCloseEndsTheConnectionAtTheSameMessageEveryRun() throws IOException {
        int expected = answeredBeforeFirst(CLOSE, FaultKey.CLOSE);
        JsonNode run = bench(endpoint(CLOSE), "--count", "2000", "-c", "1", "-p", "1", "--warmup", "0");
        assertEquals(expected, run.get("messages").asInt());
        assertEquals(1, run.get("errors").get("closed").asInt(), "the message in flight, counted as closed (FIN)");
        assertEquals(0, run.get("errors").get("reset").asInt(), "a FIN is no reset");
        assertEquals(1, run.get("errors").get("total").asInt());
    }

    @Test
    void seededDropsAreExactlyTheLostDatagrams() throws IOException {
        ListenerFaults listener = server.listenerFaults(DROP);
        SplittableRandom random = listener.nextRandom();
        int expected = 0;
        for (int i = 0; i < 200; i++) {
            expected += listener.current().roll(FaultKey.DROP, random) ? 1 : 0;
        }
        // a dropped reply never comes late, so a short timeout loses nothing else; binomial(200, 10%): 20 +- 4
        assertTrue(expected > 0 && expected < 60, "the seed's own draws: " + expected);
        JsonNode run = bench(endpoint(DROP), "--count", "200", "-c", "1", "-p", "1", "--warmup", "0",
                "--timeout", "100ms");
        assertEquals(expected, run.get("errors").get("lost").asInt());
        assertEquals(200 - expected, run.get("messages").asInt());
        assertEquals(expected, run.get("errors").get("total").asInt());
    }

    @Test
    void unseededDropsStayWithinWideBinomialBounds() throws Exception {
        try (TestServer unseeded = TestServer.start(ServerConfig.defaults(), List.of("udp://127.0.0.1:0?mode=echo&drop=50%"))) {
            String target = unseeded.endpoint(0).withFaults(Faults.NONE).toString();
            JsonNode run = bench(target, "--count", "200", "-c", "1", "-p", "1", "--warmup", "0", "--timeout", "50ms");
            int lost = run.get("errors").get("lost").asInt();
            // binomial(200, 50%): mean 100, sd ~7.1; eight sd either way
            assertTrue(lost > 100 - 57 && lost < 100 + 57, "lost " + lost);
            assertEquals(200, lost + run.get("messages").asInt());
        }
    }

    @Test
    void aDelayedListenersMedianIsAtLeastItsDelay() throws IOException {
        JsonNode run = bench(endpoint(DELAY), "--count", "40", "-c", "2", "-p", "1", "--warmup", "0");
        assertEquals(40, run.get("messages").asInt());
        double p50 = run.get("latency_us").get("p50").asDouble();
        // never early; the margin above is wide (a loaded 2-core machine): 50 ms + 250 ms
        assertTrue(p50 >= 50_000, "p50 " + p50);
        assertTrue(p50 < 300_000, "p50 " + p50);
    }

    @Test
    void aBandwidthLimitedTransferTakesAboutAsLongAsItsSize() throws IOException {
        // 16 echoes of 64 KiB: 1 MiB at 1 MiB/s, about a second; wide margins either way
        JsonNode run = bench(endpoint(BANDWIDTH), "--count", "16", "--size", "65536", "-c", "1", "-p", "1",
                "--warmup", "0", "--timeout", "10s");
        assertEquals(16, run.get("messages").asInt());
        double seconds = run.get("duration_s").asDouble();
        assertTrue(seconds >= 0.8 && seconds < 6, "took " + seconds + " s");
    }

    @Test
    void aBlackholedConnectionTimesOut() throws IOException {
        JsonNode run = bench(endpoint(BLACKHOLE), "--count", "3", "-c", "1", "-p", "1", "--warmup", "0",
                "--timeout", "300ms");
        assertEquals(0, run.get("messages").asInt());
        assertEquals(1, run.get("errors").get("timeout").asInt());
        assertEquals(0, run.get("errors").get("reset").asInt(), "the connection stays open");
    }

    @Test
    void duplicatedRepliesAreAnomaliesNotFailures() throws IOException {
        JsonNode run = bench(endpoint(DUPLICATE), "--count", "50", "-c", "1", "-p", "1", "--warmup", "0");
        assertEquals(50, run.get("messages").asInt());
        assertEquals(0, run.get("errors").get("total").asInt());
        assertTrue(run.get("errors").get("duplicate").asInt() > 0, run.toString());
    }

    @Test
    void resetIsAnRstAndCloseIsAFin() throws IOException {
        try (Socket s = new Socket("127.0.0.1", server.bound(ALWAYS_RESET).port())) {
            s.setSoTimeout(5000);
            s.getOutputStream().write("hello\n".getBytes(StandardCharsets.US_ASCII));
            SocketException e = assertThrows(SocketException.class, () -> s.getInputStream().read());
            assertTrue(e.getMessage().contains("reset"), e.getMessage());
        }
        try (Socket s = new Socket("127.0.0.1", server.bound(ALWAYS_CLOSE).port())) {
            s.setSoTimeout(5000);
            s.getOutputStream().write("hello\n".getBytes(StandardCharsets.US_ASCII));
            assertEquals(-1, s.getInputStream().read(), "end of stream: a FIN, no reply");
        }
    }
}
