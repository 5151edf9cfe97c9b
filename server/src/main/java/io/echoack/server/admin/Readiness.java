package io.echoack.server.admin;

import java.util.EnumSet;
import java.util.Set;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.stream.Collectors;

/**
 * Whether the server should get traffic ({@code /readyz}). Each reason not to is a separate {@link Hold}:
 * the server is ready only while nothing holds it, so that releasing one reason never overrides another
 * (a {@code POST /ready} during a drain leaves the server not ready; the end of the start does not undo a
 * {@code POST /unready} made before it). Thread-safe and lock-free: event loops read it on every probe.
 */
public final class Readiness {

    /** A reason not to be ready. */
    public enum Hold {
        /** Not every listener is bound yet. */
        STARTING("starting"),
        /** Shutdown has begun; never released. */
        DRAINING("draining"),
        /** Held by hand with {@code POST /unready} until {@code POST /ready}. */
        MANUAL("set unready by POST /unready");

        private final String description;

        Hold(String description) {
            this.description = description;
        }

        /** What {@code /readyz} says about it. */
        public String description() {
            return description;
        }
    }

    private final AtomicInteger holds;

    private Readiness(int holds) {
        this.holds = new AtomicInteger(holds);
    }

    /** Not ready until {@link Hold#STARTING} is released. */
    public static Readiness starting() {
        return new Readiness(bit(Hold.STARTING));
    }

    /** Adds {@code hold}; returns whether it was new. */
    public boolean hold(Hold hold) {
        return (holds.getAndUpdate(h -> h | bit(hold)) & bit(hold)) == 0;
    }

    /** Removes {@code hold}; returns whether it was held. */
    public boolean release(Hold hold) {
        return (holds.getAndUpdate(h -> h & ~bit(hold)) & bit(hold)) != 0;
    }

    public boolean isReady() {
        return holds.get() == 0;
    }

    /** What holds the server now, in declaration order; empty when ready. */
    public Set<Hold> holds() {
        int h = holds.get();
        Set<Hold> set = EnumSet.noneOf(Hold.class);
        for (Hold hold : Hold.values()) {
            if ((h & bit(hold)) != 0) {
                set.add(hold);
            }
        }
        return set;
    }

    /** {@code ready}, or {@code not ready: } and every hold's description. */
    public String describe() {
        Set<Hold> now = holds();
        return now.isEmpty() ? "ready"
                : "not ready: " + now.stream().map(Hold::description).collect(Collectors.joining(", "));
    }

    private static int bit(Hold hold) {
        return 1 << hold.ordinal();
    }
}
