package io.echoack.client.bench;

import static io.echoack.common.text.FieldMessage.field;

import io.echoack.client.net.ReplyText;
import io.echoack.common.info.InfoLine;
import io.echoack.common.text.Durations;
import io.echoack.common.text.FieldMessage;
import java.nio.charset.StandardCharsets;
import java.math.BigDecimal;
import java.math.RoundingMode;
import java.time.Instant;
import java.time.format.DateTimeFormatter;
import java.time.temporal.ChronoUnit;
import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.function.Function;
import org.HdrHistogram.Histogram;

/**
 * The ways a bench result is shown: a progress line per second (stderr), a table at the end (for people),
 * and a JSON document (for machines). The JSON keys are a stable interface, documented in the README; a new
 * key may be added, none is renamed or removed without raising {@link #SCHEMA_VERSION}.
 *
 * <p>Where a line names a setting (the reply timeout, the max frame length, the server's connection limits),
 * it names it by its library field ({@code timeout}, {@code maxFrameLength}, {@code maxConnectionsPerIp});
 * a command line passes {@code settingNames} to write its own flags instead.
 */
public final class BenchReport {

    /** The {@code schema} field of the JSON document. */
    public static final int SCHEMA_VERSION = 2;

    private BenchReport() {
    }

    /** One progress line, e.g. {@code [  3s] 152345 msgs/s  9.75 MB/s  p99 142.3 us  errors 0}. */
    public static String progressLine(Progress p) {
        return String.format(Locale.ROOT, "[%3.0fs]%s %10.0f msgs/s %9.2f MB/s  p99 %9.1f us  errors %d",
                Math.floor(p.elapsedSeconds()), p.warmup() ? " warm-up" : "", p.msgsPerSecond(), p.mbPerSecond(),
                p.p99Micros(), p.errors());
    }

    /** The final table, several lines, each ending with a line separator; settings named by field. */
    public static String table(BenchResult r) {
        return table(r, Function.identity());
    }

    /**
     * The final table, several lines, each ending with a line separator; each setting it names is written as
     * {@code settingNames} names it, given its field name.
     */
    public static String table(BenchResult r, Function<String, String> settingNames) {
        BenchConfig c = r.config();
        StringBuilder out = new StringBuilder();
        line(out, "echoack bench " + c.endpoint());
        line(out, "  " + c.endpoint().kind().scheme() + c.framing().map(f -> ", " + f.id() + " framing").orElse("")
                + ", expect " + c.expect().describe() + "; " + r.transport() + ", " + r.threads()
                + (r.threads() == 1 ? " thread" : " threads"));
        line(out, "  " + load(c));
        line(out, "");
        line(out, String.format(Locale.ROOT, "%12s %9s %12s %9s %10s %10s %10s %10s %10s", "messages", "errors",
                "msgs/s", "MB/s", "p50 us", "p90 us", "p99 us", "p99.9 us", "max us"));
        Optional<BenchResult.Latency> latency = r.latencyMicros();
        line(out, String.format(Locale.ROOT, "%12d %9d %12.1f %9.3f %10s %10s %10s %10s %10s", r.messages(),
                r.errors(), r.msgsPerSecond(), r.mbPerSecond(),
                latency.map(l -> micros(l.p50())).orElse("-"), latency.map(l -> micros(l.p90())).orElse("-"),
                latency.map(l -> micros(l.p99())).orElse("-"), latency.map(l -> micros(l.p999())).orElse("-"),
                latency.map(l -> micros(l.max())).orElse("-")));
        r.connectMicros().ifPresent(l -> setUpRow(out, "connect", l));
        r.tlsHandshakeMicros().ifPresent(l -> setUpRow(out, "tls handshake", l));
        line(out, "");
        List<String> failures = new ArrayList<>();
        List<String> anomalies = new ArrayList<>();
        for (Counter counter : Counter.values()) {
            long n = r.count(counter);
            if (n > 0 && counter.isFailure()) {
                failures.add(counter.id() + " " + n);
            } else if (n > 0 && counter != Counter.SENT && counter != Counter.OK) {
                anomalies.add(counter.id() + " " + n);
            }
        }
        if (r.sent() == 0 && failures.isEmpty() && r.warmupCount(Counter.SENT) > 0) {
            line(out, "nothing measured: the run ended in its warm-up");
        } else {
            line(out, String.format(Locale.ROOT, "sent %d in %.3f s; errors: %s%s%s", r.sent(), r.durationSeconds(),
                    failures.isEmpty() ? "none" : String.join(", ", failures),
                    anomalies.isEmpty() ? "" : "; also " + String.join(", ", anomalies), opened(r)));
        }
        if (r.countBy() != null) {
            countBy(out, r.countBy());
        }
        if (r.warmupErrors() > 0) {
            List<String> warmup = new ArrayList<>();
            for (Counter counter : Counter.values()) {
                if (counter.isFailure() && r.warmupCount(counter) > 0) {
                    warmup.add(counter.id() + " " + r.warmupCount(counter));
                }
            }
            line(out, "warm-up errors (not in the numbers above): " + String.join(", ", warmup));
        }
        if (r.failedConnections() > 0) {
            line(out, r.failedConnections() + " of " + c.connections() + " connections failed");
        }
        closedAfterAccept(r).ifPresent(text -> line(out, text.render(settingNames)));
        if (r.wrongReply() != null) {
            line(out, "first wrong reply: " + r.wrongReply().render(settingNames) + "; expected "
                    + c.expect().describe());
        }
        if (r.stopped()) {
            line(out, "stopped early: " + r.stopReason().describe().render(settingNames));
        }
        return out.toString();
    }

