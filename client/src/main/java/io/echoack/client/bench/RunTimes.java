package io.echoack.client.bench;

/**
 * The clock of one run, in {@link System#nanoTime()}: when sending starts, when the measured phase starts
 * (after the warm-up), and, for a run of fixed duration, when it ends.
 *
 * @param start        when the first message is (intended to be) sent
 * @param measureStart start + warm-up: messages sent from here on are measured
 * @param measureEnd   measureStart + duration: nothing is sent from here on; meaningless unless timed
 * @param timed        true for a run of fixed duration, false for a run of fixed count
 */
record RunTimes(long start, long measureStart, long measureEnd, boolean timed) {

    static RunTimes of(long start, long warmupNanos, long durationNanos) {
        boolean timed = durationNanos > 0;
        return new RunTimes(start, start + warmupNanos, start + warmupNanos + (timed ? durationNanos : 0), timed);
    }

    /**
     * True when a message sent at {@code sendNanos} (or a failure noticed then) belongs to the measured phase. Without
     * a warm-up everything does: a connection a server resets just before the first send is not a warm-up error.
     */
    boolean isMeasured(long sendNanos) {
        return measureStart == start || sendNanos - measureStart >= 0;
    }

    /**
     * {@link #isMeasured} as 1 (measured) or 0 (warm-up), computed without a branch. The per-message path picks
     * its phase with it: a branch that only the warm-up had taken when the JIT compiled that path would send the
     * compiled code back to the interpreter at the first measured message, and its recompilation would run on the
     * load generator's core at the start of the measured phase.
     */
    int phase(long sendNanos) {
        long fromMeasureStart = sendNanos - measureStart;
        long warmup = measureStart - start; // >= 0; 0: everything is measured
        return (int) (((fromMeasureStart >>> 63) ^ 1) | ((warmup - 1) >>> 63));
    }

    /** True when a message at {@code sendNanos} would be past the end of a timed run. */
    boolean isPastEnd(long sendNanos) {
        return timed && sendNanos - measureEnd >= 0;
    }
}
