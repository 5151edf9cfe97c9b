package io.echoack.client.bench;

import static io.echoack.common.text.FieldMessage.field;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.echoack.client.net.FailureKind;
import io.echoack.common.endpoint.Endpoint;
import io.echoack.common.text.FieldMessage;
import java.nio.ByteBuffer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Base64;
import java.util.EnumMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.HdrHistogram.Histogram;
import org.junit.jupiter.api.Test;

class BenchReportTest {

    /** The JSON keys, in order: the interface the bench suite parses. */
    static final List<String> KEYS = List.of("schema", "started_at", "label", "host",
            "measured_from", "measured_to", "endpoint", "kind", "transport", "threads",
            "mode", "expect", "framing", "connections", "connect_per_message", "pipeline", "size", "payload",
            "rate", "warmup_s", "count", "duration_s", "sent", "messages", "errors", "warmup", "failed_connections",
            "closed_after_accept", "wrong_reply", "msgs_per_s", "mb_per_s", "latency_us", "count_by", "reuse",
            "connect_rate", "connections_opened", "connect_us", "tls_handshake_us", "start_at", "late_ms",
            "stopped_early", "stop_reason", "exit_code", "histograms");
    static final List<String> ERROR_KEYS = List.of("total", "timeout", "refused", "reset", "closed", "resolve", "tls",
            "mismatch", "lost", "other", "reordered", "duplicate", "late");

    private static final ObjectMapper MAPPER = new ObjectMapper();

    /** 1..1000 microseconds, one each: the percentiles are known. */
    private static Histogram oneToAThousandMicros() {
        Histogram h = PhaseStats.newHistogram();
        for (long us = 1; us <= 1000; us++) {
            h.recordValue(us * 1000);
        }
        return h;
    }

    private static BenchResult result(Map<Counter, Long> counts, Histogram latency) {
        BenchConfig config = BenchConfig.builder(Endpoint.parse("tcp://127.0.0.1:7?mode=echo")).count(1000)
                .connections(4).pipeline(2).threads(2).build();
        return new BenchResult(config, "epoll", 2, Instant.parse("2026-11-25T12:00:00.123456Z"), 2.0, counts,
                Map.of(Counter.SENT, 10L, Counter.OK, 9L, Counter.TIMEOUT, 1L), 0, latency, null, null, 0);
    }

    @Test
    void percentilesComeFromTheHistogram() {
        BenchResult result = result(Map.of(Counter.SENT, 1000L, Counter.OK, 1000L), oneToAThousandMicros());
        BenchResult.Latency l = result.latencyMicros().orElseThrow();
        assertEquals(500, l.p50(), 0.5);
        assertEquals(900, l.p90(), 0.5);
        assertEquals(990, l.p99(), 0.5);
        assertEquals(999, l.p999(), 0.5);
        assertEquals(1000, l.max(), 0.5);
        assertEquals(500.5, l.mean(), 0.5);
        assertEquals(500, result.msgsPerSecond(), 1e-9);
        assertEquals(500 * 64 / 1e6, result.mbPerSecond(), 1e-12);
    }

