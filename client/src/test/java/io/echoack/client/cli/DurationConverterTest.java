package io.echoack.client.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.time.Duration;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import picocli.CommandLine.TypeConversionException;

@Timeout(10)
class DurationConverterTest {

    private final DurationConverter converter = new DurationConverter();

    @Test
    void readsTheSpellingsPeopleType() {
        assertEquals(Duration.ofMillis(500), converter.convert("500ms"));
        assertEquals(Duration.ofSeconds(2), converter.convert("2s"));
        assertEquals(Duration.ofMillis(1500), converter.convert("1.5s"));
        assertEquals(Duration.ofMinutes(1), converter.convert("1m"));
        assertEquals(Duration.ofSeconds(5), converter.convert("5"));
        assertEquals(Duration.ofSeconds(3), converter.convert("PT3S"));
        assertEquals(Duration.ofSeconds(2), converter.convert(" 2S "));
    }

    @Test
    void rejectsNonsenseAndNonPositiveDurations() {
        assertThrows(TypeConversionException.class, () -> converter.convert("soon"));
        assertThrows(TypeConversionException.class, () -> converter.convert("0s"));
        assertThrows(TypeConversionException.class, () -> converter.convert("-1s"));
        assertThrows(TypeConversionException.class, () -> converter.convert("1h"));
    }

    @Test
    void theNonNegativeVariantAcceptsZero() {
        DurationConverter.NonNegative warmup = new DurationConverter.NonNegative();
        assertEquals(Duration.ZERO, warmup.convert("0"));
        assertEquals(Duration.ZERO, warmup.convert("0ms"));
        assertEquals(Duration.ofMillis(250), warmup.convert("250ms"));
        assertThrows(TypeConversionException.class, () -> warmup.convert("-1s"));
        assertThrows(TypeConversionException.class, () -> warmup.convert("never"));
    }
}
