package io.echoack.client.cli;

import static io.echoack.client.cli.FaultBench.bench;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import com.fasterxml.jackson.databind.JsonNode;
import io.echoack.client.testing.TestServer;
import io.echoack.common.fault.FaultKey;
import io.echoack.common.fault.Faults;
import io.echoack.common.transport.Transport;
import io.echoack.server.config.ServerConfig;
import io.echoack.server.fault.ListenerFaults;
import java.io.IOException;
import java.nio.file.Path;
import java.util.List;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * The faults {@link FaultsIT} leaves out, each over real loopback sockets and as {@code echoack bench} counts it:
 * every fault lands in its own class. Seeded faults give exact counts (drawn here as the server draws them);
 * timing is asserted only as "never early", with wide margins above.
 */
@Timeout(120)
class FaultsBenchIT {

    /** Bench's default message on a stream: 64 bytes and a newline; the echo is as long. */
    private static final int REPLY_BYTES = 65;

    private static final List<String> LISTEN = List.of(
            "tcp://127.0.0.1:0?mode=echo&close-after=620",
            "tcp://127.0.0.1:0?mode=echo&reset-after=620",
            "tcp://127.0.0.1:0?mode=echo&slice=7&slice-delay=1ms",
            "tcp://127.0.0.1:0?mode=echo&delay=40ms&jitter=20ms",
            "tcp://127.0.0.1:0?mode=echo&accept-delay=300ms",
            "tcp://127.0.0.1:0?mode=echo&close=100%&slow-close=1s",
            "udp://127.0.0.1:0?mode=echo&reorder=10%",
            "udp://127.0.0.1:0?mode=echo&corrupt=5%",
            "udp://127.0.0.1:0?mode=echo&delay=40ms&jitter=20ms");
    private static final int CLOSE_AFTER = 0;
    private static final int RESET_AFTER = 1;
    private static final int SLICE = 2;
    private static final int JITTER = 3;
    private static final int ACCEPT_DELAY = 4;
    private static final int SLOW_CLOSE = 5;
    private static final int REORDER = 6;
    private static final int CORRUPT = 7;
    private static final int DATAGRAM_JITTER = 8;

    @TempDir
    static Path socketDir;

    @RegisterExtension
    static final FaultBench server = new FaultBench(LISTEN);

    /** The endpoint as a client writes it: the server's faults are not the client's to give. */
    private static String endpoint(int index) {
        return server.endpoint(index);
    }

    private static long errors(JsonNode run, String counter) {
        return run.get("errors").get(counter).asLong();
    }

    /**
     * On every transport bench runs on, a server's close is {@code closed} and its reset {@code reset}, on TCP; a
     * Unix socket has no RST, so there both are {@code closed}.
     */
    @ParameterizedTest
    @EnumSource(value = Transport.class, names = {"NIO", "EPOLL", "IO_URING", "KQUEUE"})
    void closeAndResetLandInTheirOwnClassOnEveryTransport(Transport transport) throws Exception {
        assumeTrue(transport.isAvailable(), transport + " is not available here");
        try (TestServer ends = TestServer.start(ServerConfig.defaults(), List.of(
                "tcp://127.0.0.1:0?mode=echo&close=100%", "tcp://127.0.0.1:0?mode=echo&reset=100%",
                "unix://" + socketDir.resolve("close.sock") + "?mode=echo&close=100%",
                "unix://" + socketDir.resolve("reset.sock") + "?mode=echo&reset=100%"))) {
            String[] expected = {"closed", "reset", "closed", "closed"};
            for (int i = 0; i < expected.length; i++) {
                JsonNode run = bench(ends.endpoint(i).withFaults(Faults.NONE).toString(), "--transport",
                        transport.id(), "--count", "5", "-c", "2", "-p", "1", "--warmup", "0");
                String where = transport + " " + ends.endpoint(i) + ": " + run;
                assertEquals(transport.id(), run.get("transport").asText(), where);
                assertEquals(2, errors(run, expected[i]), "each connection's one message in flight, " + where);
                assertEquals(2, errors(run, "total"), where);
                assertEquals(ExitCodes.RESET, run.get("exit_code").asInt(), where);
            }
            for (int i = 0; i < 2; i++) { // a connection per message: each one ends the same way
                JsonNode run = bench(ends.endpoint(i).withFaults(Faults.NONE).toString(), "--transport",
                        transport.id(), "--connect-per-message", "--count", "3", "-c", "1", "--warmup", "0");
                String where = transport + " per message " + ends.endpoint(i) + ": " + run;
                assertEquals(3, errors(run, expected[i]), where);
                assertEquals(3, errors(run, "total"), where);
            }
        }
    }

