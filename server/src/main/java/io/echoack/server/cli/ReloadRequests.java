package io.echoack.server.cli;

import java.util.concurrent.atomic.AtomicReference;

/**
 * Requests to read the configuration again (SIGHUP). The signal's thread only passes the request on, to the
 * command's own thread, which reads the file and applies it: nothing is read or built on the signal's thread,
 * nor on an event loop. A request made before the server runs is ignored: the configuration is read then anyway.
 */
public final class ReloadRequests {

    private final AtomicReference<Runnable> handler = new AtomicReference<>(() -> { });

    /** Asks for a reload; returns at once, from any thread. */
    public void request() {
        handler.get().run();
    }

    /** From now on, {@code handler} (which must return at once) is told of each request. */
    void onRequest(Runnable handler) {
        this.handler.set(handler);
    }
}
