package io.echoack.client.merge;

import io.echoack.client.bench.BenchReport;
import io.echoack.client.bench.BenchResult;
import io.echoack.client.bench.HistogramText;
import io.echoack.client.bench.ValueCounts;
import java.math.BigDecimal;
import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.HdrHistogram.Histogram;

/**
 * One bench client's result as {@code echoack merge} read it from a {@code bench --json} document (schema
 * {@value BenchReport#SCHEMA_VERSION}): what it measured, checked once, so that the merge works on typed values and
 * every error names the file and line of the value at fault.
 */
public final class BenchInput {

    /** The keys whose values must be equal in every input: what was measured. {@code rate} is per client. */
    static final List<String> SAME_IN_EVERY_RUN = List.of("kind", "mode", "expect", "framing", "size", "payload",
            "pipeline", "rate", "connect_per_message", "reuse");

    private final String source;
    private final int line;
    private final String prefix;
    private final JsonTree json;
    /** The histograms as written (compressed, base64): decoded when merged, so that many inputs take little memory. */
    private final Map<String, String> histograms;
    private final Optional<BenchResult.Latency> latency;
    private final ValueCounts countBy;

    private BenchInput(String source, int line, String prefix, JsonTree json, Map<String, String> histograms,
                       Optional<BenchResult.Latency> latency, ValueCounts countBy) {
        this.source = source;
        this.line = line;
        this.prefix = prefix;
        this.json = json;
        this.histograms = histograms;
        this.latency = latency;
        this.countBy = countBy;
    }

    /**
     * The input a bench JSON object is.
     *
     * @param source the file's name ({@code -} for standard input)
     * @param line   the line the object starts on
     * @param prefix its lines' {@code kubectl logs --prefix}, or null
     * @throws MergeException when it is not a schema 2 bench result, naming {@code source} and the line
     */
    static BenchInput of(String source, int line, String prefix, JsonTree json) {
        Object schema = json.values().get("schema");
        String at = source + ":" + line;
        if (!(schema instanceof BigDecimal number) || number.signum() <= 0) {
            throw new MergeException(at + ": not an echoack bench result: no \"schema\" number");
        }
        int version = number.intValue();
        if (version < 2) {
            throw new MergeException(at + ": a schema " + version + " bench result has no histograms, so it cannot "
                    + "be merged exactly: rerun that client with a newer echoack (bench --json writes schema "
                    + BenchReport.SCHEMA_VERSION + ")");
        }
        if (version > BenchReport.SCHEMA_VERSION) {
            throw new MergeException(at + ": a schema " + version + " bench result, from a newer echoack: this merge "
                    + "reads schema " + BenchReport.SCHEMA_VERSION + "; merge with that newer echoack");
        }
        BenchInput partial = new BenchInput(source, line, prefix, json, Map.of(), Optional.empty(), null);
        Map<String, String> histograms = new LinkedHashMap<>();
        Optional<BenchResult.Latency> latency = Optional.empty();
        for (Map.Entry<String, Object> e : partial.object("histograms").entrySet()) {
            if (!(e.getValue() instanceof Map<?, ?> h) || !(h.get("hdr") instanceof String hdr)) {
                throw partial.wrong("histograms", "histogram '" + e.getKey() + "' has no \"hdr\" string");
            }
            if (h.get("unit") != null && !"ns".equals(h.get("unit"))) {
                throw partial.wrong("histograms", "histogram '" + e.getKey() + "' is in " + h.get("unit")
                        + ", not ns");
            }
            try {
                Histogram decoded = HistogramText.decode(hdr); // checked here, decoded again when merged
                histograms.put(e.getKey(), hdr);
                if (e.getKey().equals(BenchResult.LATENCY)) {
                    latency = MergedRun.micros(decoded);
                }
            } catch (IllegalArgumentException bad) {
                throw partial.wrong("histograms", "histogram '" + e.getKey() + "': " + bad.getMessage());
            }
        }
        if (!histograms.containsKey(BenchResult.LATENCY)) {
            throw partial.wrong("histograms", "no \"" + BenchResult.LATENCY + "\" histogram");
        }
        ValueCounts countBy = null;
        if (json.values().get("count_by") != null) {
            Map<String, Object> c = partial.object("count_by");
            if (!(c.get("key") instanceof String key) || !(c.get("values") instanceof Map<?, ?> values)) {
                throw partial.wrong("count_by", "no \"key\" string or \"values\" object");
            }
            Map<String, Long> counts = new LinkedHashMap<>();
            for (Map.Entry<?, ?> v : values.entrySet()) {
                counts.put((String) v.getKey(), partial.whole("count_by", v.getValue()));
            }
            countBy = new ValueCounts(key, counts, partial.whole("count_by", c.getOrDefault("absent", BigDecimal.ZERO)));
        }
        BenchInput input = new BenchInput(source, line, prefix, json, Collections.unmodifiableMap(histograms),
                latency, countBy);
        // every value the merge reads, read once here, so that a bad one is reported before anything is merged
        input.sent();
        input.messages();
        input.errors();
        input.warmupSent();
        input.warmupMessages();
        input.warmupErrors();
        input.failedConnections();
        input.closedAfterAccept();
        input.connections();
        input.durationSeconds();
        input.measuredFrom();
        input.measuredTo();
        input.exitCode();
        input.lateMs();
        input.size();
        return input;
    }

    /** The file it came from ({@code -}: standard input). */
    public String source() {
        return source;
    }

    /** {@code FILE:LINE} of the object's first line. */
    public String where() {
        return source + ":" + line;
    }

    /** Its lines' {@code kubectl logs --prefix} (e.g. {@code pod/bench-0-x/bench}), or null. */
    public String prefix() {
        return prefix;
    }