    @Test
    void closeAfterBytesEndsWithAFinAtTheSameMessageEveryTime() throws IOException {
        // 620 bytes: nine whole echoes (585), then 35 bytes of the tenth and a FIN
        JsonNode run = bench(endpoint(CLOSE_AFTER), "--count", "50", "-c", "1", "-p", "1", "--warmup", "0");
        assertEquals(620 / REPLY_BYTES, run.get("messages").asInt());
        assertEquals(1, errors(run, "closed"), "the tenth message, cut short by the FIN");
        assertEquals(0, errors(run, "reset"));
        assertEquals(1, errors(run, "total"));
        assertEquals(ExitCodes.RESET, run.get("exit_code").asInt(), "a close has a reset's exit code");
    }

    @Test
    void resetAfterBytesEndsWithAnRstAtTheSameMessageEveryTime() throws IOException {
        JsonNode run = bench(endpoint(RESET_AFTER), "--count", "50", "-c", "1", "-p", "1", "--warmup", "0");
        assertEquals(620 / REPLY_BYTES, run.get("messages").asInt());
        assertEquals(1, errors(run, "reset"), "the tenth message, cut short by the RST");
        assertEquals(0, errors(run, "closed"));
        assertEquals(1, errors(run, "total"));
        assertEquals(ExitCodes.RESET, run.get("exit_code").asInt());
    }

    @Test
    void slicedRepliesAreStillWholeCorrectReplies() throws IOException {
        JsonNode run = bench(endpoint(SLICE), "--count", "100", "-c", "2", "-p", "4", "--warmup", "0");
        assertEquals(100, run.get("messages").asInt(), run.toString());
        assertEquals(0, errors(run, "total"), run.toString());
        // 65 bytes in writes of 7: ten writes, nine pauses of 1 ms between them; never sooner
        assertTrue(run.get("latency_us").get("p50").asDouble() >= 9_000, run.toString());
    }

    @Test
    void jitteredStreamRepliesAreNeverEarlierThanDelayMinusJitter() throws IOException {
        JsonNode run = bench(endpoint(JITTER), "--count", "40", "-c", "2", "-p", "1", "--warmup", "0");
        assertEquals(40, run.get("messages").asInt());
        assertEquals(0, errors(run, "total"));
        JsonNode latency = run.get("latency_us");
        // each reply held 20..60 ms; the margin above is wide (a loaded 2-core machine): + 500 ms
        assertTrue(latency.get("p50").asDouble() >= 20_000, latency.toString());
        assertTrue(latency.get("p99").asDouble() >= latency.get("p50").asDouble(), latency.toString());
        assertTrue(latency.get("p99").asDouble() < 60_000 + 500_000, latency.toString());
    }

    @Test
    void jitteredDatagramRepliesAreNeverEarlierThanDelayMinusJitter() throws IOException {
        JsonNode run = bench(endpoint(DATAGRAM_JITTER), "--count", "40", "-c", "2", "-p", "1", "--warmup", "0");
        assertEquals(40, run.get("messages").asInt());
        assertEquals(0, errors(run, "total"));
        JsonNode latency = run.get("latency_us");
        assertTrue(latency.get("p50").asDouble() >= 20_000, latency.toString());
        assertTrue(latency.get("p99").asDouble() < 60_000 + 500_000, latency.toString());
        // datagrams keep no order: eight in flight, each held 20..60 ms, overtake one another
        JsonNode pipelined = bench(endpoint(DATAGRAM_JITTER), "--count", "80", "-c", "1", "-p", "8", "--warmup", "0");
        assertEquals(80, pipelined.get("messages").asInt(), pipelined.toString());
        assertEquals(0, errors(pipelined, "total"), pipelined.toString());
        assertTrue(errors(pipelined, "reordered") > 0, pipelined.toString());
    }

    @Test
    void anAcceptDelayIsPaidByEveryNewConnectionsFirstMessage() throws IOException {
        // a connection per message: each one's latency includes its connect, so every message pays the delay
        JsonNode run = bench(endpoint(ACCEPT_DELAY), "--connect-per-message", "--count", "3", "-c", "1",
                "--warmup", "0");
        assertEquals(3, run.get("messages").asInt());
        assertEquals(0, errors(run, "total"));
        JsonNode latency = run.get("latency_us");
        assertTrue(latency.get("p50").asDouble() >= 300_000, latency.toString());
        assertTrue(latency.get("max").asDouble() < 300_000 + 5_000_000, latency.toString());
    }