    @Test
    void theJsonHasEveryKeyInOrder() throws Exception {
        Map<Counter, Long> counts = new EnumMap<>(Counter.class);
        counts.put(Counter.SENT, 1000L);
        counts.put(Counter.OK, 990L);
        counts.put(Counter.MISMATCH, 4L);
        counts.put(Counter.LOST, 6L);
        counts.put(Counter.REORDERED, 2L);
        JsonNode json = MAPPER.readTree(BenchReport.json(result(counts, oneToAThousandMicros()), 3));
        List<String> keys = new ArrayList<>();
        json.fieldNames().forEachRemaining(keys::add);
        assertEquals(KEYS, keys);
        List<String> errorKeys = new ArrayList<>();
        json.get("errors").fieldNames().forEachRemaining(errorKeys::add);
        assertEquals(ERROR_KEYS, errorKeys);
        assertEquals(2, json.get("schema").asInt());
        assertEquals("2026-11-25T12:00:00.123Z", json.get("started_at").asText());
        assertTrue(json.get("label").isNull(), "no --label");
        assertTrue(json.get("measured_from").isNull(), "made without a measured interval");
        assertEquals("tcp://127.0.0.1:7?mode=echo", json.get("endpoint").asText());
        assertEquals("tcp", json.get("kind").asText());
        assertEquals("echo", json.get("mode").asText());
        assertEquals("echo", json.get("expect").asText());
        assertEquals("line", json.get("framing").asText());
        assertTrue(json.get("rate").isNull(), "closed loop");
        assertEquals(1000, json.get("count").asLong());
        assertEquals(1.0, json.get("warmup_s").asDouble());
        assertEquals(2.0, json.get("duration_s").asDouble());
        assertEquals(1000, json.get("sent").asLong());
        assertEquals(990, json.get("messages").asLong());
        assertEquals(10, json.get("errors").get("total").asLong());
        assertEquals(4, json.get("errors").get("mismatch").asLong());
        assertEquals(6, json.get("errors").get("lost").asLong());
        assertEquals(2, json.get("errors").get("reordered").asLong());
        assertEquals(10, json.get("warmup").get("sent").asLong());
        assertEquals(1, json.get("warmup").get("errors").get("total").asLong());
        assertEquals(495, json.get("msgs_per_s").asDouble(), 1e-9);
        assertEquals(990, json.get("latency_us").get("p99").asDouble(), 0.5);
        assertEquals(3, json.get("exit_code").asInt());
        assertTrue(json.get("wrong_reply").isNull());
        assertTrue(json.get("stop_reason").isNull());
        assertEquals(Optional.of(FailureKind.WRONG_REPLY), result(counts, oneToAThousandMicros()).failureKind(),
                "any wrong reply");
    }

    /** Schema 2: what a merge of many clients needs, each client's name, host, interval and whole histograms. */
    @Test
    void theJsonCarriesLabelHostMeasuredIntervalAndTheWholeHistograms() throws Exception {
        BenchConfig config = BenchConfig.builder(Endpoint.parse("tcp://127.0.0.1:7?mode=echo")).count(1000)
                .label("pod-3").build();
        Histogram connect = PhaseStats.newHistogram();
        connect.recordValue(123_456);
        Histogram latency = oneToAThousandMicros();
        BenchResult result = new BenchResult(config, "epoll", 1, Instant.parse("2026-11-25T12:00:00Z"), 2.5,
                Map.of(Counter.SENT, 1000L, Counter.OK, 1000L), Map.of(), 0, latency, null, null, 0, null,
                new BenchResult.Connects(1, connect, PhaseStats.newHistogram()), null,
                Instant.parse("2026-11-25T12:00:01.000400Z"), "bench-host", Map.of());
        JsonNode json = MAPPER.readTree(BenchReport.json(result, 0));
        assertEquals("pod-3", json.get("label").asText());
        assertEquals("bench-host", json.get("host").asText());
        assertEquals("2026-11-25T12:00:01Z", json.get("measured_from").asText(), "to the millisecond");
        assertEquals("2026-11-25T12:00:03.500Z", json.get("measured_to").asText(), "measured_from + duration_s");
        List<String> names = new ArrayList<>();
        json.get("histograms").fieldNames().forEachRemaining(names::add);
        assertEquals(List.of("latency", "connect"), names);
        assertEquals("ns", json.get("histograms").get("latency").get("unit").asText());
        assertEquals(latency, HistogramText.decode(json.get("histograms").get("latency").get("hdr").asText()));
        assertEquals(connect, HistogramText.decode(json.get("histograms").get("connect").get("hdr").asText()));
    }

