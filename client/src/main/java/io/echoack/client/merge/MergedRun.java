package io.echoack.client.merge;

import io.echoack.client.bench.BenchResult;
import io.echoack.client.bench.Counter;
import io.echoack.client.bench.ValueCounts;
import io.echoack.client.net.FailureKind;
import java.math.BigDecimal;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collections;
import java.util.Comparator;
import java.util.EnumMap;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import org.HdrHistogram.Histogram;

/**
 * Many bench clients' results as one: their histograms added (exact: the percentiles of every client's replies
 * together, as one client recording them all would have measured them), their counters summed, and their measured
 * intervals set against each other. Throughput is taken over the <em>union</em> of the intervals (the wall-clock
 * time in which any client measured), and the <em>overlap</em> (the time in which all of them did) says whether
 * they really ran together: a total rate of clients that ran one after the other is not a rate the server served.
 */
public final class MergedRun {

    /** Below this share of the union in which all clients measured together, they did not run together. */
    public static final double TOGETHER = 0.9;

    /**
     * One input, by the name its table row and chart bar show.
     *
     * @param name  its {@code --label}, else its host name, else its {@code kubectl} prefix, else its file;
     *              with its file and line after it when another input has the same
     * @param input what it measured
     */
    public record Client(String name, BenchInput input) {
    }

    private final List<Client> clients;
    private final List<String> differences;
    private final Map<String, Object> settings;
    private final Map<String, Histogram> histograms;
    private final Map<String, Long> errors;
    private final Map<String, Long> warmupErrors;
    private final long sent;
    private final long messages;
    private final long warmupSent;
    private final long warmupMessages;
    private final long failedConnections;
    private final long closedAfterAccept;
    private final int connections;
    private final Long connectionsOpened;
    private final double payloadBytes;
    private final Instant measuredFrom;
    private final Instant measuredTo;
    private final double unionSeconds;
    private final double overlapSeconds;
    private final ValueCounts countBy;
    private final int withoutCountBy;

    private MergedRun(List<BenchInput> inputs, boolean force) {
        this.clients = names(inputs);
        this.differences = differences(clients);
        if (!differences.isEmpty() && !force) {
            throw new MergeException(differences.get(0) + ": these runs measured different things; --force merges "
                    + "them anyway");
        }
        BenchInput first = inputs.get(0);
        Map<String, Object> common = new LinkedHashMap<>();
        for (String key : BenchInput.SAME_IN_EVERY_RUN) {
            Object value = first.setting(key);
            boolean same = inputs.stream().allMatch(i -> sameValue(value, i.setting(key)));
            common.put(key, same ? value : null);
        }
        this.settings = Collections.unmodifiableMap(common);
        this.histograms = addHistograms(inputs);
        Map<String, Long> errorSums = new LinkedHashMap<>();
        Map<String, Long> warmupSums = new LinkedHashMap<>();
        long sentSum = 0;
        long messageSum = 0;
        long warmupSentSum = 0;
        long warmupMessageSum = 0;
        long failed = 0;
        long closed = 0;
        int connectionSum = 0;
        Long opened = 0L;
        double bytes = 0;
        for (BenchInput input : inputs) {
            input.errors().forEach((k, v) -> errorSums.merge(k, v, Long::sum));
            input.warmupErrors().forEach((k, v) -> warmupSums.merge(k, v, Long::sum));
            sentSum += input.sent();
            messageSum += input.messages();
            warmupSentSum += input.warmupSent();
            warmupMessageSum += input.warmupMessages();
            failed += input.failedConnections();
            closed += input.closedAfterAccept();
            connectionSum += input.connections();
            opened = opened == null || input.connectionsOpened() == null ? null : opened + input.connectionsOpened();
            bytes += (double) input.messages() * input.size();
        }
        this.errors = Collections.unmodifiableMap(errorSums);
        this.warmupErrors = Collections.unmodifiableMap(warmupSums);
        this.sent = sentSum;
        this.messages = messageSum;
        this.warmupSent = warmupSentSum;
        this.warmupMessages = warmupMessageSum;
        this.failedConnections = failed;
        this.closedAfterAccept = closed;
        this.connections = connectionSum;
        this.connectionsOpened = opened;
        this.payloadBytes = bytes;

        List<Instant[]> intervals = new ArrayList<>();
        for (BenchInput input : inputs) {
            if (input.measuredFrom() != null && input.measuredTo() != null) {
                intervals.add(new Instant[] {input.measuredFrom(), input.measuredTo()});
            }
        }
        this.measuredFrom = intervals.stream().map(i -> i[0]).min(Comparator.naturalOrder()).orElse(null);
        this.measuredTo = intervals.stream().map(i -> i[1]).max(Comparator.naturalOrder()).orElse(null);
        this.unionSeconds = union(intervals);
        this.overlapSeconds = intervals.size() < inputs.size() ? 0 : overlap(intervals);

        ValueCounts counted = null;
        int without = 0;
        for (BenchInput input : inputs) {
            ValueCounts c = input.countBy();
            if (c == null) {
                without++;
            } else if (counted == null) {
                counted = c;
            } else {
                Map<String, Long> sum = new HashMap<>(counted.counts());
                c.counts().forEach((k, v) -> sum.merge(k, v, Long::sum));
                counted = new ValueCounts(counted.key(), sum, counted.absent() + c.absent());
            }
        }
        this.countBy = counted;
        this.withoutCountBy = counted == null ? 0 : without;
    }