    /** The name the client gave itself ({@code --label}), or null. */
    public String label() {
        return text("label");
    }

    /** The client's host name, or null. */
    public String host() {
        return text("host");
    }

    public String endpoint() {
        return text("endpoint");
    }

    /** The value of a key of {@link #SAME_IN_EVERY_RUN} as it was written (null when absent). */
    Object setting(String key) {
        return json.values().get(key);
    }

    public Instant measuredFrom() {
        return instant("measured_from");
    }

    public Instant measuredTo() {
        return instant("measured_to");
    }

    public double durationSeconds() {
        return number("duration_s").doubleValue();
    }

    public long sent() {
        return whole("sent", json.values().get("sent"));
    }

    public long messages() {
        return whole("messages", json.values().get("messages"));
    }

    public int connections() {
        return (int) whole("connections", json.values().get("connections"));
    }

    public int size() {
        return (int) whole("size", json.values().get("size"));
    }

    /** The measured phase's counters by name ({@code timeout}, ..., {@code late}), {@code total} left out. */
    public Map<String, Long> errors() {
        return counters("errors", object("errors"));
    }

    public long warmupSent() {
        return whole("warmup", object("warmup").get("sent"));
    }

    public long warmupMessages() {
        return whole("warmup", object("warmup").get("messages"));
    }

    /** The warm-up's counters by name, {@code total} left out. */
    public Map<String, Long> warmupErrors() {
        Object errors = object("warmup").get("errors");
        if (!(errors instanceof Map<?, ?>)) {
            throw wrong("warmup", "no \"errors\" object");
        }
        @SuppressWarnings("unchecked")
        Map<String, Object> map = (Map<String, Object>) errors;
        return counters("warmup", map);
    }

    /** The sum of the failure counters ({@code errors.total}). */
    public long errorsTotal() {
        return whole("errors", object("errors").get("total"));
    }

    public long failedConnections() {
        return whole("failed_connections", json.values().get("failed_connections"));
    }

    public long closedAfterAccept() {
        return whole("closed_after_accept", json.values().get("closed_after_accept"));
    }

    /** Connections opened in the measured phase ({@code bench --reuse}), or null when the run did not say. */
    public Long connectionsOpened() {
        Object value = json.values().get("connections_opened");
        return value == null ? null : whole("connections_opened", value);
    }

    /** How late ({@code --start-at}) the client began, in ms; null when it was not asked to start at a time. */
    public Long lateMs() {
        Object value = json.values().get("late_ms");
        return value == null ? null : whole("late_ms", value);
    }

    /** Correct replies per second over the client's own measured phase. */
    public double msgsPerSecond() {
        double seconds = durationSeconds();
        return seconds > 0 ? messages() / seconds : 0;
    }

    /** The bench's exit code. */
    public int exitCode() {
        return (int) whole("exit_code", json.values().get("exit_code"));
    }

    /** Why the run stopped early ({@code interrupted}, ...), or null. */
    public String stopReason() {
        return text("stop_reason");
    }

    /** Its histograms by name, {@code latency} first, decoded afresh on each call (the caller owns them). */
    public Map<String, Histogram> histograms() {
        Map<String, Histogram> decoded = new LinkedHashMap<>();
        histograms.forEach((name, hdr) -> decoded.put(name, HistogramText.decode(hdr)));
        return decoded;
    }

    /** Its own latency percentiles in microseconds; empty when it had no correct reply. */
    public Optional<BenchResult.Latency> latencyMicros() {
        return latency;
    }

    /** The {@code count_by} distribution, or null. */
    public ValueCounts countBy() {
        return countBy;
    }

    /** An error about {@code key}'s value: {@code FILE:LINE: "key": what}, at the key's line. */
    MergeException wrong(String key, String what) {
        Integer keyLine = json.lines().get(key);
        int at = keyLine == null ? line : line + keyLine - 1;
        return new MergeException(source + ":" + at + ": \"" + key + "\": " + what);
    }

    private String text(String key) {
        Object value = json.values().get(key);
        if (value != null && !(value instanceof String)) {
            throw wrong(key, "not a string: " + value);
        }
        return (String) value;
    }

    private BigDecimal number(String key) {
        Object value = json.values().get(key);
        if (!(value instanceof BigDecimal number)) {
            throw wrong(key, value == null ? "missing" : "not a number: " + value);
        }
        return number;
    }

    private long whole(String key, Object value) {
        if (!(value instanceof BigDecimal number)) {
            throw wrong(key, value == null ? "a count is missing" : "not a number: " + value);
        }
        try {
            long n = number.longValueExact();
            if (n < 0 && !key.equals("exit_code")) {
                throw wrong(key, "a negative count: " + n);
            }
            return n;
        } catch (ArithmeticException e) {
            throw wrong(key, "not a whole number: " + number);
        }
    }

    private Instant instant(String key) {
        String text = text(key);
        try {
            return text == null ? null : Instant.parse(text);
        } catch (DateTimeParseException e) {
            throw wrong(key, "not an ISO-8601 instant: " + text);
        }
    }

    @SuppressWarnings("unchecked")
    private Map<String, Object> object(String key) {
        Object value = json.values().get(key);
        if (!(value instanceof Map<?, ?>)) {
            throw wrong(key, value == null ? "missing" : "not an object: " + value);
        }
        return (Map<String, Object>) value;
    }

    private Map<String, Long> counters(String key, Map<String, Object> values) {
        Map<String, Long> counts = new LinkedHashMap<>();
        for (Map.Entry<String, Object> e : values.entrySet()) {
            if (!e.getKey().equals("total")) {
                counts.put(e.getKey(), whole(key, e.getValue()));
            }
        }
        return counts;
    }
}