    @Test
    void connectAndHandshakeTimesGetRowsUnderTheLatencyAndTheirKeysAndHistograms() throws Exception {
        BenchConfig config = BenchConfig.builder(Endpoint.parse("tls://127.0.0.1:7?mode=echo")).count(1000)
                .connections(4).reuse(new Reuse(3, 5)).connectRate(250).threads(2)
                .startAt(Instant.parse("2026-12-06T15:00:00.123456Z")).build();
        Histogram connect = PhaseStats.newHistogram();
        Histogram handshake = PhaseStats.newHistogram();
        for (long us = 1; us <= 250; us++) {
            connect.recordValue(us * 1000);
            handshake.recordValue(us * 4000);
        }
        BenchResult result = new BenchResult(config, "epoll", 2, Instant.now(), 2.0,
                Map.of(Counter.SENT, 1000L, Counter.OK, 1000L), Map.of(), 0, oneToAThousandMicros(), null, null, 0,
                null, new BenchResult.Connects(250, connect, handshake), 1234L, null, null, Map.of());
        String table = BenchReport.table(result);
        String[] lines = table.split("\\R");
        int latencyRow = 5;
        assertTrue(lines[latencyRow - 1].contains("p50 us"), table);
        assertEquals(row("connect", result.connectMicros().orElseThrow()), lines[latencyRow + 1], table);
        assertEquals(row("tls handshake", result.tlsHandshakeMicros().orElseThrow()), lines[latencyRow + 2], table);
        assertEquals(125, result.connectMicros().orElseThrow().p50(), 0.5);
        assertEquals(225, result.connectMicros().orElseThrow().p90(), 0.5);
        assertEquals(900, result.tlsHandshakeMicros().orElseThrow().p90(), 1);
        int p50Column = lines[latencyRow - 1].indexOf("p50 us") + "p50 us".length();
        assertEquals(p50Column, lines[latencyRow + 1].indexOf("125.1") + "125.1".length(),
                "in the latency's p50 column: " + table);
        assertTrue(table.contains("sent 1000 in 2.000 s; errors: none; 250 connections opened"), table);
        assertTrue(table.contains("4 connections, 3 to 5 messages per connection, at most 250 connects/s"), table);

        JsonNode json = MAPPER.readTree(BenchReport.json(result, 0));
        assertEquals(3, json.get("reuse").get("min").asLong());
        assertEquals(5, json.get("reuse").get("max").asLong());
        assertEquals(250, json.get("connect_rate").asDouble());
        assertEquals(250, json.get("connections_opened").asLong());
        assertEquals(125, json.get("connect_us").get("p50").asDouble(), 0.5);
        assertEquals(1000, json.get("tls_handshake_us").get("max").asDouble(), 1);
        assertEquals("2026-12-06T15:00:00.123Z", json.get("start_at").asText());
        assertEquals(1234, json.get("late_ms").asLong());
        List<String> names = new ArrayList<>();
        json.get("histograms").fieldNames().forEachRemaining(names::add);
        assertEquals(List.of("latency", "connect", "tls_handshake"), names);
        for (Map.Entry<String, Histogram> e : Map.of("latency", oneToAThousandMicros(), "connect", connect,
                "tls_handshake", handshake).entrySet()) {
            JsonNode h = json.get("histograms").get(e.getKey());
            assertEquals("ns", h.get("unit").asText());
            Histogram decoded = Histogram.decodeFromCompressedByteBuffer(
                    ByteBuffer.wrap(Base64.getDecoder().decode(h.get("hdr").asText())), 0);
            assertEquals(e.getValue(), decoded, e.getKey() + ": the same histogram, value for value");
        }
    }

    private static String row(String label, BenchResult.Latency l) {
        return String.format(Locale.ROOT, "%-45s %10.1f %10.1f %10.1f %10.1f %10.1f", label, l.p50(), l.p90(), l.p99(),
                l.p999(), l.max());
    }

    @Test
    void withoutChurnOrStartTimeTheirKeysAreNullAndNoRowIsShown() throws Exception {
        BenchResult result = result(Map.of(Counter.SENT, 1000L, Counter.OK, 1000L), oneToAThousandMicros());
        JsonNode json = MAPPER.readTree(BenchReport.json(result, 0));
        for (String key : List.of("reuse", "connect_rate", "connect_us", "tls_handshake_us", "start_at", "late_ms")) {
            assertTrue(json.get(key).isNull(), key);
        }
        assertEquals(0, json.get("connections_opened").asLong());
        List<String> names = new ArrayList<>();
        json.get("histograms").fieldNames().forEachRemaining(names::add);
        assertEquals(List.of("latency"), names, "only the histograms recorded");
        String table = BenchReport.table(result);
        assertFalse(table.contains(System.lineSeparator() + "connect "), table);
        assertFalse(table.contains("tls handshake"), table);
        assertFalse(table.contains("opened"), table);
    }

