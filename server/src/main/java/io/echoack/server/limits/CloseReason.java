package io.echoack.server.limits;

import java.util.Locale;

/**
 * Why the server refused or cut a stream connection on its own initiative. Each reason has a stable
 * snake_case {@link #label()} for metrics and logs, e.g. {@code echoack_connections_closed_total{reason=...}}.
 */
public enum CloseReason {
    /** Accepted and closed at once: the server already had {@code --max-connections} open. */
    MAX_CONNECTIONS,
    /** Accepted and closed at once: the peer's address already had {@code --max-connections-per-ip} open. */
    MAX_CONNECTIONS_PER_IP,
    /** Accepted and closed at once: the peer's address is outside every {@code --allow} range. */
    NOT_ALLOWED,
    /** Closed after {@code --idle-timeout} without a byte from the peer and without reply progress. */
    IDLE_TIMEOUT,
    /** Closed because a started message stayed incomplete for {@code --frame-timeout} (slowloris). */
    FRAME_TIMEOUT,
    /**
     * A {@code tls://} connection whose TLS handshake failed: not TLS at all (plaintext), a client that
     * rejected the server's certificate, a missing or untrusted client certificate under mutual TLS.
     */
    TLS_HANDSHAKE_FAILED,
    /** A {@code tls://} connection that did not complete its handshake within {@code --tls-handshake-timeout}. */
    TLS_HANDSHAKE_TIMEOUT,
    /**
     * A PROXY protocol header (or, on a listener that requires one, any connection) from a peer outside
     * {@code --trusted-proxy}: a client cannot claim to be someone else.
     */
    PROXY_UNTRUSTED,
    /** A PROXY protocol header that does not parse, or of a version the listener does not take. */
    PROXY_INVALID,
    /** A connection whose first bytes are not a PROXY protocol header, on a listener that requires one. */
    PROXY_MISSING,
    /** A PROXY protocol header not complete within {@code --proxy-header-timeout} of the connection. */
    PROXY_TIMEOUT,
    /** Reset (RST) on purpose: the listener's {@code reset=} or {@code reset-after=} fault. */
    FAULT_RESET,
    /** Closed (FIN) on purpose: the listener's {@code close=} or {@code close-after=} fault. */
    FAULT_CLOSE;

    private final String label = name().toLowerCase(Locale.ROOT);

    /** The metric label: {@code max_connections}, {@code max_connections_per_ip}, {@code not_allowed}, ... */
    public String label() {
        return label;
    }
}
