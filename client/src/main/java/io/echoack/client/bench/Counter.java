package io.echoack.client.bench;

import io.echoack.client.net.FailureKind;
import java.util.Locale;

/**
 * What a bench run counts. {@link #SENT} and {@link #OK} count messages; the failures ({@link #isFailure()})
 * count messages that got no correct reply, plus connections that failed with no message in flight; the
 * anomalies {@link #REORDERED}, {@link #DUPLICATE} and {@link #LATE} count datagram replies that arrived
 * out of order, twice, or after their message had been declared lost. They are reported, never hidden, but
 * do not fail a run: the network may reorder and duplicate datagrams.
 */
public enum Counter {
    /** Messages sent (for connect-per-message: connection attempts started). */
    SENT,
    /** Messages answered with the expected reply; these are the latency histogram's values. */
    OK,
    /** Stream messages without reply within the timeout (and connect attempts that timed out). */
    TIMEOUT,
    /** Connections refused; datagrams answered with ICMP port unreachable. */
    REFUSED,
    /**
     * Messages in flight on a connection the server reset: an RST (on a Unix socket, a close with data unread),
     * seen as "connection reset" (or "broken pipe") on a read or write.
     */
    RESET,
    /**
     * Messages in flight on a connection the server closed cleanly: a FIN, seen as end of stream. Its failure
     * kind (and exit code) is {@link FailureKind#RESET}'s, which covers both ways a server ends a connection;
     * the counters keep them apart because they mean different things (a deliberate close, a drain, an idle
     * timeout, a limit; or an abort, a crash, a connection reset on purpose).
     */
    CLOSED,
    /** The host name did not resolve (one per connection). */
    RESOLVE,
    /** TLS handshake failures. */
    TLS,
    /** Replies that were not the expected ones (or malformed, too long, unsolicited). */
    MISMATCH,
    /** Datagrams without reply within the timeout, or by the end of the run. */
    LOST,
    /** Any other failure. */
    OTHER,
    /** Datagram replies that arrived after the reply to a datagram sent later. */
    REORDERED,
    /** Datagram replies to a message already answered (or too old to tell). */
    DUPLICATE,
    /** Datagram replies to a message already counted as lost. */
    LATE;

    /** Lower-case name, as in the JSON report. */
    public String id() {
        return name().toLowerCase(Locale.ROOT);
    }

    /** True for the counters that mean a failed message (or connection). */
    public boolean isFailure() {
        return failureKind() != null;
    }

    /** The failure kind (and so exit code) of this counter: lost datagrams are timeouts; null if not a failure. */
    public FailureKind failureKind() {
        return switch (this) {
            case TIMEOUT, LOST -> FailureKind.TIMEOUT;
            case REFUSED -> FailureKind.REFUSED;
            case RESET, CLOSED -> FailureKind.RESET;
            case RESOLVE -> FailureKind.RESOLVE;
            case TLS -> FailureKind.TLS;
            case MISMATCH -> FailureKind.WRONG_REPLY;
            case OTHER -> FailureKind.OTHER;
            case SENT, OK, REORDERED, DUPLICATE, LATE -> null;
        };
    }

    /**
     * The counter for a failure of {@code kind} on a stream or connection; an exception's {@code RESET} is an
     * RST, since a clean close (FIN) raises none.
     */
    static Counter of(FailureKind kind) {
        return switch (kind) {
            case TIMEOUT -> TIMEOUT;
            case REFUSED -> REFUSED;
            case RESET -> RESET;
            case RESOLVE -> RESOLVE;
            case TLS -> TLS;
            case WRONG_REPLY -> MISMATCH;
            case OTHER -> OTHER;
        };
    }
}