    @Test
    void withoutRepliesTheLatencyIsNull() throws Exception {
        BenchResult result = result(Map.of(Counter.REFUSED, 4L), PhaseStats.newHistogram());
        JsonNode json = MAPPER.readTree(BenchReport.json(result, 4));
        assertTrue(json.get("latency_us").isNull());
        assertEquals(0, json.get("msgs_per_s").asDouble());
        assertEquals(Optional.of(FailureKind.REFUSED), result.failureKind());
        assertTrue(BenchReport.table(result).contains("errors: refused 4"), BenchReport.table(result));
    }

    @Test
    void aWrongReplyDecidesTheExitCodeElseTheMostFrequentFailureAndTiesGoToTheFirstKind() {
        Map<Counter, Long> counts = new EnumMap<>(Counter.class);
        counts.put(Counter.TIMEOUT, 3L); // and 1 in the warm-up
        counts.put(Counter.RESET, 4L);
        assertEquals(Optional.of(FailureKind.TIMEOUT), result(counts, PhaseStats.newHistogram()).failureKind());
        counts.put(Counter.RESET, 5L);
        assertEquals(Optional.of(FailureKind.RESET), result(counts, PhaseStats.newHistogram()).failureKind());
        counts.put(Counter.LOST, 3L);
        assertEquals(Optional.of(FailureKind.TIMEOUT), result(counts, PhaseStats.newHistogram()).failureKind(),
                "lost counts as timeout");
        counts.put(Counter.MISMATCH, 1L);
        assertEquals(Optional.of(FailureKind.WRONG_REPLY), result(counts, PhaseStats.newHistogram()).failureKind(),
                "the run stopped at the first wrong reply: what timed out after it does not outvote it");
        Map<Counter, Long> anomaliesOnly = Map.of(Counter.OK, 5L, Counter.DUPLICATE, 2L, Counter.REORDERED, 1L);
        BenchConfig config = BenchConfig.builder(Endpoint.parse("udp://127.0.0.1:7")).build();
        BenchResult clean = new BenchResult(config, "nio", 1, Instant.now(), 1, anomaliesOnly, Map.of(), 0,
                PhaseStats.newHistogram(), null, null, 0);
        assertEquals(Optional.empty(), clean.failureKind());
        assertEquals(0, clean.errors());
    }

    /** A FIN and an RST are counted apart, and both have the exit code of a reset (5): the server ended it. */
    @Test
    void closedConnectionsAreCountedApartFromResetOnesAndFailWithTheResetCode() throws Exception {
        Map<Counter, Long> counts = new EnumMap<>(Counter.class);
        counts.put(Counter.SENT, 20L);
        counts.put(Counter.OK, 15L);
        counts.put(Counter.CLOSED, 4L);
        counts.put(Counter.RESET, 2L);
        counts.put(Counter.TIMEOUT, 4L);
        BenchResult result = result(counts, oneToAThousandMicros());
        assertEquals(Optional.of(FailureKind.RESET), result.failureKind(), "4 closed + 2 reset outvote 4 + 1 timeouts");
        assertEquals(10, result.errors());
        JsonNode json = MAPPER.readTree(BenchReport.json(result, 5));
        assertEquals(4, json.get("errors").get("closed").asLong());
        assertEquals(2, json.get("errors").get("reset").asLong());
        assertEquals(10, json.get("errors").get("total").asLong());
        assertEquals(0, json.get("warmup").get("errors").get("closed").asLong());
        String table = BenchReport.table(result);
        assertTrue(table.contains("errors: timeout 4, reset 2, closed 4"), table);
        assertTrue(Counter.CLOSED.isFailure());
        assertEquals(FailureKind.RESET, Counter.CLOSED.failureKind());
    }

