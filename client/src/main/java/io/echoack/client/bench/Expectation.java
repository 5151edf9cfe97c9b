package io.echoack.client.bench;

import static io.echoack.common.text.FieldMessage.field;

import io.echoack.client.net.AckTexts;
import io.echoack.common.endpoint.EndpointKind;
import io.echoack.common.text.FieldMessage;
import io.echoack.common.text.InvalidFieldException;
import java.nio.charset.StandardCharsets;
import java.util.Locale;
import java.util.Objects;

/**
 * What every reply in a bench run is checked against: the message itself ({@link Kind#ECHO}), an ack text
 * ({@link Kind#ACK}: the default ack of the endpoint kind; {@link Kind#TEXT}: any other text), an identity
 * reply ({@link Kind#INFO}: any reply that reads as one), or nothing ({@link Kind#ANY}: every reply counts).
 */
public final class Expectation {

    /** The four kinds of expectation. */
    public enum Kind {
        /** Any reply is correct. */
        ANY,
        /** The reply must be the message, byte for byte. */
        ECHO,
        /** The reply must be the default ack text of the endpoint kind. */
        ACK,
        /** The reply must be a given text. */
        TEXT,
        /** The reply must be an identity reply (reply mode info): {@code key=value} text or a JSON object. */
        INFO;

        /** Lower-case name, as in the JSON report. */
        public String id() {
            return name().toLowerCase(Locale.ROOT);
        }
    }

    private final Kind kind;
    private final byte[] text;

    private Expectation(Kind kind, byte[] text) {
        this.kind = kind;
        this.text = text;
    }

    /** Every reply counts. */
    public static Expectation any() {
        return new Expectation(Kind.ANY, null);
    }

    /** Replies must echo the message. */
    public static Expectation echo() {
        return new Expectation(Kind.ECHO, null);
    }

    /** Replies must be identity replies. */
    public static Expectation info() {
        return new Expectation(Kind.INFO, null);
    }

    /** Replies must be the default ack of {@code endpointKind} ("I got your message" or "Got your message"). */
    public static Expectation ack(EndpointKind endpointKind) {
        return new Expectation(Kind.ACK, AckTexts.defaultFor(endpointKind).getBytes(StandardCharsets.UTF_8));
    }

    /** Replies must be exactly {@code text} (UTF-8, without line terminator). */
    public static Expectation text(String text) {
        Objects.requireNonNull(text, "text");
        if (text.isEmpty()) {
            throw new InvalidFieldException(FieldMessage.of(field("expect"), " TEXT must not be empty"));
        }
        return new Expectation(Kind.TEXT, text.getBytes(StandardCharsets.UTF_8));
    }

    /**
     * Reads an expectation as the command line gives it: {@code echo}, {@code ack}, {@code info}, or any other
     * text.
     */
    public static Expectation parse(String spec, EndpointKind endpointKind) {
        return switch (spec) {
            case "echo" -> echo();
            case "ack" -> ack(endpointKind);
            case "info" -> info();
            default -> text(spec);
        };
    }

    public Kind kind() {
        return kind;
    }

    /** The expected reply text for {@link Kind#ACK} and {@link Kind#TEXT}; null otherwise. Do not modify. */
    byte[] textBytes() {
        return text;
    }

    /** For reports: {@code echo}, {@code any}, {@code ack "I got your message"}, {@code "TEXT"}. */
    public String describe() {
        return switch (kind) {
            case ANY, ECHO -> kind.id();
            case INFO -> "info (identity replies)";
            case ACK -> "ack \"" + new String(text, StandardCharsets.UTF_8) + "\"";
            case TEXT -> "\"" + new String(text, StandardCharsets.UTF_8) + "\"";
        };
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof Expectation other && kind == other.kind && java.util.Arrays.equals(text, other.text);
    }

    @Override
    public int hashCode() {
        return 31 * kind.hashCode() + java.util.Arrays.hashCode(text);
    }

    @Override
    public String toString() {
        return describe();
    }
}
