package io.echoack.client.merge;

import io.echoack.client.bench.BenchConfig;
import io.echoack.client.bench.BenchReport;
import io.echoack.client.bench.BenchResult;
import io.echoack.client.bench.Counter;
import io.echoack.client.bench.ValueCounts;
import io.echoack.common.endpoint.Endpoint;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.StringReader;
import java.io.UncheckedIOException;
import java.time.Instant;
import java.util.EnumMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.UnaryOperator;
import org.HdrHistogram.Histogram;

/** Bench results as {@code bench --json} writes them, made from histograms a test recorded. */
public final class BenchJson {

    /** As bench records latencies: 1 ns to an hour, 3 significant digits. */
    public static Histogram histogram() {
        return new Histogram(1, 3_600_000_000_000L, 3);
    }

    public static final Instant T0 = Instant.parse("2026-12-06T12:00:00Z");

    private BenchJson() {
    }

    /**
     * The JSON of a closed-loop echo run over TCP whose correct replies are {@code latency}'s values, measured
     * from {@code fromSeconds} after {@link #T0} for {@code seconds}.
     */
    public static String of(String label, Histogram latency, double fromSeconds, double seconds) {
        return of(label, latency, fromSeconds, seconds, UnaryOperator.identity(), Map.of(), null, 0);
    }

    public static String of(String label, Histogram latency, double fromSeconds, double seconds,
                            UnaryOperator<BenchConfig.Builder> config, Map<Counter, Long> failures,
                            ValueCounts countBy, int exitCode) {
        return of(label, latency, fromSeconds, seconds, config, failures, countBy, exitCode, Map.of());
    }

    /** As {@link #of(String, Histogram, double, double)}, with histograms besides the latency's ({@code connect}). */
    public static String of(String label, Histogram latency, double fromSeconds, double seconds,
                            UnaryOperator<BenchConfig.Builder> config, Map<Counter, Long> failures,
                            ValueCounts countBy, int exitCode, Map<String, Histogram> more) {
        BenchConfig c = config.apply(BenchConfig.builder(Endpoint.parse(
                countBy == null ? "tcp://127.0.0.1:7?mode=echo" : "tcp://127.0.0.1:7?mode=info"))
                .count(1000).label(label).countBy(countBy == null ? null : countBy.key())).build();
        Map<Counter, Long> counts = new EnumMap<>(Counter.class);
        long failed = failures.values().stream().mapToLong(Long::longValue).sum();
        counts.put(Counter.OK, latency.getTotalCount());
        counts.put(Counter.SENT, latency.getTotalCount() + failed);
        counts.putAll(failures);
        Map<String, Histogram> extra = new LinkedHashMap<>(more);
        Histogram connect = extra.remove(BenchResult.CONNECT);
        Histogram handshake = extra.remove(BenchResult.TLS_HANDSHAKE);
        BenchResult.Connects connects = new BenchResult.Connects(connect == null ? 0 : connect.getTotalCount(),
                connect == null ? BenchResult.Connects.none().connect() : connect,
                handshake == null ? BenchResult.Connects.none().tlsHandshake() : handshake);
        BenchResult r = new BenchResult(c, "epoll", 2, T0, seconds, counts, Map.of(Counter.SENT, 5L, Counter.OK, 5L), 0,
                latency, null, null, 0, countBy, connects, null, T0.plusMillis(Math.round(fromSeconds * 1000)),
                "host-" + label, extra);
        return BenchReport.json(r, exitCode);
    }

    /** The inputs {@code text} holds, read as from a file named {@code name}. */
    static List<BenchInput> read(String name, String text) {
        try {
            return MergeInputs.read(name, new BufferedReader(new StringReader(text)));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
