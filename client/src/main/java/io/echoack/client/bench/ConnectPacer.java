package io.echoack.client.bench;

import java.util.concurrent.atomic.AtomicLong;

/**
 * Caps the rate of new connections of a run ({@code --connect-rate}): connects are spaced at least
 * {@code 1 / rate} seconds apart, across every event loop, on a schedule of slots. A connection asks for a slot
 * ({@link #reserve}) and connects when its slot comes, which its event loop waits for with a timer, never by
 * blocking. An idle spell earns no credit: the first slot after it is at once, the next one a full interval later.
 * Unlimited (rate 0), every slot is now.
 */
final class ConnectPacer {

    private final long interval;
    /** The earliest time the next slot may be at (System.nanoTime). */
    private final AtomicLong nextFree;

    /**
     * @param rate connects per second in all; 0 for no cap
     * @param now  the current time (System.nanoTime)
     */
    ConnectPacer(double rate, long now) {
        if (!(rate >= 0) || Double.isInfinite(rate)) {
            throw new IllegalArgumentException("rate must be >= 0, was " + rate);
        }
        this.interval = rate == 0 ? 0 : Math.max(1, Math.round(1e9 / rate));
        this.nextFree = new AtomicLong(now);
    }

    /** True when connects are paced at all. */
    boolean limited() {
        return interval > 0;
    }

    /** Nanoseconds between two slots; 0 when unlimited. */
    long interval() {
        return interval;
    }

    /**
     * Reserves the next free slot for a connect asked for at {@code now}, and returns its time: {@code now} itself
     * when the schedule is free, else the first slot after those already reserved. Any thread.
     */
    long reserve(long now) {
        if (interval == 0) {
            return now;
        }
        while (true) {
            long free = nextFree.get();
            long slot = free - now > 0 ? free : now;
            if (nextFree.compareAndSet(free, slot + interval)) {
                return slot;
            }
        }
    }
}