    @Test
    void aSlowCloseIsAFinThatComesLateOrATimeoutWhenLaterThanTheClientWaits() throws IOException {
        // close=100%: the first message is read and dropped, and the FIN follows a second later
        JsonNode patient = bench(endpoint(SLOW_CLOSE), "--count", "5", "-c", "1", "-p", "1", "--warmup", "0",
                "--timeout", "5s");
        assertEquals(0, patient.get("messages").asInt());
        assertEquals(1, errors(patient, "closed"), patient.toString());
        assertEquals(0, errors(patient, "timeout"), patient.toString());
        JsonNode hasty = bench(endpoint(SLOW_CLOSE), "--count", "5", "-c", "1", "-p", "1", "--warmup", "0",
                "--timeout", "200ms");
        assertEquals(1, errors(hasty, "timeout"), "the client gave up before the FIN came: " + hasty);
        assertEquals(0, errors(hasty, "closed"), hasty.toString());
    }

    @Test
    void seededReorderingIsExactlyTheReorderedAnomalies() throws IOException {
        int count = 400;
        ListenerFaults faults = server.listenerFaults(REORDER);
        SplittableRandom random = faults.nextRandom();
        // the server's draws, reply by reply in arrival order (one flow: send order): a reply is held back only
        // when none is, and each held reply that a later one overtakes is one reordered reply for bench
        int reordered = 0;
        boolean held = false;
        for (int i = 0; i < count; i++) {
            if (held) {
                held = false;
                reordered++;
            } else if (faults.current().roll(FaultKey.REORDER, random)) {
                held = true;
            }
        }
        assertTrue(reordered > 5 && reordered < 100, "the seed's own draws: " + reordered);
        // a pipeline above 1 keeps a later datagram in flight to overtake each held reply
        JsonNode run = bench(endpoint(REORDER), "--count", Integer.toString(count), "-c", "1", "-p", "4",
                "--warmup", "0", "--size", "64");
        assertEquals(reordered, errors(run, "reordered"), run.toString());
        assertEquals(count, run.get("messages").asInt(), "reordered replies are correct replies");
        assertEquals(0, errors(run, "total"), "an anomaly, not a failure");
        assertEquals(ExitCodes.OK, run.get("exit_code").asInt());
    }

    @Test
    void unseededReorderingStaysWithinWideBinomialBounds() throws Exception {
        try (TestServer unseeded = TestServer.start(ServerConfig.defaults(),
                List.of("udp://127.0.0.1:0?mode=echo&reorder=20%"))) {
            String target = unseeded.endpoint(0).withFaults(Faults.NONE).toString();
            JsonNode run = bench(target, "--count", "300", "-c", "1", "-p", "4", "--warmup", "0");
            long reordered = errors(run, "reordered");
            // each reply not already held back is held with 20%, and the next one frees it: about 300 * 0.2 / 1.2
            // = 50 held, sd about 6.3; seven sd either way
            assertTrue(reordered > 50 - 45 && reordered < 50 + 45, "reordered " + reordered);
            assertEquals(300, run.get("messages").asInt());
            assertEquals(0, errors(run, "total"));
        }
    }

    @Test
    void aSeededCorruptReplyIsAMismatchAtTheSameMessageEveryTime() throws IOException {
        int size = 512;
        ListenerFaults faults = server.listenerFaults(CORRUPT);
        SplittableRandom random = faults.nextRandom();
        int answered = FaultBench.answeredBeforeFirst(faults, random, FaultKey.CORRUPT);
        int flippedByte = random.nextInt(size);
        // a flip in the first 8 bytes, the sequence number, would name another datagram instead
        assertTrue(flippedByte >= 8, "the seed's own draw flips the payload, byte " + flippedByte);
        JsonNode run = bench(endpoint(CORRUPT), "--count", "1000", "-c", "1", "-p", "1", "--warmup", "0",
                "--size", Integer.toString(size));
        assertEquals(answered, run.get("messages").asInt(), run.toString());
        assertEquals(1, errors(run, "mismatch"), run.toString());
        assertEquals(1, errors(run, "total"), run.toString());
        assertEquals("wrong_reply", run.get("stop_reason").asText(), "the first wrong reply stops the run");
        assertEquals(ExitCodes.WRONG_REPLY, run.get("exit_code").asInt());
    }
}
