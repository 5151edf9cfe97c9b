package io.echoack.common.codec;

import io.echoack.common.text.NamedValues;
import java.util.Locale;

/**
 * How an {@link ReplyMode#INFO} reply is written: one line of {@code key=value} pairs ({@link #TEXT}, for people
 * and {@code grep}) or one JSON object ({@link #JSON}, for programs). An endpoint picks one with
 * {@code ?format=}; without it, {@link #defaultFor} picks the one that suits the endpoint's framing.
 */
public enum InfoFormat {
    /** {@code key=value} pairs separated by single spaces, values quoted where needed. */
    TEXT,
    /** One flat JSON object on one line, with the same keys in the same order. */
    JSON;

    /** The lower-case name used in endpoint query strings. */
    public String id() {
        return name().toLowerCase(Locale.ROOT);
    }

    /**
     * The format of an endpoint that names none: text on line and raw framing (a terminal's and netcat's
     * ways of talking), JSON on length framing and on datagrams (a program's).
     *
     * @param framing the stream framing, or null for a datagram endpoint
     */
    public static InfoFormat defaultFor(Framing framing) {
        return framing == Framing.LINE || framing == Framing.RAW ? TEXT : JSON;
    }

    /**
     * Parses {@code text} or {@code json} (any case).
     *
     * @throws IllegalArgumentException naming the accepted values
     */
    public static InfoFormat parse(String text) {
        return NamedValues.parse("format", text, values(), InfoFormat::id);
    }

    @Override
    public String toString() {
        return id();
    }
}
