package io.echoack.common.text;

import java.math.BigDecimal;
import java.time.Duration;
import java.time.format.DateTimeParseException;
import java.util.Locale;

/**
 * Durations as people type them on a command line or in an environment variable: {@code 500ms},
 * {@code 2s}, {@code 1.5s}, {@code 1m}, a bare number of seconds ({@code 5}) or ISO-8601 ({@code PT2S});
 * and the same short spelling back for messages.
 */
public final class Durations {

    private Durations() {
    }

    /**
     * Parses a duration (zero and positive only).
     *
     * @throws IllegalArgumentException quoting the text and the accepted forms
     */
    public static Duration parse(String text) {
        String t = text.trim().toLowerCase(Locale.ROOT);
        Duration d;
        try {
            if (t.startsWith("p")) {
                d = Duration.parse(t.toUpperCase(Locale.ROOT));
            } else if (t.endsWith("ms")) {
                d = Duration.ofNanos(nanos(t.substring(0, t.length() - 2), 1_000_000L));
            } else if (t.endsWith("s")) {
                d = Duration.ofNanos(nanos(t.substring(0, t.length() - 1), 1_000_000_000L));
            } else if (t.endsWith("m")) {
                d = Duration.ofNanos(nanos(t.substring(0, t.length() - 1), 60_000_000_000L));
            } else {
                d = Duration.ofNanos(nanos(t, 1_000_000_000L));
            }
        } catch (NumberFormatException | ArithmeticException | DateTimeParseException e) {
            throw new IllegalArgumentException("'" + text + "' is not a duration (expected e.g. 500ms, 2s, 1.5s, 1m)");
        }
        if (d.isNegative()) {
            throw new IllegalArgumentException("'" + text + "' is a negative duration");
        }
        return d;
    }

    /** Formats {@code d} the way {@link #parse} reads it: milliseconds below a second, else seconds. */
    public static String format(Duration d) {
        long millis = d.toMillis();
        if (millis < 1000) {
            return millis == 0 && !d.isZero() ? d.toNanos() / 1000 + "us" : millis + "ms";
        }
        return BigDecimal.valueOf(millis, 3).stripTrailingZeros().toPlainString() + "s";
    }

    private static long nanos(String number, long unitNanos) {
        return new BigDecimal(number.trim()).multiply(BigDecimal.valueOf(unitNanos)).longValueExact();
    }
}
