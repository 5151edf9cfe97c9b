package io.echoack.client.bench;

import io.echoack.client.net.FailureKind;
import io.echoack.common.text.FieldMessage;
import java.time.Instant;
import java.util.Collections;
import java.util.EnumMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import org.HdrHistogram.Histogram;

/**
 * What a bench run measured: the counters and latencies of its measured phase. Of the warm-up only the
 * counters are kept, so that its failures are reported too (and count for the exit code); its latencies and
 * throughput are discarded.
 *
 * @param config            what was run
 * @param transport         the Netty transport used (epoll, nio, ...)
 * @param threads           event-loop threads used
 * @param startedAt         wall-clock time the run started
 * @param durationSeconds   the measured phase, from its start to the last reply
 * @param counts            every {@link Counter} of the measured phase
 * @param warmupCounts      every {@link Counter} of the warm-up
 * @param failedConnections persistent connections that could not connect or failed later
 * @param latency           latencies of the correct replies, in nanoseconds
 * @param stopReason        why the run stopped before its end, or null when it ran to its end
 * @param wrongReply        the first reply that was not the expected one, escaped and cut as
 *                          {@link ReplySample} shows it (or what was wrong with it, e.g. a length prefix over
 *                          {@code maxFrameLength}, named by that field); null when none came
 * @param closedAfterAccept stream connections the server closed (or reset) right after accepting them, before
 *                          any reply: most likely refused by a connection limit
 * @param countBy           the measured phase's correct identity replies by value of the {@code --count-by} key;
 *                          null when not counting
 * @param connects          the stream connections opened in the measured phase, and their set-up times
 * @param lateMillis        with a {@code startAt}: how many milliseconds after it the run began (0 when on time);
 *                          null without one
 * @param measuredFrom      wall-clock time the measured phase started (after the warm-up); null when nothing was
 *                          measured. It ends {@code durationSeconds} later ({@link #measuredTo()})
 * @param host              the host name of the client that ran it ({@link HostName}); null when not known
 * @param extraHistograms   histograms of the measured phase besides {@code latency}, by name (e.g. {@code connect},
 *                          {@code tls_handshake}), in the order they are reported; values in nanoseconds
 */
