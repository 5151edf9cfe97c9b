package io.echoack.client.merge;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.core.StreamWriteFeature;
import com.fasterxml.jackson.core.util.DefaultIndenter;
import com.fasterxml.jackson.core.util.DefaultPrettyPrinter;
import com.fasterxml.jackson.core.util.Separators;
import io.echoack.client.bench.BenchReport;
import io.echoack.client.bench.BenchResult;
import io.echoack.client.bench.Counter;
import io.echoack.client.bench.HistogramText;
import java.io.IOException;
import java.io.StringWriter;
import java.io.UncheckedIOException;
import java.math.BigDecimal;
import java.math.RoundingMode;
import java.time.Instant;
import java.time.format.DateTimeFormatter;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import org.HdrHistogram.Histogram;

/**
 * The ways a merged result is shown: a table for people (the bench table's columns for all clients together, the
 * union and overlap of their measured intervals, then one row per client) and a JSON document for machines, in the
 * shape of a bench result where one makes sense, plus {@code union_s}, {@code overlap_s} and {@code clients}.
 */
public final class MergeReport {

    private MergeReport() {
    }

    /** The table, several lines, each ending with a line separator. */
    public static String table(MergedRun m) {
        StringBuilder out = new StringBuilder();
        Map<String, Object> s = m.settings();
        line(out, "echoack merge: " + m.clients().size() + (m.clients().size() == 1 ? " run" : " runs")
                + " of " + setting(s, "kind") + (s.get("framing") == null ? "" : ", " + s.get("framing") + " framing")
                + ", expect " + setting(s, "expect") + "; " + m.connections() + " connections in all");
        line(out, "  " + setting(s, "size") + "-byte " + setting(s, "payload") + " payload, pipeline "
                + setting(s, "pipeline") + ", " + (s.get("rate") != null ? "open loop at " + setting(s, "rate")
                + " msgs/s per client" : m.clients().stream().allMatch(c -> c.input().setting("rate") == null)
                ? "closed loop" : "rates differ"));
        line(out, String.format(Locale.ROOT, "  measured %.3f s in all (union), %.3f s together (overlap, %.0f%%)",
                m.unionSeconds(), m.overlapSeconds(), 100 * m.overlapShare()));
        line(out, "");
        line(out, String.format(Locale.ROOT, "%12s %9s %12s %9s %10s %10s %10s %10s %10s", "messages", "errors",
                "msgs/s", "MB/s", "p50 us", "p90 us", "p99 us", "p99.9 us", "max us"));
        Optional<BenchResult.Latency> latency = MergedRun.micros(m.latency());
        line(out, String.format(Locale.ROOT, "%12d %9d %12.1f %9.3f %10s %10s %10s %10s %10s", m.messages(),
                m.errorsTotal(), m.msgsPerSecond(), m.mbPerSecond(), latency.map(l -> micros(l.p50())).orElse("-"),
                latency.map(l -> micros(l.p90())).orElse("-"), latency.map(l -> micros(l.p99())).orElse("-"),
                latency.map(l -> micros(l.p999())).orElse("-"), latency.map(l -> micros(l.max())).orElse("-")));
        line(out, "");
        for (Map.Entry<String, Histogram> h : m.histograms().entrySet()) {
            if (!h.getKey().equals(BenchResult.LATENCY)) {
                MergedRun.micros(h.getValue()).ifPresent(l -> line(out, String.format(Locale.ROOT,
                        "%s: %d recorded; p50 %s us, p90 %s us, p99 %s us, p99.9 %s us, max %s us", h.getKey(),
                        h.getValue().getTotalCount(), micros(l.p50()), micros(l.p90()), micros(l.p99()),
                        micros(l.p999()), micros(l.max()))));
            }
        }
        List<String> failures = new ArrayList<>();
        List<String> anomalies = new ArrayList<>();
        for (Map.Entry<String, Long> e : m.errors().entrySet()) {
            if (e.getValue() > 0) {
                (isFailure(e.getKey()) ? failures : anomalies).add(e.getKey() + " " + e.getValue());
            }
        }
        line(out, String.format(Locale.ROOT, "sent %d; errors: %s%s", m.sent(),
                failures.isEmpty() ? "none" : String.join(", ", failures),
                anomalies.isEmpty() ? "" : "; also " + String.join(", ", anomalies)));
        line(out, String.format(Locale.ROOT, "msgs/s: %.1f over the union of the measured intervals; the clients' own "
                + "rates add up to %.1f", m.msgsPerSecond(), m.sumOfClientRates()));
        if (!m.ranTogether()) {
            line(out, "warning: " + notTogether(m));
        }
        if (m.countBy() != null) {
            out.append(BenchReport.countByLines(m.countBy()));
            if (m.withoutCountBy() > 0) {
                line(out, "  (" + m.withoutCountBy() + (m.withoutCountBy() == 1 ? " input" : " inputs")
                        + " counted nothing by " + m.countBy().key() + ")");
            }
        }
        if (m.warmupErrorsTotal() > 0) {
            List<String> warmup = new ArrayList<>();
            m.warmupErrors().forEach((k, v) -> {
                if (v > 0 && isFailure(k)) {
                    warmup.add(k + " " + v);
                }
            });
            line(out, "warm-up errors (not in the numbers above): " + String.join(", ", warmup));
        }
        if (m.failedConnections() > 0) {
            line(out, m.failedConnections() + " of " + m.connections() + " connections failed");
        }
        if (m.closedAfterAccept() > 0) {
            line(out, "the server closed " + m.closedAfterAccept() + " connections right after accepting them, "
                    + "before any reply: most likely a limit on connections");
        }
        for (String difference : m.differences()) {
            line(out, "merged anyway (--force): " + difference);
        }
        line(out, "");
        clients(out, m);
        for (MergedRun.Client failed : m.failedInputs()) {
            BenchInput in = failed.input();
            line(out, "failed run: " + failed.name() + " (" + in.where() + ") exited " + in.exitCode()
                    + (in.stopReason() == null ? "" : ", stopped early: " + in.stopReason()));
        }
        return out.toString();
    }