    /**
     * A row of set-up times under the latency row, in its percentile columns, e.g.
     * {@code connect                                           52.3       80.1 ...}.
     */
    private static void setUpRow(StringBuilder out, String what, BenchResult.Latency l) {
        line(out, String.format(Locale.ROOT, "%-45s %10s %10s %10s %10s %10s", what, micros(l.p50()), micros(l.p90()),
                micros(l.p99()), micros(l.p999()), micros(l.max())));
    }

    /** {@code ; 250 connections opened} for the summary line, when the measured phase opened any; else nothing. */
    private static String opened(BenchResult r) {
        long n = r.connects().opened();
        return n == 0 ? "" : "; " + n + (n == 1 ? " connection" : " connections") + " opened";
    }

    /**
     * The lines the table shows for {@code counts} (a header line, then one line per value, most replies first),
     * each ending with a line separator: for a merge of many clients' distributions to look like one run's.
     */
    public static String countByLines(ValueCounts counts) {
        StringBuilder out = new StringBuilder();
        countBy(out, counts);
        return out.toString();
    }

    /**
     * The distribution of {@code --count-by}: one line per value, most replies first, with its share of the
     * replies counted, e.g. {@code   backend-a      150   50.0%}; then the replies without the key, if any.
     */
    private static void countBy(StringBuilder out, ValueCounts counts) {
        long total = counts.total();
        line(out, "replies by " + counts.key() + ": " + counts.counts().size()
                + (counts.counts().size() == 1 ? " value" : " values") + " in " + total
                + (total == 1 ? " reply" : " replies"));
        int width = Math.max(12, counts.counts().keySet().stream().mapToInt(v -> shown(v).length()).max().orElse(0));
        for (Map.Entry<String, Long> e : counts.counts().entrySet()) {
            line(out, share("  " + pad(shown(e.getKey()), width), e.getValue(), total));
        }
        if (counts.absent() > 0) {
            line(out, share("  " + pad("(no " + counts.key() + ")", width), counts.absent(), total));
        }
    }

    private static String share(String label, long n, long total) {
        return String.format(Locale.ROOT, "%s %9d %6.1f%%", label, n, total == 0 ? 0.0 : 100.0 * n / total);
    }

    /** A value as the table shows it: escaped, so that it stays on its line; {@code ""} for the empty one. */
    private static String shown(String value) {
        if (value.isEmpty()) {
            return "\"\"";
        }
        byte[] bytes = value.getBytes(StandardCharsets.UTF_8);
        StringBuilder sb = new StringBuilder();
        ReplyText.escape(bytes, bytes.length, sb);
        return sb.toString();
    }

    private static String pad(String text, int width) {
        return text.length() >= width ? text : text + " ".repeat(width - text.length());
    }

