package io.echoack.server.connectionlog;

import io.echoack.server.limits.CloseReason;
import java.util.Locale;

/**
 * How a connection ended, where the server did not close it for a {@link CloseReason} of its own (those are
 * logged by their {@link CloseReason#label()}: {@code idle_timeout}, {@code max_connections_per_ip}, ...).
 * Each has a stable snake_case {@link #label()}, the connection log's {@code end} value.
 */
public enum ConnectionEnd {
    /** The client closed its side (TCP FIN, or a TLS {@code close_notify}); its replies were sent first. */
    CLIENT_FIN,
    /**
     * The connection broke from the client's side: a reset ({@code Connection reset by peer}), or a write that
     * found the client gone ({@code Broken pipe}).
     */
    CLIENT_RESET,
    /** A TLS error after the handshake: a corrupt record, or a fatal alert from the client. */
    TLS_ERROR,
    /** A length-prefixed message longer than {@code --max-frame}: its replies so far sent, then closed. */
    FRAME_TOO_LONG,
    /** The server was shutting down ({@code SIGTERM}): the connection took its replies and was closed. */
    DRAIN,
    /** An unexpected error in the server (logged at WARN). */
    SERVER_ERROR;

    private final String label = name().toLowerCase(Locale.ROOT);

    /** The {@code end} value: {@code client_fin}, {@code client_reset}, ... */
    public String label() {
        return label;
    }
}