    @Test
    void aRunStoppedByAWrongReplySaysWhatCameBackAndWhy() throws Exception {
        BenchConfig config = BenchConfig.builder(Endpoint.parse("tcp://127.0.0.1:7?mode=echo")).count(10).build();
        BenchResult result = new BenchResult(config, "epoll", 1, Instant.now(), 0.1,
                Map.of(Counter.SENT, 1L, Counter.MISMATCH, 1L), Map.of(), 0, PhaseStats.newHistogram(),
                StopReason.WRONG_REPLY, FieldMessage.of("\"I got your message\" (18 bytes)"), 0);
        String table = BenchReport.table(result);
        assertTrue(table.contains("first wrong reply: \"I got your message\" (18 bytes); expected echo"), table);
        assertTrue(table.contains("stopped early: a wrong reply"), table);
        BenchResult inWarmup = new BenchResult(config, "epoll", 1, Instant.now(), 0, Map.of(),
                Map.of(Counter.SENT, 1L, Counter.MISMATCH, 1L), 0, PhaseStats.newHistogram(),
                StopReason.WRONG_REPLY, FieldMessage.of("\"Got your message\" (16 bytes)"), 0);
        String warmupTable = BenchReport.table(inWarmup);
        assertTrue(warmupTable.contains("nothing measured: the run ended in its warm-up"), warmupTable);
        assertTrue(warmupTable.contains("warm-up errors (not in the numbers above): mismatch 1"), warmupTable);
        assertFalse(warmupTable.contains("errors: none"), warmupTable);
        JsonNode json = MAPPER.readTree(BenchReport.json(result, 8));
        assertEquals("\"I got your message\" (18 bytes)", json.get("wrong_reply").asText());
        assertEquals("wrong_reply", json.get("stop_reason").asText());
        assertTrue(json.get("stopped_early").asBoolean());
    }

    @Test
    void theTableShowsThroughputLatencyAndEveryErrorKind() {
        Map<Counter, Long> counts = new EnumMap<>(Counter.class);
        counts.put(Counter.SENT, 1000L);
        counts.put(Counter.OK, 995L);
        counts.put(Counter.TIMEOUT, 5L);
        counts.put(Counter.DUPLICATE, 1L);
        String table = BenchReport.table(result(counts, oneToAThousandMicros()));
        assertTrue(table.contains("echoack bench tcp://127.0.0.1:7?mode=echo"), table);
        assertTrue(table.contains("4 connections, pipeline 2, 64-byte pattern payload, closed loop, 1000 messages "
                + "after 1s warm-up"), table);
        assertTrue(table.matches("(?s).*messages +errors +msgs/s +MB/s +p50 us +p90 us +p99 us +p99.9 us +max us.*"),
                table);
        assertTrue(table.matches("(?s).*\\R +995 +5 +497\\.5 +0\\.032 +500\\.\\d +90\\d\\.\\d +99\\d\\.\\d .*"), table);
        assertTrue(table.contains("errors: timeout 5; also duplicate 1"), table);
        assertTrue(table.contains("warm-up errors (not in the numbers above): timeout 1"), table);
    }