    /**
     * The inputs merged.
     *
     * @param force merge inputs that measured different things too ({@link #differences()} lists them)
     * @throws MergeException when they measured different things (without {@code force}), naming the key, both
     *                        values and both inputs; or when there is no input
     */
    public static MergedRun of(List<BenchInput> inputs, boolean force) {
        if (inputs.isEmpty()) {
            throw new MergeException("no bench result to merge");
        }
        return new MergedRun(List.copyOf(inputs), force);
    }

    private static List<Client> names(List<BenchInput> inputs) {
        List<String> names = new ArrayList<>();
        for (BenchInput input : inputs) {
            names.add(input.label() != null ? input.label() : input.host() != null ? input.host()
                    : input.prefix() != null ? input.prefix() : input.source());
        }
        List<Client> clients = new ArrayList<>();
        for (int i = 0; i < inputs.size(); i++) {
            String name = names.get(i);
            boolean unique = Collections.frequency(names, name) == 1;
            clients.add(new Client(unique ? name : name + " (" + inputs.get(i).where() + ")", inputs.get(i)));
        }
        return List.copyOf(clients);
    }

    /** {@code KEY differs: V1 in FILE:LINE (NAME), V2 in FILE:LINE (NAME)}, one per key and input that differs. */
    private static List<String> differences(List<Client> clients) {
        List<String> found = new ArrayList<>();
        Client first = clients.get(0);
        for (String key : BenchInput.SAME_IN_EVERY_RUN) {
            for (Client other : clients.subList(1, clients.size())) {
                if (!sameValue(first.input().setting(key), other.input().setting(key))) {
                    found.add(differs(key, shown(first.input().setting(key)), first,
                            shown(other.input().setting(key)), other));
                    break;
                }
            }
        }
        Client counting = null;
        for (Client client : clients) {
            ValueCounts c = client.input().countBy();
            if (c != null && counting == null) {
                counting = client;
            } else if (c != null && !c.key().equals(counting.input().countBy().key())) {
                found.add(differs("count_by.key", counting.input().countBy().key(), counting, c.key(), client));
                break;
            }
        }
        return List.copyOf(found);
    }

    private static String differs(String key, String one, Client a, String other, Client b) {
        return key + " differs: " + one + " in " + a.input().where() + " (" + a.name() + "), " + other + " in "
                + b.input().where() + " (" + b.name() + ")";
    }

    private static String shown(Object value) {
        if (value instanceof BigDecimal number) {
            return number.stripTrailingZeros().toPlainString();
        }
        return value instanceof String s ? s : String.valueOf(value);
    }

    private static boolean sameValue(Object a, Object b) {
        if (a instanceof BigDecimal x && b instanceof BigDecimal y) {
            return x.compareTo(y) == 0;
        }
        if (a instanceof Map<?, ?> x && b instanceof Map<?, ?> y) {
            return x.keySet().equals(y.keySet()) && x.keySet().stream().allMatch(k -> sameValue(x.get(k), y.get(k)));
        }
        return Objects.equals(a, b);
    }

    /** Every histogram name all inputs have, in the first's order, each the exact sum of the inputs'. */
    private static Map<String, Histogram> addHistograms(List<BenchInput> inputs) {
        Map<String, Histogram> sums = inputs.get(0).histograms();
        for (BenchInput input : inputs.subList(1, inputs.size())) {
            Map<String, Histogram> theirs = input.histograms();
            sums.keySet().retainAll(theirs.keySet());
            for (Map.Entry<String, Histogram> e : sums.entrySet()) {
                e.getValue().add(theirs.get(e.getKey()));
            }
        }
        return Collections.unmodifiableMap(sums);
    }

    private static double union(List<Instant[]> intervals) {
        List<Instant[]> sorted = new ArrayList<>(intervals);
        sorted.sort(Comparator.comparing(i -> i[0]));
        long nanos = 0;
        Instant start = null;
        Instant end = null;
        for (Instant[] i : sorted) {
            if (end == null || i[0].isAfter(end)) {
                if (end != null) {
                    nanos += Duration.between(start, end).toNanos();
                }
                start = i[0];
                end = i[1];
            } else if (i[1].isAfter(end)) {
                end = i[1];
            }
        }
        if (end != null) {
            nanos += Duration.between(start, end).toNanos();
        }
        return nanos / 1e9;
    }

    private static double overlap(List<Instant[]> intervals) {
        if (intervals.isEmpty()) {
            return 0;
        }
        Instant latestStart = intervals.stream().map(i -> i[0]).max(Comparator.naturalOrder()).orElseThrow();
        Instant earliestEnd = intervals.stream().map(i -> i[1]).min(Comparator.naturalOrder()).orElseThrow();
        return Math.max(0, Duration.between(latestStart, earliestEnd).toNanos()) / 1e9;
    }

