package io.echoack.common.fault;

import java.util.Arrays;
import java.util.stream.Collectors;

/**
 * Every fault a listener can inject, by the key written in an endpoint's query ({@code ?delay=20ms&reset=1%}),
 * in an admin request or in a config file: the one list of names, what kind of value each takes and which
 * transports it applies to. A value of {@code 0} is exactly off for every key.
 */
public enum FaultKey {
    /** Each reply is held this long (streams: order kept). */
    DELAY("delay", Applies.BOTH, ValueType.DURATION),
    /** Each reply's delay varies by up to this much either way (never below zero). */
    JITTER("jitter", Applies.BOTH, ValueType.DURATION),
    /** A connection's replies leave no faster than this many bytes per second. */
    BANDWIDTH("bandwidth", Applies.STREAM, ValueType.RATE),
    /** Each reply goes out in writes of at most this many bytes. */
    SLICE("slice", Applies.STREAM, ValueType.BYTES),
    /** The pause between two writes of a sliced reply (needs {@link #SLICE}). */
    SLICE_DELAY("slice-delay", Applies.STREAM, ValueType.DURATION),
    /** Per message: instead of the reply, the connection is reset (RST). */
    RESET("reset", Applies.STREAM, ValueType.PERCENT),
    /** Per message: instead of the reply, the connection is closed (FIN). */
    CLOSE("close", Applies.STREAM, ValueType.PERCENT),
    /** After this many reply bytes, the connection is closed (FIN). */
    CLOSE_AFTER("close-after", Applies.STREAM, ValueType.BYTES),
    /** After this many reply bytes, the connection is reset (RST). */
    RESET_AFTER("reset-after", Applies.STREAM, ValueType.BYTES),
    /** Per message: from this message on, read and discard, never answer, keep the connection open. */
    BLACKHOLE("blackhole", Applies.STREAM, ValueType.PERCENT),
    /** A new connection is read from only after this long. */
    ACCEPT_DELAY("accept-delay", Applies.STREAM, ValueType.DURATION),
    /** A connection the server closes is closed only after this long. */
    SLOW_CLOSE("slow-close", Applies.STREAM, ValueType.DURATION),
    /** Per datagram: no reply. */
    DROP("drop", Applies.DATAGRAM, ValueType.PERCENT),
    /** Per datagram: the reply is sent twice. */
    DUPLICATE("duplicate", Applies.DATAGRAM, ValueType.PERCENT),
    /** Per datagram: the reply is held back and sent after the next one. */
    REORDER("reorder", Applies.DATAGRAM, ValueType.PERCENT),
    /** Per datagram: one byte of the reply is flipped. */
    CORRUPT("corrupt", Applies.DATAGRAM, ValueType.PERCENT);

    /** Which transports a fault applies to. */
    public enum Applies {
        /** Stream endpoints (tcp, tls, unix) only. */
        STREAM,
        /** Datagram endpoints (udp, unixgram) only. */
        DATAGRAM,
        /** Every endpoint. */
        BOTH;

        boolean to(boolean stream) {
            return this == BOTH || (this == STREAM) == stream;
        }
    }

    /** How a fault's value is written. */
    public enum ValueType {
        /** {@code 20ms}, {@code 1.5s} ({@link io.echoack.common.text.Durations}). */
        DURATION,
        /** {@code 1%}, {@code 0.5%}, {@code 0}. */
        PERCENT,
        /** {@code 1400}, {@code 64KiB}, {@code 1MB}. */
        BYTES,
        /** {@code 64KiB/s}, {@code 1MB/s}. */
        RATE
    }

    private final String id;
    private final Applies applies;
    private final ValueType type;

    FaultKey(String id, Applies applies, ValueType type) {
        this.id = id;
        this.applies = applies;
        this.type = type;
    }

    /** The key as written, e.g. {@code slice-delay}. */
    public String id() {
        return id;
    }

    /** The transports this fault applies to. */
    public Applies applies() {
        return applies;
    }

    /** How its value is written. */
    public ValueType type() {
        return type;
    }

    /** True when the fault applies to a stream endpoint ({@code stream}) or a datagram endpoint. */
    public boolean appliesTo(boolean stream) {
        return applies.to(stream);
    }

    /** The key written {@code id}, or null when no fault has that name. */
    public static FaultKey forId(String id) {
        for (FaultKey k : values()) {
            if (k.id.equals(id)) {
                return k;
            }
        }
        return null;
    }

    /** Every key, comma separated, for messages. */
    public static String allIds() {
        return Arrays.stream(values()).map(FaultKey::id).collect(Collectors.joining(", "));
    }
}