    /**
     * When the server closed connections right after accepting them, a sentence that says so and names the
     * likely cause, e.g. {@code the server closed 100 of 200 connections right after accepting them, ...}: a
     * limit on connections, naming echoack-server's two by their fields ({@code maxConnectionsPerIp},
     * {@code maxConnections}).
     */
    public static Optional<FieldMessage> closedAfterAccept(BenchResult r) {
        int n = r.closedAfterAccept();
        if (n == 0) {
            return Optional.empty();
        }
        BenchConfig c = r.config();
        String of = c.connectPerMessage() || c.reuse() != null ? "" : " of " + c.connections();
        return Optional.of(FieldMessage.of("the server closed " + n + of
                + (n == 1 && of.isEmpty() ? " connection" : " connections") + " right after accepting "
                + (n == 1 ? "it" : "them") + ", before any reply: most likely a limit on connections (echoack-server: ",
                field("maxConnectionsPerIp"), ", ", field("maxConnections"), "; other servers have their own)"));
    }

    private static String load(BenchConfig c) {
        String who = c.connections() + (c.endpoint().kind().isDatagram() ? (c.connections() == 1 ? " flow" : " flows")
                : c.connectPerMessage() ? (c.connections() == 1 ? " worker" : " workers") + " connecting per message"
                : (c.connections() == 1 ? " connection" : " connections"));
        String loop = c.openLoop() ? String.format(Locale.ROOT, "open loop at %s msgs/s", number(c.rate()))
                : "closed loop";
        String amount = c.duration() != null ? Durations.format(c.duration()) : c.count() + " messages";
        String warmup = c.warmup().isZero() ? ", no warm-up" : " after " + Durations.format(c.warmup()) + " warm-up";
        String churn = c.reuse() == null ? "" : ", " + c.reuse().min() + (c.reuse().min() == c.reuse().max() ? ""
                : " to " + c.reuse().max()) + " messages per connection";
        String connectRate = c.connectRate() > 0
                ? String.format(Locale.ROOT, ", at most %s connects/s", number(c.connectRate())) : "";
        return who + churn + connectRate + ", pipeline " + c.pipeline() + ", " + c.size() + "-byte " + c.payload().id()
                + " payload, " + loop + ", " + amount + warmup;
    }

    private static String micros(double value) {
        return String.format(Locale.ROOT, "%.1f", value);
    }

    private static void line(StringBuilder out, String text) {
        out.append(text).append(System.lineSeparator());
    }

    /** The JSON document (one object, keys in a fixed order), ending with a newline; settings named by field. */
    public static String json(BenchResult r, int exitCode) {
        return json(r, exitCode, Function.identity());
    }

    /**
     * The JSON document (one object, keys in a fixed order), ending with a newline; a setting a value names
     * ({@code wrong_reply}'s) is written as {@code settingNames} names it, given its field name.
     */
    public static String json(BenchResult r, int exitCode, Function<String, String> settingNames) {
        BenchConfig c = r.config();
        Json json = new Json();
        json.field("schema", SCHEMA_VERSION)
                .field("started_at", instant(r.startedAt()))
                .field("label", c.label())
                .field("host", r.host())
                .field("measured_from", instant(r.measuredFrom()))
                .field("measured_to", instant(r.measuredTo()))
                .field("endpoint", c.endpoint().toString())
                .field("kind", c.endpoint().kind().scheme())
                .field("transport", r.transport())
                .field("threads", r.threads())
                .field("mode", c.mode().id())
                .field("expect", c.expect().kind().id())
                .field("framing", c.framing().map(f -> f.id()).orElse(null))
                .field("connections", c.connections())
                .field("connect_per_message", c.connectPerMessage())
                .field("pipeline", c.pipeline())
                .field("size", c.size())
                .field("payload", c.payload().id())
                .numberOrNull("rate", c.openLoop() ? c.rate() : null)
                .field("warmup_s", c.warmup().toNanos() / 1e9)
                .numberOrNull("count", c.count() == 0 ? null : (double) c.count())
                .field("duration_s", r.durationSeconds())
                .field("sent", r.sent())
                .field("messages", r.messages());
        json.open("errors").field("total", r.errors());
        for (Counter counter : Counter.values()) {
            if (counter != Counter.SENT && counter != Counter.OK) {
                json.field(counter.id(), r.count(counter));
            }
        }
        json.close();
        json.open("warmup").field("sent", r.warmupCount(Counter.SENT)).field("messages", r.warmupCount(Counter.OK))
                .open("errors").field("total", r.warmupErrors());
        for (Counter counter : Counter.values()) {
            if (counter != Counter.SENT && counter != Counter.OK) {
                json.field(counter.id(), r.warmupCount(counter));
            }
        }
        json.close().close();
        json.field("failed_connections", r.failedConnections())
                .field("closed_after_accept", r.closedAfterAccept())
                .field("wrong_reply", r.wrongReply() == null ? null : r.wrongReply().render(settingNames))
                .field("msgs_per_s", r.msgsPerSecond())
                .field("mb_per_s", r.mbPerSecond());
        latency(json, "latency_us", r.latencyMicros());
        if (r.countBy() != null) {
            json.open("count_by").field("key", r.countBy().key()).open("values");
            for (Map.Entry<String, Long> e : r.countBy().counts().entrySet()) {
                json.field(e.getKey(), e.getValue());
            }
            json.close().field("absent", r.countBy().absent()).close();
        } else {
            json.field("count_by", (String) null);
        }
        connectsAndStart(json, r);
        json.field("stopped_early", r.stopped())
                .field("stop_reason", r.stopped() ? r.stopReason().id() : null)
                .field("exit_code", exitCode);
        json.open("histograms");
        for (Map.Entry<String, Histogram> h : r.histograms().entrySet()) {
            json.open(h.getKey()).field("unit", "ns").field("hdr", HistogramText.encode(h.getValue())).close();
        }
        json.close();
        return json.finish();
    }

