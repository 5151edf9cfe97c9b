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
    TLS_HANDSHAKE_TIMEOUT;

    private final String label = name().toLowerCase(Locale.ROOT);

    /** The metric label: {@code max_connections}, {@code max_connections_per_ip}, {@code not_allowed}, ... */
    public String label() {
        return label;
    }
}
