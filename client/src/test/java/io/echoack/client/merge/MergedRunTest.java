package io.echoack.client.merge;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.echoack.client.bench.Counter;
import io.echoack.client.bench.ValueCounts;
import io.echoack.client.net.FailureKind;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.SplittableRandom;
import java.util.function.UnaryOperator;
import org.HdrHistogram.Histogram;
import org.HdrHistogram.HistogramIterationValue;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class MergedRunTest {

    /**
     * The test: clients' histograms, written as bench writes them and merged, are the histogram of one
     * recorder fed every value of every client. Equal counts at every value, so equal percentiles: not a tolerance.
     */
    @ParameterizedTest(name = "{0} clients")
    @ValueSource(ints = {2, 3})
    void mergedHistogramsAreExactlyOneHistogramOfEveryValue(int clients) {
        SplittableRandom random = new SplittableRandom(1500 + clients);
        Histogram all = BenchJson.histogram();
        List<BenchInput> inputs = new ArrayList<>();
        for (int c = 0; c < clients; c++) {
            Histogram own = BenchJson.histogram();
            for (int i = 0; i < 20_000 + 7_000 * c; i++) {
                // a different shape per client: fast and narrow, slower and wide, and one with a long tail
                long nanos = switch (c) {
                    case 0 -> 20_000 + random.nextLong(30_000);
                    case 1 -> 50_000 + (long) (Math.exp(random.nextDouble() * 8) * 1_000);
                    default -> random.nextInt(100) == 0 ? 1_000_000_000L + random.nextLong(2_000_000_000L)
                            : 30_000 + random.nextLong(400_000);
                };
                own.recordValue(nanos);
                all.recordValue(nanos);
            }
            inputs.addAll(BenchJson.read("client" + c + ".json", BenchJson.of("c" + c, own, 0, 10)));
        }
        MergedRun merged = MergedRun.of(inputs, false);
        Histogram m = merged.latency();
        assertEquals(all.getTotalCount(), m.getTotalCount());
        for (HistogramIterationValue v : all.recordedValues()) {
            assertEquals(v.getCountAtValueIteratedTo(), m.getCountAtValue(v.getValueIteratedTo()),
                    "count at " + v.getValueIteratedTo());
        }
        for (HistogramIterationValue v : m.recordedValues()) {
            assertEquals(v.getCountAtValueIteratedTo(), all.getCountAtValue(v.getValueIteratedTo()),
                    "count at " + v.getValueIteratedTo());
        }
        for (double p : new double[] {0, 1, 10, 50, 90, 99, 99.9, 99.99, 99.999, 100}) {
            assertEquals(all.getValueAtPercentile(p), m.getValueAtPercentile(p), "p" + p);
        }
        assertEquals(all.getMaxValue(), m.getMaxValue());
        assertEquals(all.getMinValue(), m.getMinValue());
        assertEquals(all.getMean(), m.getMean(), 0.0);
        assertEquals(all.getTotalCount(), merged.messages());
        assertEquals(all.getValueAtPercentile(99) / 1000.0, MergedRun.micros(m).orElseThrow().p99());
    }

    @Test
    void countersAreSummedAndThroughputIsOverTheUnion() {
        Histogram a = BenchJson.histogram();
        Histogram b = BenchJson.histogram();
        for (int i = 0; i < 1000; i++) {
            a.recordValue(100_000);
        }
        for (int i = 0; i < 3000; i++) {
            b.recordValue(200_000);
        }
        List<BenchInput> inputs = new ArrayList<>(BenchJson.read("a.json", BenchJson.of("a", a, 0, 10,
                UnaryOperator.identity(), Map.of(Counter.TIMEOUT, 3L, Counter.REORDERED, 1L), null, 3)));
        inputs.addAll(BenchJson.read("b.json", BenchJson.of("b", b, 0.5, 10,
                UnaryOperator.identity(), Map.of(Counter.TIMEOUT, 2L, Counter.RESET, 4L), null, 5)));
        MergedRun m = MergedRun.of(inputs, false);
        assertEquals(1004 + 3006, m.sent(), "the failures (and the reordered reply) were sent too");
        assertEquals(4000, m.messages());
        assertEquals(5, m.errors().get("timeout"));
        assertEquals(4, m.errors().get("reset"));
        assertEquals(1, m.errors().get("reordered"));
        assertEquals(9, m.errorsTotal(), "reordered is no failure");
        assertEquals(10, m.warmupSent());
        assertEquals(10.5, m.unionSeconds(), 1e-9);
        assertEquals(9.5, m.overlapSeconds(), 1e-9);
        assertTrue(m.ranTogether(), "9.5 of 10.5 s: 90.5%");
        assertEquals(4000 / 10.5, m.msgsPerSecond(), 1e-9);
        assertEquals(400.0, m.sumOfClientRates(), 1e-9);
        assertEquals(4000 * 64 / 10.5 / 1e6, m.mbPerSecond(), 1e-12);
        assertEquals(Optional.of(FailureKind.TIMEOUT), m.failureKind(), "timeout 5 against reset 4");
        assertEquals(List.of("a", "b"), m.failedInputs().stream().map(MergedRun.Client::name).toList());
    }

    @Test
    void clientsThatRanOneAfterTheOtherAreNotTogether() {
        Histogram h = BenchJson.histogram();
        for (int i = 0; i < 100; i++) {
            h.recordValue(50_000);
        }
        List<BenchInput> inputs = new ArrayList<>(BenchJson.read("a.json", BenchJson.of("a", h, 0, 10)));
        inputs.addAll(BenchJson.read("b.json", BenchJson.of("b", h, 9, 10)));
        inputs.addAll(BenchJson.read("c.json", BenchJson.of("c", h, 30, 10)));
        MergedRun m = MergedRun.of(inputs, false);
        assertEquals(29.0, m.unionSeconds(), 1e-9, "0..19 and 30..40");
        assertEquals(0.0, m.overlapSeconds(), 1e-9);
        assertFalse(m.ranTogether());
        assertEquals(300 / 29.0, m.msgsPerSecond(), 1e-9);
        assertEquals(30.0, m.sumOfClientRates(), 1e-9, "each measured 100 in 10 s");
        assertEquals(BenchJson.T0, m.measuredFrom());
        assertEquals(BenchJson.T0.plusSeconds(40), m.measuredTo());
        assertEquals(Optional.empty(), m.failureKind());
        assertTrue(MergeReport.table(m).contains("warning: the clients did not run together: all of them measured at "
                + "once for 0.000 s of the 29.000 s any of them did (0%, under 90%)"), MergeReport.table(m));
    }

    @Test
    void aWrongReplyAnywhereDecidesTheExitKind() {
        Histogram h = BenchJson.histogram();
        h.recordValue(1000);
        List<BenchInput> inputs = new ArrayList<>(BenchJson.read("a.json", BenchJson.of("a", h, 0, 1,
                UnaryOperator.identity(), Map.of(Counter.TIMEOUT, 30L), null, 3)));
        inputs.addAll(BenchJson.read("b.json", BenchJson.of("b", h, 0, 1,
                UnaryOperator.identity(), Map.of(Counter.MISMATCH, 1L), null, 8)));
        assertEquals(Optional.of(FailureKind.WRONG_REPLY), MergedRun.of(inputs, false).failureKind());
    }

    @Test
    void differentRunsAreRefusedNamingTheKeyTheValuesAndTheInputs() {
        Histogram h = BenchJson.histogram();
        h.recordValue(1000);
        List<BenchInput> inputs = new ArrayList<>(BenchJson.read("a.json", BenchJson.of("a", h, 0, 1)));
        inputs.addAll(BenchJson.read("b.json", BenchJson.of("b", h, 0, 1)));
        inputs.addAll(BenchJson.read("c.json", BenchJson.of("c", h, 0, 1, b -> b.size(128).rate(500),
                Map.of(), null, 0)));
        MergeException e = assertThrows(MergeException.class, () -> MergedRun.of(inputs, false));
        assertEquals("size differs: 64 in a.json:1 (a), 128 in c.json:1 (c): these runs measured different things; "
                + "--force merges them anyway", e.getMessage());
        MergedRun forced = MergedRun.of(inputs, true);
        assertEquals(List.of("size differs: 64 in a.json:1 (a), 128 in c.json:1 (c)",
                "rate differs: null in a.json:1 (a), 500 in c.json:1 (c)"), forced.differences());
        assertNull(forced.settings().get("size"), "no one size");
        assertEquals("echo", forced.settings().get("mode"));
        assertTrue(MergeReport.table(forced).contains("merged anyway (--force): size differs"));
        assertEquals((64.0 + 64 + 128) / 1e6, forced.mbPerSecond(), 1e-12, "each client's bytes at its own size");
    }

    @Test
    void countByDistributionsAreSummedByValue() {
        Histogram h = BenchJson.histogram();
        for (int i = 0; i < 10; i++) {
            h.recordValue(1000);
        }
        List<BenchInput> inputs = new ArrayList<>(BenchJson.read("a.json", BenchJson.of("a", h, 0, 1,
                UnaryOperator.identity(), Map.of(), new ValueCounts("pod", Map.of("echo-1", 6L, "echo-2", 4L), 0), 0)));
        inputs.addAll(BenchJson.read("b.json", BenchJson.of("b", h, 0, 1,
                UnaryOperator.identity(), Map.of(), new ValueCounts("pod", Map.of("echo-2", 7L, "echo-3", 2L), 1), 0)));
        MergedRun m = MergedRun.of(inputs, false);
        assertEquals(new ValueCounts("pod", Map.of("echo-2", 11L, "echo-1", 6L, "echo-3", 2L), 1), m.countBy());
        assertEquals(List.of("echo-2", "echo-1", "echo-3"), List.copyOf(m.countBy().counts().keySet()));
        String table = MergeReport.table(m);
        assertTrue(table.contains("replies by pod: 3 values in 20 replies"), table);
        List<BenchInput> otherKey = new ArrayList<>(inputs.subList(0, 1));
        otherKey.addAll(BenchJson.read("c.json", BenchJson.of("c", h, 0, 1,
                UnaryOperator.identity(), Map.of(), new ValueCounts("host", Map.of("x", 10L), 0), 0)));
        assertEquals("count_by.key differs: pod in a.json:1 (a), host in c.json:1 (c): these runs measured different "
                + "things; --force merges them anyway",
                assertThrows(MergeException.class, () -> MergedRun.of(otherKey, false)).getMessage());
    }

    @Test
    void clientsAreNamedByLabelElseHostAndDuplicatesByWhereTheyCameFrom() {
        Histogram h = BenchJson.histogram();
        h.recordValue(1000);
        List<BenchInput> inputs = new ArrayList<>(BenchJson.read("a.json", BenchJson.of("x", h, 0, 1)));
        inputs.addAll(BenchJson.read("b.json", BenchJson.of("x", h, 0, 1)));
        inputs.addAll(BenchJson.read("c.json", BenchJson.of(null, h, 0, 1)));
        assertEquals(List.of("x (a.json:1)", "x (b.json:1)", "host-null"),
                MergedRun.of(inputs, false).clients().stream().map(MergedRun.Client::name).toList());
    }

    @Test
    void everyHistogramAllInputsHaveIsAddedAndShown() {
        Histogram latency = BenchJson.histogram();
        latency.recordValue(10_000);
        Histogram connectA = BenchJson.histogram();
        connectA.recordValue(100_000);
        Histogram connectB = BenchJson.histogram();
        connectB.recordValue(300_000);
        connectB.recordValue(300_000);
        Histogram handshake = BenchJson.histogram();
        handshake.recordValue(2_000_000);
        Map<String, Histogram> both = new LinkedHashMap<>();
        both.put("connect", connectA);
        both.put("tls_handshake", handshake);
        List<BenchInput> inputs = new ArrayList<>(BenchJson.read("a.json", BenchJson.of("a", latency, 0, 1,
                UnaryOperator.identity(), Map.of(), null, 0, both)));
        inputs.addAll(BenchJson.read("b.json", BenchJson.of("b", latency, 0, 1,
                UnaryOperator.identity(), Map.of(), null, 0, Map.of("connect", connectB))));
        MergedRun m = MergedRun.of(inputs, false);
        assertEquals(List.of("latency", "connect"), List.copyOf(m.histograms().keySet()), "tls_handshake: only a had it");
        Histogram connect = connectA.copy();
        connect.add(connectB);
        assertEquals(connect, m.histograms().get("connect"));
        assertTrue(MergeReport.table(m).contains("connect: 3 recorded; p50 300.0 us"), MergeReport.table(m));
        assertTrue(MergeReport.json(m, 0).contains("\"connect_us\": {"), MergeReport.json(m, 0));
    }
}
