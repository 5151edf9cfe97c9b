package io.echoack.client.net;

import java.math.BigDecimal;
import java.time.Duration;

/** Short human spellings of durations ({@code 2s}, {@code 500ms}, {@code 1.5s}) for messages and help. */
public final class Durations {

    private Durations() {
    }

    /** Formats {@code d} as the CLI spells it: whole milliseconds below a second, else seconds. */
    public static String format(Duration d) {
        long millis = d.toMillis();
        if (millis < 1000) {
            return millis == 0 && !d.isZero() ? d.toNanos() / 1000 + "us" : millis + "ms";
        }
        return BigDecimal.valueOf(millis, 3).stripTrailingZeros().toPlainString() + "s";
    }
}