    /** The inputs, in the order given, with their names. */
    public List<Client> clients() {
        return clients;
    }

    /** What the inputs measured differently (merged anyway with {@code force}); empty when nothing. */
    public List<String> differences() {
        return differences;
    }

    /**
     * The value of each key of what was measured ({@code kind}, {@code mode}, ..., {@code reuse}) as the inputs
     * wrote it, null when they differ (or all wrote null).
     */
    public Map<String, Object> settings() {
        return settings;
    }

    /** The added histograms, {@code latency} first: every name all inputs have. */
    public Map<String, Histogram> histograms() {
        return histograms;
    }

    /** The merged latency histogram (correct replies, nanoseconds). */
    public Histogram latency() {
        return histograms.get(BenchResult.LATENCY);
    }

    /** The summed counters of the measured phases, by name ({@code total} left out). */
    public Map<String, Long> errors() {
        return errors;
    }

    /** The summed warm-up counters, by name. */
    public Map<String, Long> warmupErrors() {
        return warmupErrors;
    }

    /** The sum of the failure counters of the measured phases. */
    public long errorsTotal() {
        return failures(errors);
    }

    /** The sum of the warm-up's failure counters. */
    public long warmupErrorsTotal() {
        return failures(warmupErrors);
    }

    private static long failures(Map<String, Long> counts) {
        long sum = 0;
        for (Map.Entry<String, Long> e : counts.entrySet()) {
            Counter counter = counter(e.getKey());
            if (counter != null && counter.isFailure()) {
                sum += e.getValue();
            }
        }
        return sum;
    }

    private static Counter counter(String id) {
        for (Counter c : Counter.values()) {
            if (c.id().equals(id)) {
                return c;
            }
        }
        return null;
    }

    public long sent() {
        return sent;
    }

    public long messages() {
        return messages;
    }

    public long warmupSent() {
        return warmupSent;
    }

    public long warmupMessages() {
        return warmupMessages;
    }

    public long failedConnections() {
        return failedConnections;
    }

    public long closedAfterAccept() {
        return closedAfterAccept;
    }

    /** Connections (flows, workers) of all clients together. */
    public int connections() {
        return connections;
    }

    /** Connections opened in the measured phases, when every input says; else null. */
    public Long connectionsOpened() {
        return connectionsOpened;
    }

    /** The earliest start of a measured interval; null when no input measured anything. */
    public Instant measuredFrom() {
        return measuredFrom;
    }

    /** The latest end of a measured interval; null when no input measured anything. */
    public Instant measuredTo() {
        return measuredTo;
    }

    /** Seconds in which at least one client measured. */
    public double unionSeconds() {
        return unionSeconds;
    }

    /** Seconds in which every client measured (0 when one measured nothing). */
    public double overlapSeconds() {
        return overlapSeconds;
    }

    /** The overlap as a share of the union, 0..1 (1 for a single input). */
    public double overlapShare() {
        return unionSeconds > 0 ? overlapSeconds / unionSeconds : 1;
    }

    /** False when the clients measured together for less than {@link #TOGETHER} of the union. */
    public boolean ranTogether() {
        return clients.size() == 1 || overlapShare() >= TOGETHER;
    }

    /** Correct replies of all clients per second of the union. */
    public double msgsPerSecond() {
        return unionSeconds > 0 ? messages / unionSeconds : 0;
    }

    /** The clients' own rates added up: the total rate when they ran together, more than it when they did not. */
    public double sumOfClientRates() {
        return clients.stream().mapToDouble(c -> c.input().msgsPerSecond()).sum();
    }

    /** Request payload megabytes (10^6 bytes) of correct replies per second of the union. */
    public double mbPerSecond() {
        return unionSeconds > 0 ? payloadBytes / unionSeconds / 1e6 : 0;
    }

    /** The summed {@code count_by} distribution, or null when no input counted. */
    public ValueCounts countBy() {
        return countBy;
    }

    /** Inputs that did not count by value while others did. */
    public int withoutCountBy() {
        return withoutCountBy;
    }

    /** The inputs whose bench exited non-zero (failures, or stopped by a signal). */
    public List<Client> failedInputs() {
        return clients.stream().filter(c -> c.input().exitCode() != 0).toList();
    }

    /**
     * The kind of failure that decides the exit code, by bench's own rule applied to the summed counters (warm-up
     * included): a wrong reply if any came, else the most frequent kind. Empty when nothing failed.
     */
    public Optional<FailureKind> failureKind() {
        return BenchResult.failureKind(byCounter(errors), byCounter(warmupErrors));
    }

    private static Map<Counter, Long> byCounter(Map<String, Long> counts) {
        Map<Counter, Long> byCounter = new EnumMap<>(Counter.class);
        counts.forEach((id, n) -> {
            Counter c = counter(id);
            if (c != null) {
                byCounter.put(c, n);
            }
        });
        return byCounter;
    }

    /** Percentiles of {@code histogram} (nanoseconds) in microseconds; empty when it holds nothing. */
    public static Optional<BenchResult.Latency> micros(Histogram histogram) {
        return histogram == null ? Optional.empty() : BenchResult.Latency.of(histogram);
    }
}
