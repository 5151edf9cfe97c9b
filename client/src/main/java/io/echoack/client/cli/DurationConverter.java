package io.echoack.client.cli;

import java.math.BigDecimal;
import java.time.Duration;
import java.time.format.DateTimeParseException;
import java.util.Locale;
import picocli.CommandLine.ITypeConverter;
import picocli.CommandLine.TypeConversionException;

/**
 * Reads durations as people type them: {@code 500ms}, {@code 2s}, {@code 1.5s}, {@code 1m}, a bare number
 * of seconds ({@code 5}), or ISO-8601 ({@code PT2S}). Only positive durations are accepted.
 */
public final class DurationConverter implements ITypeConverter<Duration> {

    @Override
    public Duration convert(String value) {
        Duration d = parse(value.trim().toLowerCase(Locale.ROOT));
        if (d.isNegative() || d.isZero()) {
            throw new TypeConversionException("'" + value + "' is not a positive duration");
        }
        return d;
    }

    /** The same spellings, zero included ({@code 0}, {@code 0s}): for options where zero means "none". */
    public static final class NonNegative implements ITypeConverter<Duration> {

        @Override
        public Duration convert(String value) {
            Duration d = parse(value.trim().toLowerCase(Locale.ROOT));
            if (d.isNegative()) {
                throw new TypeConversionException("'" + value + "' is a negative duration");
            }
            return d;
        }
    }

    private static Duration parse(String text) {
        try {
            if (text.startsWith("pt") || text.startsWith("p")) {
                return Duration.parse(text.toUpperCase(Locale.ROOT));
            }
            if (text.endsWith("ms")) {
                return Duration.ofNanos(nanos(text.substring(0, text.length() - 2), 1_000_000L));
            }
            if (text.endsWith("s")) {
                return Duration.ofNanos(nanos(text.substring(0, text.length() - 1), 1_000_000_000L));
            }
            if (text.endsWith("m")) {
                return Duration.ofNanos(nanos(text.substring(0, text.length() - 1), 60_000_000_000L));
            }
            return Duration.ofNanos(nanos(text, 1_000_000_000L));
        } catch (NumberFormatException | ArithmeticException | DateTimeParseException e) {
            throw new TypeConversionException("'" + text + "' is not a duration (expected e.g. 500ms, 2s, 1.5s, 1m)");
        }
    }

    private static long nanos(String number, long unitNanos) {
        return new BigDecimal(number.trim()).multiply(BigDecimal.valueOf(unitNanos)).longValueExact();
    }
}