public record BenchResult(BenchConfig config, String transport, int threads, Instant startedAt,
                          double durationSeconds, Map<Counter, Long> counts, Map<Counter, Long> warmupCounts,
                          int failedConnections, Histogram latency, StopReason stopReason, FieldMessage wrongReply,
                          int closedAfterAccept, ValueCounts countBy, Connects connects, Long lateMillis,
                          Instant measuredFrom, String host, Map<String, Histogram> extraHistograms) {

    /** The name of the latency histogram in {@link #histograms()}. */
    public static final String LATENCY = "latency";
    /** The name of the connect-time histogram in {@link #histograms()}. */
    public static final String CONNECT = "connect";
    /** The name of the TLS handshake-time histogram in {@link #histograms()}. */
    public static final String TLS_HANDSHAKE = "tls_handshake";

    /**
     * A result of a run that opened no connection in its measured phase, had no start time, and has no measured
     * interval, host or histograms other than the latency's.
     */
    public BenchResult(BenchConfig config, String transport, int threads, Instant startedAt, double durationSeconds,
                       Map<Counter, Long> counts, Map<Counter, Long> warmupCounts, int failedConnections,
                       Histogram latency, StopReason stopReason, FieldMessage wrongReply, int closedAfterAccept,
                       ValueCounts countBy) {
        this(config, transport, threads, startedAt, durationSeconds, counts, warmupCounts, failedConnections, latency,
                stopReason, wrongReply, closedAfterAccept, countBy, Connects.none(), null, null, null, Map.of());
    }

    /** A result of a run that counted nothing by value. */
    public BenchResult(BenchConfig config, String transport, int threads, Instant startedAt, double durationSeconds,
                       Map<Counter, Long> counts, Map<Counter, Long> warmupCounts, int failedConnections,
                       Histogram latency, StopReason stopReason, FieldMessage wrongReply, int closedAfterAccept) {
        this(config, transport, threads, startedAt, durationSeconds, counts, warmupCounts, failedConnections, latency,
                stopReason, wrongReply, closedAfterAccept, null);
    }

    public BenchResult {
        Objects.requireNonNull(config, "config");
        Objects.requireNonNull(latency, "latency");
        Objects.requireNonNull(connects, "connects");
        counts = complete(counts);
        warmupCounts = complete(warmupCounts);
        extraHistograms = Collections.unmodifiableMap(new LinkedHashMap<>(extraHistograms));
        for (String name : List.of(LATENCY, CONNECT, TLS_HANDSHAKE)) {
            if (extraHistograms.containsKey(name)) {
                throw new IllegalArgumentException("extraHistograms: the " + name + " histogram has its own component");
            }
        }
    }

    /**
     * Every histogram of the measured phase by name, as the JSON's {@code histograms}: {@value #LATENCY} always,
     * then {@value #CONNECT} and {@value #TLS_HANDSHAKE} when the phase opened connections (and did TLS
     * handshakes), then the extra ones.
     */
    public Map<String, Histogram> histograms() {
        Map<String, Histogram> all = new LinkedHashMap<>();
        all.put(LATENCY, latency);
        if (connects.connect().getTotalCount() > 0) {
            all.put(CONNECT, connects.connect());
        }
        if (connects.tlsHandshake().getTotalCount() > 0) {
            all.put(TLS_HANDSHAKE, connects.tlsHandshake());
        }
        all.putAll(extraHistograms);
        return Collections.unmodifiableMap(all);
    }

    /** Wall-clock end of the measured phase: {@code measuredFrom + durationSeconds}; null when nothing was measured. */
    public Instant measuredTo() {
        return measuredFrom == null ? null : measuredFrom.plusNanos(Math.round(durationSeconds * 1e9));
    }

    private static Map<Counter, Long> complete(Map<Counter, Long> counts) {
        EnumMap<Counter, Long> all = new EnumMap<>(Counter.class);
        for (Counter c : Counter.values()) {
            all.put(c, counts.getOrDefault(c, 0L));
        }
        return Collections.unmodifiableMap(all);
    }

    /** True when the run stopped before its end ({@link #stopReason()} says why). */
    public boolean stopped() {
        return stopReason != null;
    }

    /** The count of {@code counter}. */
    public long count(Counter counter) {
        return counts.get(counter);
    }

    /** Messages sent in the measured phase. */
    public long sent() {
        return count(Counter.SENT);
    }

    /** Messages answered correctly in the measured phase. */
    public long messages() {
        return count(Counter.OK);
    }

    /**
     * Failed messages of the measured phase (and failed connections with nothing in flight): the sum of every
     * failure counter.
     */
    public long errors() {
        return failures(counts);
    }

    /** The count of {@code counter} during the warm-up. */
    public long warmupCount(Counter counter) {
        return warmupCounts.get(counter);
    }

    /** Failed messages (and connections) during the warm-up. */
    public long warmupErrors() {
        return failures(warmupCounts);
    }

    private static long failures(Map<Counter, Long> counts) {
        long sum = 0;
        for (Counter c : Counter.values()) {
            if (c.isFailure()) {
                sum += counts.get(c);
            }
        }
        return sum;
    }

    /**
     * The kind of failure that decides the exit code, warm-up included: a wrong reply if any came (the run
     * stopped at the first, so that what was still in flight, e.g. timing out after it, cannot outnumber it);
     * else the kind that happened most often, on a tie the first in the order timeout, refused, reset,
     * resolve, TLS, other. Empty when nothing failed.
     */
    public Optional<FailureKind> failureKind() {
        return failureKind(counts, warmupCounts);
    }

    /**
     * The kind of failure that decides the exit code of a run that counted {@code counts} in its measured phase and
     * {@code warmupCounts} in its warm-up (a missing counter is 0), by the rule of {@link #failureKind()}.
     */
    public static Optional<FailureKind> failureKind(Map<Counter, Long> counts, Map<Counter, Long> warmupCounts) {
        if (counts.getOrDefault(Counter.MISMATCH, 0L) + warmupCounts.getOrDefault(Counter.MISMATCH, 0L) > 0) {
            return Optional.of(FailureKind.WRONG_REPLY);
        }
        EnumMap<FailureKind, Long> byKind = new EnumMap<>(FailureKind.class);
        for (Counter c : Counter.values()) {
            long n = counts.getOrDefault(c, 0L) + warmupCounts.getOrDefault(c, 0L);
            if (c.isFailure() && n > 0) {
                byKind.merge(c.failureKind(), n, Long::sum);
            }
        }
        FailureKind dominant = null;
        for (Map.Entry<FailureKind, Long> e : byKind.entrySet()) {
            if (dominant == null || e.getValue() > byKind.get(dominant)) {
                dominant = e.getKey();
            }
        }
        return Optional.ofNullable(dominant);
    }

    /** Correct replies per second of the measured phase. */
    public double msgsPerSecond() {
        return durationSeconds > 0 ? messages() / durationSeconds : 0;
    }

    /** Request payload megabytes (10^6 bytes) per second of correct replies; framing and replies excluded. */
    public double mbPerSecond() {
        return msgsPerSecond() * config.size() / 1e6;
    }

    /** Latency percentiles of the correct replies, in microseconds; empty when there were none. */
    public Optional<Latency> latencyMicros() {
        return Latency.of(latency);
    }

    /** Connect times (connect() to channel active) of the measured phase, in microseconds; empty when none. */
    public Optional<Latency> connectMicros() {
        return Latency.of(connects.connect());
    }

    /** TLS handshake times (channel active to handshake done) of the measured phase, in microseconds; empty if none. */
    public Optional<Latency> tlsHandshakeMicros() {
        return Latency.of(connects.tlsHandshake());
    }

    private static double micros(long nanos) {
        return nanos / 1000.0;
    }

    /** Latency summary in microseconds (HdrHistogram, 3 significant digits). */
    public record Latency(double p50, double p90, double p99, double p999, double max, double mean) {

        /** The summary of {@code histogram} (nanoseconds); empty when it holds no value. */
        public static Optional<Latency> of(Histogram histogram) {
            if (histogram.getTotalCount() == 0) {
                return Optional.empty();
            }
            return Optional.of(new Latency(micros(histogram.getValueAtPercentile(50)),
                    micros(histogram.getValueAtPercentile(90)), micros(histogram.getValueAtPercentile(99)),
                    micros(histogram.getValueAtPercentile(99.9)), micros(histogram.getMaxValue()),
                    histogram.getMean() / 1000.0));
        }
    }

    /**
     * The stream connections a run opened in its measured phase (a connect that started in it and succeeded), and
     * how long their set-up took, in nanoseconds: {@code connect} from connect() called to the channel active (one
     * value per connection opened), {@code tlsHandshake} on {@code tls://} from active to the handshake done.
     */
    public record Connects(long opened, Histogram connect, Histogram tlsHandshake) {

        public Connects {
            Objects.requireNonNull(connect, "connect");
            Objects.requireNonNull(tlsHandshake, "tlsHandshake");
        }

        /** No connection opened (datagrams; persistent connections set up before a warm-up). */
        public static Connects none() {
            return new Connects(0, PhaseStats.newHistogram(), PhaseStats.newHistogram());
        }
    }
}
