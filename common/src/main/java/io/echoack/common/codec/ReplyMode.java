package io.echoack.common.codec;

import io.echoack.common.text.NamedValues;
import java.util.Locale;

/**
 * What the server sends back for each message it receives.
 *
 * <p>{@link #ACK} is the sockets tutorial's behaviour and the default: every message is answered with a
 * fixed acknowledgement text. {@link #ECHO} answers with the very bytes received (RFC 862). {@link #INFO}
 * answers with what the server saw of the connection (its identity, the addresses, PROXY and TLS details), for
 * seeing what a load balancer or mesh did to it; its reply is written in an {@link InfoFormat}.
 */
public enum ReplyMode {
    /** Answer each message with the acknowledgement text. */
    ACK,
    /** Answer each message with the same bytes. */
    ECHO,
    /** Answer each message with a description of the connection as the server sees it. */
    INFO;

    /** The framing a stream endpoint uses when none is configured: raw bytes for echo, lines otherwise. */
    public Framing defaultFraming() {
        return this == ECHO ? Framing.RAW : Framing.LINE;
    }

    /** The lower-case name used on the command line and in endpoint query strings. */
    public String id() {
        return name().toLowerCase(Locale.ROOT);
    }

    /**
     * Parses {@code ack}, {@code echo} or {@code info} (any case).
     *
     * @throws IllegalArgumentException naming the accepted values
     */
    public static ReplyMode parse(String text) {
        return NamedValues.parse("mode", text, values(), ReplyMode::id);
    }

    @Override
    public String toString() {
        return id();
    }
}
