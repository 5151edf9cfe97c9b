package io.echoack.server;

import io.echoack.common.endpoint.Endpoint;
import io.echoack.common.tls.TlsProviderSelection;
import io.echoack.common.transport.TransportSelection;
import io.echoack.server.config.AdminEndpoint;
import io.echoack.server.config.ServerConfig;
import io.echoack.server.metrics.ServerMetrics;
import io.echoack.server.reload.ReloadReport;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;

/**
 * A started server. Closing it drains: it turns not-ready, keeps serving for the configured drain delay (zero
 * by default), then stops accepting, lets every connection take the replies it is owed (within the configured
 * drain timeout), removes its Unix socket files and shuts its event loops down.
 */
public interface RunningServer extends AutoCloseable {

    /** The endpoints being served, in configuration order, with ports the OS picked filled in. */
    List<Endpoint> boundEndpoints();

    /** The transport in use and why it was chosen. */
    TransportSelection transport();

    /** The TLS provider of the {@code tls://} listeners and why it was chosen; empty when there are none. */
    Optional<TlsProviderSelection> tlsProvider();

    /** Where the admin HTTP endpoint listens, with the port the OS picked filled in; empty when off. */
    Optional<AdminEndpoint> adminEndpoint();

    /** Connections open right now, on all stream listeners. */
    int openConnections();

    /**
     * True from the moment every listener is bound (plus the configured start delay) until shutdown begins,
     * unless held not ready by hand ({@code POST /unready} on the admin endpoint): what {@code /readyz} says.
     */
    boolean isReady();

    /**
     * Turns not-ready and makes {@link #close()} drain at once, without waiting out what is left of the
     * configured drain delay (a second SIGTERM). A close under way stops waiting; the drain itself still gets
     * its drain timeout.
     */
    void drainNow();

    /** The server's metrics, as {@code /metrics} shows them. */
    ServerMetrics metrics();

    /**
     * Applies what {@code next} changes that needs no rebinding (the TLS certificate and key, read again from their
     * files even when their paths are the same) and refuses the rest, which keeps running as it was. Call it from
     * one thread at a time, never from an event loop (it reads files).
     */
    ReloadReport reload(ServerConfig next);

    /** Completes when the server has fully closed. */
    CompletableFuture<Void> closeFuture();

    /** Closes the server and waits until it is closed. Idempotent; safe from any thread but an event loop. */
    @Override
    void close();
}