    @Test
    void connectionsClosedRightAfterAcceptAreExplained() throws Exception {
        BenchConfig config = BenchConfig.builder(Endpoint.parse("tcp://127.0.0.1:7")).connections(200).build();
        BenchResult result = new BenchResult(config, "epoll", 2, Instant.now(), 1,
                Map.of(Counter.SENT, 100L, Counter.OK, 100L, Counter.RESET, 100L), Map.of(), 100,
                PhaseStats.newHistogram(), null, null, 100);
        assertTrue(BenchReport.table(result).contains("the server closed 100 of 200 connections right after "
                + "accepting them, before any reply: most likely a limit on connections (echoack-server: "
                + "maxConnectionsPerIp, maxConnections; other servers have their own)"),
                BenchReport.table(result));
        assertEquals(100, MAPPER.readTree(BenchReport.json(result, 5)).get("closed_after_accept").asInt());
        BenchConfig perMessage = BenchConfig.builder(Endpoint.parse("tcp://127.0.0.1:7")).connections(2)
                .connectPerMessage(true).build();
        BenchResult one = new BenchResult(perMessage, "epoll", 2, Instant.now(), 1, Map.of(Counter.RESET, 1L),
                Map.of(), 0, PhaseStats.newHistogram(), null, null, 1);
        assertEquals("the server closed 1 connection right after accepting it, before any reply: most likely a "
                + "limit on connections (echoack-server: maxConnectionsPerIp, maxConnections; other servers "
                + "have their own)", BenchReport.closedAfterAccept(one).orElseThrow().toString());
        BenchConfig churn = BenchConfig.builder(Endpoint.parse("tcp://127.0.0.1:7")).connections(2)
                .reuse(new Reuse(1, 3)).build();
        BenchResult many = new BenchResult(churn, "epoll", 2, Instant.now(), 1, Map.of(Counter.RESET, 5L),
                Map.of(), 0, PhaseStats.newHistogram(), null, null, 5);
        assertTrue(BenchReport.closedAfterAccept(many).orElseThrow().toString()
                .startsWith("the server closed 5 connections right after accepting them"), "not '5 of 2'");
    }

    /** A library caller reads settings by their fields; a command line passes its own names for them. */
    @Test
    void settingsAreNamedByFieldUnlessTheCallerNamesThem() throws Exception {
        BenchConfig config = BenchConfig.builder(Endpoint.parse("tcp://127.0.0.1:7?framing=length")).count(10)
                .build();
        BenchResult result = new BenchResult(config, "epoll", 1, Instant.now(), 0.1,
                Map.of(Counter.SENT, 1L, Counter.MISMATCH, 1L), Map.of(), 0, PhaseStats.newHistogram(),
                StopReason.NOTHING_ANSWERED, FieldMessage.of("a line of more than 64 bytes (", field("maxFrameLength"),
                        ")"), 1);
        String table = BenchReport.table(result);
        assertFalse(table.contains("--"), table);
        assertTrue(table.contains("stopped early: nothing answered within timeout"), table);
        assertTrue(table.contains("first wrong reply: a line of more than 64 bytes (maxFrameLength)"), table);
        assertTrue(table.contains("(echoack-server: maxConnectionsPerIp, maxConnections;"), table);
        String named = BenchReport.table(result, f -> "<" + f + ">");
        assertTrue(named.contains("stopped early: nothing answered within <timeout>"), named);
        assertTrue(named.contains("(<maxFrameLength>)"), named);
        assertTrue(named.contains("(echoack-server: <maxConnectionsPerIp>, <maxConnections>;"), named);
        assertEquals("a line of more than 64 bytes (maxFrameLength)",
                MAPPER.readTree(BenchReport.json(result, 8)).get("wrong_reply").asText());
        assertEquals("a line of more than 64 bytes (<maxFrameLength>)",
                MAPPER.readTree(BenchReport.json(result, 8, f -> "<" + f + ">")).get("wrong_reply").asText());
    }

    /**
     * Strings a server sent (here count-by values) are JSON-escaped byte for byte as the report always wrote them:
     * scripts and stored results compare these documents as text.
     */
    @Test
    void stringsFromTheServerAreEscapedExactlyAsBefore() {
        BenchConfig config = BenchConfig.builder(Endpoint.parse("tcp://127.0.0.1:7?mode=info")).countBy("host")
                .count(3).build();
        ValueCounts counts = new ValueCounts("host", Map.of("a\"b\\c", 1L, "tab\tcr\rlf\n", 1L,
                "bell\u0007 \u001f é 日本", 1L), 0);
        BenchResult result = new BenchResult(config, "epoll", 1, Instant.now(), 1,
                Map.of(Counter.SENT, 3L, Counter.OK, 3L), Map.of(), 0, PhaseStats.newHistogram(), null, null, 0,
                counts);
        String json = BenchReport.json(result, 0);
        assertTrue(json.contains("\"a\\\"b\\\\c\": 1"), json);
        assertTrue(json.contains("\"tab\\tcr\\rlf\\n\": 1"), json);
        assertTrue(json.contains("\"bell\\u0007 \\u001f é 日本\": 1"), json);
        assertTrue(json.contains("\"endpoint\": \"tcp://127.0.0.1:7?mode=info\","), json);
    }