    /** The sentence that says the clients did not run together, with the numbers. */
    public static String notTogether(MergedRun m) {
        return String.format(Locale.ROOT, "the clients did not run together: all of them measured at once for "
                + "%.3f s of the %.3f s any of them did (%.0f%%, under %.0f%%): the total rate is not one the "
                + "server served at once (start them with the same --start-at)", m.overlapSeconds(),
                m.unionSeconds(), 100 * m.overlapShare(), 100 * MergedRun.TOGETHER);
    }

    private static void clients(StringBuilder out, MergedRun m) {
        boolean late = m.clients().stream().anyMatch(c -> c.input().lateMs() != null);
        int width = Math.max(6, m.clients().stream().mapToInt(c -> c.name().length()).max().orElse(0));
        String header = String.format(Locale.ROOT, "%-" + width + "s %12s %12s %10s %10s %10s %9s", "client",
                "messages", "msgs/s", "p50 us", "p99 us", "max us", "errors") + (late ? String.format("%9s", "late ms")
                : "") + String.format("%5s", "exit");
        line(out, header);
        for (MergedRun.Client c : m.clients()) {
            BenchInput in = c.input();
            Optional<BenchResult.Latency> l = in.latencyMicros();
            line(out, String.format(Locale.ROOT, "%-" + width + "s %12d %12.1f %10s %10s %10s %9d", c.name(),
                    in.messages(), in.msgsPerSecond(), l.map(x -> micros(x.p50())).orElse("-"),
                    l.map(x -> micros(x.p99())).orElse("-"), l.map(x -> micros(x.max())).orElse("-"),
                    in.errorsTotal()) + (late ? String.format(Locale.ROOT, "%9s", in.lateMs() == null ? "-"
                    : in.lateMs().toString()) : "") + String.format(Locale.ROOT, "%5d", in.exitCode()));
        }
    }

    private static boolean isFailure(String id) {
        for (Counter c : Counter.values()) {
            if (c.id().equals(id)) {
                return c.isFailure();
            }
        }
        return true; // a counter this echoack does not know: better shown as a failure than hidden
    }

