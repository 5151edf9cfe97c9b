package io.echoack.common.codec;

import java.util.Locale;

/**
 * What the server sends back for each message it receives.
 *
 * <p>{@link #ACK} is the sockets tutorial's behaviour and the default: every message is answered with a
 * fixed acknowledgement text. {@link #ECHO} answers with the very bytes received (RFC 862).
 */
public enum ReplyMode {
    /** Answer each message with the acknowledgement text. */
    ACK,
    /** Answer each message with the same bytes. */
    ECHO;

    /** The framing a stream endpoint uses when none is configured: lines for ack, raw bytes for echo. */
    public Framing defaultFraming() {
        return this == ACK ? Framing.LINE : Framing.RAW;
    }

    /** The lower-case name used on the command line and in endpoint query strings. */
    public String id() {
        return name().toLowerCase(Locale.ROOT);
    }

    /**
     * Parses {@code ack} or {@code echo} (any case).
     *
     * @throws IllegalArgumentException naming the accepted values
     */
    public static ReplyMode parse(String text) {
        for (ReplyMode mode : values()) {
            if (mode.id().equalsIgnoreCase(text.trim())) {
                return mode;
            }
        }
        throw new IllegalArgumentException("unknown mode '" + text + "' (expected ack or echo)");
    }

    @Override
    public String toString() {
        return id();
    }
}
