package io.echoack.client.cli;

import io.echoack.common.text.Durations;
import java.time.Duration;
import picocli.CommandLine.ITypeConverter;
import picocli.CommandLine.TypeConversionException;

/**
 * Reads durations as people type them ({@code 500ms}, {@code 2s}, {@code 1.5s}, {@code 1m}, a bare number of
 * seconds, ISO-8601 {@code PT2S}), with the one parser both commands share. Only positive durations.
 */
public final class DurationConverter implements ITypeConverter<Duration> {

    @Override
    public Duration convert(String value) {
        Duration d = NonNegative.parse(value);
        if (d.isZero()) {
            throw new TypeConversionException("'" + value + "' is not a positive duration");
        }
        return d;
    }

    /** The same spellings, zero included ({@code 0}, {@code 0s}): for options where zero means "none". */
    public static final class NonNegative implements ITypeConverter<Duration> {

        @Override
        public Duration convert(String value) {
            return parse(value);
        }

        static Duration parse(String value) {
            try {
                return Durations.parse(value);
            } catch (IllegalArgumentException e) {
                throw new TypeConversionException(e.getMessage());
            }
        }
    }
}
