package io.echoack.server;

import io.echoack.common.endpoint.Endpoint;
import io.echoack.common.transport.TransportSelection;
import java.util.List;
import java.util.concurrent.CompletableFuture;

/**
 * A started server. Closing it stops accepting, closes every connection after flushing replies already
 * written, removes its Unix socket files and shuts its event loops down.
 */
public interface RunningServer extends AutoCloseable {

    /** The endpoints being served, in configuration order, with ports the OS picked filled in. */
    List<Endpoint> boundEndpoints();

    /** The transport in use and why it was chosen. */
    TransportSelection transport();

    /** Connections open right now, on all stream listeners. */
    int openConnections();

    /** Completes when the server has fully closed. */
    CompletableFuture<Void> closeFuture();

    /** Closes the server and waits until it is closed. Idempotent; safe from any thread but an event loop. */
    @Override
    void close();
}
