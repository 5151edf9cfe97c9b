package io.echoack.client.cli;

import io.echoack.client.net.ClientOptions;
import java.time.Duration;
import picocli.CommandLine.ITypeConverter;
import picocli.CommandLine.TypeConversionException;

/**
 * Reads a TCP keepalive time ({@code --keepalive}): a duration as {@link DurationConverter} reads it ({@code 60s},
 * {@code 5m}), that is whole seconds, since the kernel counts keepalive time in seconds, from 1 s to
 * {@value ClientOptions#MAX_KEEPALIVE_SECONDS} s, the most Linux takes.
 */
public final class WholeSecondsConverter implements ITypeConverter<Duration> {

    @Override
    public Duration convert(String value) {
        Duration d = DurationConverter.NonNegative.parse(value);
        if (d.getSeconds() < 1) {
            throw new TypeConversionException("'" + value + "' is less than 1s; TCP keepalive counts whole seconds");
        }
        if (d.getNano() != 0) {
            throw new TypeConversionException("'" + value + "' is not a whole number of seconds; TCP keepalive "
                    + "counts whole seconds");
        }
        if (d.getSeconds() > ClientOptions.MAX_KEEPALIVE_SECONDS) {
            throw new TypeConversionException("'" + value + "' is more than " + ClientOptions.MAX_KEEPALIVE_SECONDS
                    + "s, the longest TCP keepalive time");
        }
        return d;
    }
}