    @Test
    void countsByValueAreTabledMostFirstAndInTheJson() throws Exception {
        BenchConfig config = BenchConfig.builder(Endpoint.parse("tcp://127.0.0.1:7?mode=info")).countBy("host")
                .count(300).build();
        ValueCounts counts = new ValueCounts("host", Map.of("backend-b", 99L, "backend-a", 100L, "backend-c", 100L,
                "odd\tone", 0L), 1);
        BenchResult result = new BenchResult(config, "epoll", 1, Instant.now(), 1,
                Map.of(Counter.SENT, 300L, Counter.OK, 300L), Map.of(), 0, PhaseStats.newHistogram(), null, null, 0,
                counts);
        String table = BenchReport.table(result);
        assertTrue(table.contains(String.join(System.lineSeparator(),
                "replies by host: 4 values in 300 replies",
                "  backend-a          100   33.3%",
                "  backend-c          100   33.3%",
                "  backend-b           99   33.0%",
                "  odd\\tone             0    0.0%",
                "  (no host)            1    0.3%")), table);
        assertTrue(table.contains("expect info (identity replies)"), table);
        JsonNode json = MAPPER.readTree(BenchReport.json(result, 0)).get("count_by");
        assertEquals("host", json.get("key").asText());
        List<String> values = new ArrayList<>();
        json.get("values").fieldNames().forEachRemaining(values::add);
        assertEquals(List.of("backend-a", "backend-c", "backend-b", "odd\tone"), values);
        assertEquals(100, json.get("values").get("backend-a").asLong());
        assertEquals(1, json.get("absent").asLong());
        assertTrue(MAPPER.readTree(BenchReport.json(result(Map.of(), oneToAThousandMicros()), 0)).get("count_by")
                .isNull(), "null when not counting");
    }

    /** The README's table of JSON keys is the interface scripts read: it lists exactly these, in this order. */
    @Test
    void theReadmeListsEveryJsonKeyInOrder() throws Exception {
        Path dir = Path.of("").toAbsolutePath();
        while (!Files.isRegularFile(dir.resolve("README.md")) || !Files.isDirectory(dir.resolve("client"))) {
            dir = dir.getParent();
            assertTrue(dir != null, "no README.md above the working directory");
        }
        String readme = Files.readString(dir.resolve("README.md"));
        int start = readme.indexOf("**JSON** (`--json FILE`");
        int end = readme.indexOf("With no failure, `sent == messages`", start);
        assertTrue(start >= 0 && end > start, "the README's bench JSON section moved");
        List<String> keys = new ArrayList<>();
        List<String> errorKeys = new ArrayList<>();
        Matcher row = Pattern.compile("(?m)^\\| `([a-z_0-9]+)` \\| [^|]+ \\| (.*) \\|$").matcher(readme.substring(start, end));
        while (row.find()) {
            keys.add(row.group(1));
            if (row.group(1).equals("errors")) {
                Matcher key = Pattern.compile("`([a-z]+)`").matcher(row.group(2));
                while (key.find()) {
                    if (!errorKeys.contains(key.group(1))) { // "not in `total`" names one again
                        errorKeys.add(key.group(1));
                    }
                }
            }
        }
        assertEquals(KEYS, keys);
        assertEquals(ERROR_KEYS, errorKeys);
    }

    @Test
    void theProgressLineSaysRateThroughputP99AndErrors() {
        String line = BenchReport.progressLine(new Progress(false, 3.2, 1000, 152345.4, 9.75, 142.34, 2));
        assertEquals("[  3s]     152345 msgs/s      9.75 MB/s  p99     142.3 us  errors 2", line);
        assertTrue(BenchReport.progressLine(new Progress(true, 1, 0, 0, 0, 0, 0)).startsWith("[  1s] warm-up"));
    }
}