    private static String setting(Map<String, Object> settings, String key) {
        Object value = settings.get(key);
        if (value == null) {
            return "(differs)";
        }
        return value instanceof BigDecimal number ? number.stripTrailingZeros().toPlainString() : value.toString();
    }

    private static String micros(double value) {
        return String.format(Locale.ROOT, "%.1f", value);
    }

    private static void line(StringBuilder out, String text) {
        out.append(text).append(System.lineSeparator());
    }

    /** The merged JSON document, ending with a newline. */
    public static String json(MergedRun m, int exitCode) {
        StringWriter text = new StringWriter();
        try (JsonGenerator g = JsonFactory.builder().enable(StreamWriteFeature.WRITE_BIGDECIMAL_AS_PLAIN).build()
                .createGenerator(text)) {
            g.setPrettyPrinter(new DefaultPrettyPrinter(Separators.createDefaultInstance()
                    .withObjectFieldValueSpacing(Separators.Spacing.AFTER))
                    .withObjectIndenter(DefaultIndenter.SYSTEM_LINEFEED_INSTANCE.withLinefeed("\n"))
                    .withArrayIndenter(DefaultIndenter.SYSTEM_LINEFEED_INSTANCE.withLinefeed("\n")));
            g.writeStartObject();
            g.writeNumberField("schema", BenchReport.SCHEMA_VERSION);
            g.writeNumberField("inputs", m.clients().size());
            for (Map.Entry<String, Object> e : m.settings().entrySet()) {
                g.writeFieldName(e.getKey());
                value(g, e.getValue());
            }
            g.writeNumberField("connections", m.connections());
            if (m.connectionsOpened() != null) {
                g.writeNumberField("connections_opened", m.connectionsOpened());
            }
            g.writeStringField("measured_from", instant(m.measuredFrom()));
            g.writeStringField("measured_to", instant(m.measuredTo()));
            g.writeNumberField("duration_s", rounded(m.unionSeconds())); // so that it reads as a bench result
            g.writeNumberField("union_s", rounded(m.unionSeconds()));
            g.writeNumberField("overlap_s", rounded(m.overlapSeconds()));
            g.writeBooleanField("ran_together", m.ranTogether());
            g.writeNumberField("sent", m.sent());
            g.writeNumberField("messages", m.messages());
            g.writeObjectFieldStart("errors");
            g.writeNumberField("total", m.errorsTotal());
            for (Map.Entry<String, Long> e : m.errors().entrySet()) {
                g.writeNumberField(e.getKey(), e.getValue());
            }
            g.writeEndObject();
            g.writeObjectFieldStart("warmup");
            g.writeNumberField("sent", m.warmupSent());
            g.writeNumberField("messages", m.warmupMessages());
            g.writeObjectFieldStart("errors");
            g.writeNumberField("total", m.warmupErrorsTotal());
            for (Map.Entry<String, Long> e : m.warmupErrors().entrySet()) {
                g.writeNumberField(e.getKey(), e.getValue());
            }
            g.writeEndObject();
            g.writeEndObject();
            g.writeNumberField("failed_connections", m.failedConnections());
            g.writeNumberField("closed_after_accept", m.closedAfterAccept());
            g.writeNumberField("msgs_per_s", rounded(m.msgsPerSecond()));
            g.writeNumberField("msgs_per_s_sum", rounded(m.sumOfClientRates()));
            g.writeNumberField("mb_per_s", rounded(m.mbPerSecond()));
            for (Map.Entry<String, Histogram> h : m.histograms().entrySet()) {
                g.writeFieldName(h.getKey() + "_us");
                latency(g, MergedRun.micros(h.getValue()), true);
            }
            if (m.countBy() != null) {
                g.writeObjectFieldStart("count_by");
                g.writeStringField("key", m.countBy().key());
                g.writeObjectFieldStart("values");
                for (Map.Entry<String, Long> e : m.countBy().counts().entrySet()) {
                    g.writeNumberField(e.getKey(), e.getValue());
                }
                g.writeEndObject();
                g.writeNumberField("absent", m.countBy().absent());
                g.writeEndObject();
            } else {
                g.writeNullField("count_by");
            }
            g.writeArrayFieldStart("differences");
            for (String difference : m.differences()) {
                g.writeString(difference);
            }
            g.writeEndArray();
            g.writeNumberField("exit_code", exitCode);
            g.writeArrayFieldStart("clients");
            for (MergedRun.Client c : m.clients()) {
                BenchInput in = c.input();
                g.writeStartObject();
                g.writeStringField("name", c.name());
                g.writeStringField("source", in.where());
                g.writeStringField("label", in.label());
                g.writeStringField("host", in.host());
                g.writeStringField("endpoint", in.endpoint());
                g.writeStringField("measured_from", instant(in.measuredFrom()));
                g.writeStringField("measured_to", instant(in.measuredTo()));
                g.writeNumberField("duration_s", rounded(in.durationSeconds()));
                g.writeNumberField("sent", in.sent());
                g.writeNumberField("messages", in.messages());
                g.writeNumberField("errors", in.errorsTotal());
                g.writeNumberField("msgs_per_s", rounded(in.msgsPerSecond()));
                g.writeFieldName("latency_us");
                latency(g, in.latencyMicros(), false);
                if (in.lateMs() == null) {
                    g.writeNullField("late_ms");
                } else {
                    g.writeNumberField("late_ms", in.lateMs());
                }
                g.writeNumberField("exit_code", in.exitCode());
                g.writeEndObject();
            }
            g.writeEndArray();
            g.writeObjectFieldStart("histograms");
            for (Map.Entry<String, Histogram> h : m.histograms().entrySet()) {
                g.writeObjectFieldStart(h.getKey());
                g.writeStringField("unit", "ns");
                g.writeStringField("hdr", HistogramText.encode(h.getValue()));
                g.writeEndObject();
            }
            g.writeEndObject();
            g.writeEndObject();
        } catch (IOException e) {
            throw new UncheckedIOException(e); // a StringWriter does not fail
        }
        return text.append('\n').toString();
    }

