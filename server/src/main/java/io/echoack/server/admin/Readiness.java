package io.echoack.server.admin;

import java.util.concurrent.atomic.AtomicBoolean;

/**
 * Whether the server should get traffic ({@code /readyz}): its lifecycle's say (not ready while starting,
 * within a start delay, or stopping) combined with a hold by hand ({@code POST /unready} until
 * {@code POST /ready}). Ready only when neither says not ready, so that neither overrides the other: a
 * {@code POST /ready} during a drain leaves the server not ready, and the end of the start does not undo a
 * {@code POST /unready} made before it. Thread-safe: event loops read it on every probe.
 */
public final class Readiness {

    /** What {@code /readyz} says about the hold by hand. */
    public static final String HELD_BY_HAND = "set unready by POST /unready";

    /** The server's lifecycle: why it is not ready ({@code starting}, {@code draining}), or null when it is. */
    @FunctionalInterface
    public interface Lifecycle {
        String notReadyReason();
    }

    private final Lifecycle lifecycle;
    private final AtomicBoolean heldByHand = new AtomicBoolean();

    public Readiness(Lifecycle lifecycle) {
        this.lifecycle = lifecycle;
    }

    /** Holds the server not ready by hand; returns whether it was not held yet. */
    public boolean holdByHand() {
        return heldByHand.compareAndSet(false, true);
    }

    /** Releases the hold by hand; returns whether it was held. */
    public boolean releaseByHand() {
        return heldByHand.compareAndSet(true, false);
    }

    public boolean isReady() {
        return !heldByHand.get() && lifecycle.notReadyReason() == null;
    }

    /** {@code ready}, or {@code not ready: } with the lifecycle's reason and the hold by hand, as they apply. */
    public String describe() {
        String reason = lifecycle.notReadyReason();
        boolean held = heldByHand.get();
        if (reason == null && !held) {
            return "ready";
        }
        return "not ready: " + (reason == null ? HELD_BY_HAND : held ? reason + ", " + HELD_BY_HAND : reason);
    }
}
