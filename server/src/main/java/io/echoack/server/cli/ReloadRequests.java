package io.echoack.server.cli;

/**
 * Requests to read the configuration again (SIGHUP). The signal's thread only passes the request on, to the
 * command's own thread, which reads the file and applies it: nothing is read or built on the signal's thread,
 * nor on an event loop. A request made while the server is starting (its listeners may already be bound and
 * logged) is kept and passed on once it runs, so that a SIGHUP sent as soon as a listener answers is never lost;
 * one made after the server stopped is ignored.
 */
public final class ReloadRequests {

    private Runnable handler; // null: the server is not running yet
    private boolean pending;  // a request made before it ran

    /** Asks for a reload; returns at once, from any thread. */
    public void request() {
        Runnable now;
        synchronized (this) {
            now = handler;
            if (now == null) {
                pending = true;
                return;
            }
        }
        now.run();
    }

    /**
     * From now on, {@code handler} (which must return at once) is told of each request; a request made before the
     * first handler was set is told to it at once (once, however many there were).
     */
    void onRequest(Runnable handler) {
        boolean replay;
        synchronized (this) {
            this.handler = java.util.Objects.requireNonNull(handler, "handler");
            replay = pending;
            pending = false;
        }
        if (replay) {
            handler.run();
        }
    }
}