    private static void latency(JsonGenerator g, Optional<BenchResult.Latency> latency, boolean all)
            throws IOException {
        if (latency.isEmpty()) {
            g.writeNull();
            return;
        }
        BenchResult.Latency l = latency.get();
        g.writeStartObject();
        g.writeNumberField("p50", rounded(l.p50()));
        if (all) {
            g.writeNumberField("p90", rounded(l.p90()));
        }
        g.writeNumberField("p99", rounded(l.p99()));
        if (all) {
            g.writeNumberField("p999", rounded(l.p999()));
        }
        g.writeNumberField("max", rounded(l.max()));
        if (all) {
            g.writeNumberField("mean", rounded(l.mean()));
        }
        g.writeEndObject();
    }

    /** As bench writes its numbers: at most 3 decimals. */
    private static BigDecimal rounded(double value) {
        return BigDecimal.valueOf(value).setScale(3, RoundingMode.HALF_UP).stripTrailingZeros();
    }

    private static void value(JsonGenerator g, Object value) throws IOException {
        if (value == null) {
            g.writeNull();
        } else if (value instanceof BigDecimal number) {
            g.writeNumber(number);
        } else if (value instanceof Boolean b) {
            g.writeBoolean(b);
        } else if (value instanceof Map<?, ?> map) {
            g.writeStartObject();
            for (Map.Entry<?, ?> e : map.entrySet()) {
                g.writeFieldName(e.getKey().toString());
                value(g, e.getValue());
            }
            g.writeEndObject();
        } else if (value instanceof List<?> list) {
            g.writeStartArray();
            for (Object item : list) {
                value(g, item);
            }
            g.writeEndArray();
        } else {
            g.writeString(value.toString());
        }
    }

    private static String instant(Instant instant) {
        return instant == null ? null : DateTimeFormatter.ISO_INSTANT.format(instant.truncatedTo(ChronoUnit.MILLIS));
    }
}