    /**
     * The schema 2 keys of connection churn and the start time: {@code reuse}, {@code connect_rate},
     * {@code connections_opened}, {@code connect_us}, {@code tls_handshake_us}, {@code start_at}, {@code late_ms}.
     */
    private static void connectsAndStart(Json json, BenchResult r) {
        BenchConfig c = r.config();
        if (c.reuse() != null) {
            json.open("reuse").field("min", c.reuse().min()).field("max", c.reuse().max()).close();
        } else {
            json.field("reuse", (String) null);
        }
        json.numberOrNull("connect_rate", c.connectRate() > 0 ? c.connectRate() : null)
                .field("connections_opened", r.connects().opened());
        latency(json, "connect_us", r.connectMicros());
        latency(json, "tls_handshake_us", r.tlsHandshakeMicros());
        json.field("start_at", instant(c.startAt()))
                .numberOrNull("late_ms", r.lateMillis() == null ? null : (double) r.lateMillis());
    }

    private static void latency(Json json, String key, Optional<BenchResult.Latency> latency) {
        if (latency.isPresent()) {
            BenchResult.Latency l = latency.get();
            json.open(key).field("p50", l.p50()).field("p90", l.p90()).field("p99", l.p99())
                    .field("p999", l.p999()).field("max", l.max()).field("mean", l.mean()).close();
        } else {
            json.field(key, (String) null);
        }
    }

    /** ISO-8601 UTC to the millisecond, e.g. {@code 2026-11-25T23:13:30.521Z}; null for null. */
    private static String instant(Instant instant) {
        return instant == null ? null : DateTimeFormatter.ISO_INSTANT.format(instant.truncatedTo(ChronoUnit.MILLIS));
    }

    private static String number(double value) {
        if (value == Math.rint(value) && Math.abs(value) < 1e15) {
            return Long.toString((long) value);
        }
        return BigDecimal.valueOf(value).setScale(3, RoundingMode.HALF_UP).stripTrailingZeros().toPlainString();
    }

    /** A minimal writer of one JSON object, nested objects allowed, pretty-printed two spaces deep. */
    private static final class Json {

        private final StringBuilder out = new StringBuilder("{");
        private int depth = 1;
        private boolean first = true;

        private Json key(String name) {
            out.append(first ? "" : ",").append('\n').append("  ".repeat(depth));
            string(name);
            out.append(": ");
            first = false;
            return this;
        }

        Json field(String name, String value) {
            key(name);
            if (value == null) {
                out.append("null");
            } else {
                string(value);
            }
            return this;
        }

        Json field(String name, long value) {
            key(name).out.append(value);
            return this;
        }

        Json field(String name, boolean value) {
            key(name).out.append(value);
            return this;
        }

        Json field(String name, double value) {
            key(name).out.append(Double.isFinite(value) ? number(value) : "null");
            return this;
        }

        Json numberOrNull(String name, Double value) {
            return value == null ? field(name, (String) null) : field(name, value.doubleValue());
        }

        Json open(String name) {
            key(name).out.append('{');
            depth++;
            first = true;
            return this;
        }

        Json close() {
            depth--;
            out.append('\n').append("  ".repeat(depth)).append('}');
            first = false;
            return this;
        }

        String finish() {
            return out.append("\n}\n").toString();
        }

        private void string(String s) {
            InfoLine.quote(s, out); // a JSON string, quoted as the server quotes its JSON identity replies
        }
    }
}
