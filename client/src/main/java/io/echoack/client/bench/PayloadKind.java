package io.echoack.client.bench;

import io.echoack.common.text.NamedValues;
import java.util.Locale;

/** What the bytes of a bench message are. */
public enum PayloadKind {
    /** A fixed, printable pattern ({@code ABC...xyz0123456789ABC...}). */
    PATTERN,
    /** Random bytes, drawn once per run (printable ones with line framing, which cannot carry a newline). */
    RANDOM;

    public String id() {
        return name().toLowerCase(Locale.ROOT);
    }

    /** Parses {@code pattern} or {@code random} (any case). */
    public static PayloadKind parse(String text) {
        return NamedValues.parse("payload", text, values(), PayloadKind::id);
    }
}
