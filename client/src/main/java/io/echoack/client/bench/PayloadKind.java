package io.echoack.client.bench;

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
        for (PayloadKind kind : values()) {
            if (kind.id().equalsIgnoreCase(text.trim())) {
                return kind;
            }
        }
        throw new IllegalArgumentException("unknown payload '" + text + "' (expected pattern or random)");
    }
}
