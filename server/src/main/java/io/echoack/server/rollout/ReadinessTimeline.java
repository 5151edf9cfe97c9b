package io.echoack.server.rollout;

import java.time.Duration;
import java.util.Objects;
import java.util.function.LongSupplier;

/**
 * When the server is ready, and when its drain starts, on one clock. Ready from {@link RolloutDelays#startDelay}
 * after {@link #listening()} until {@link #stopRequested()}; the drain is due {@link RolloutDelays#drainDelay}
 * after the stop request, or at once after {@link #drainNow()} (a second SIGTERM). Thread-safe: readiness is
 * asked by the admin endpoint's event loop while the stop is requested from another thread.
 *
 * <p>The delays may be replaced while the server runs ({@link #replaceDelays}, SIGHUP): a new drain delay is the
 * one the next stop request waits (a drain delay already under way keeps the one it started with); a new start
 * delay applies only while the server is still starting, counted from when it started listening (a server that
 * is ready stays ready).
 *
 * <p>The clock is a nanosecond counter ({@link System#nanoTime} in the server), so that tests freeze it.
 */
public final class ReadinessTimeline {

    private static final long NOT_YET = Long.MIN_VALUE;

    private RolloutDelays delays;
    private final LongSupplier nanoClock;
    private long listeningAt = NOT_YET;
    private long stopRequestedAt = NOT_YET;
    /** The drain delay of the stop requested: the one in force at the request. */
    private Duration drainDelayOfStop;
    private boolean drainNow;

    public ReadinessTimeline(RolloutDelays delays, LongSupplier nanoClock) {
        this.delays = Objects.requireNonNull(delays, "delays");
        this.nanoClock = Objects.requireNonNull(nanoClock, "nanoClock");
    }

    /** Every listener is bound: ready once the start delay has passed (at once without one). */
    public synchronized void listening() {
        if (listeningAt == NOT_YET) {
            listeningAt = nanoClock.getAsLong();
        }
    }

    /** True between the end of the start delay and the stop request (what {@code /readyz} says). */
    public synchronized boolean isReady() {
        return listeningAt != NOT_YET && stopRequestedAt == NOT_YET
                && nanoClock.getAsLong() - listeningAt >= delays.startDelay().toNanos();
    }

    /**
     * A stop is requested: not ready from now on; the drain is due after the drain delay. Only the first request
     * counts: a later one does not move the drain.
     *
     * @return true for the first request
     */
    public synchronized boolean stopRequested() {
        if (stopRequestedAt != NOT_YET) {
            return false;
        }
        stopRequestedAt = nanoClock.getAsLong();
        drainDelayOfStop = delays.drainDelay();
        return true;
    }

    /** The drain is due now, whatever is left of the drain delay (a second SIGTERM); also a stop request. */
    public synchronized void drainNow() {
        stopRequested();
        drainNow = true;
    }

    /**
     * How long until the drain is due: {@link Duration#ZERO} once it is; the whole drain delay if no stop is
     * requested yet (a caller waits for the request first).
     */
    public synchronized Duration untilDrain() {
        if (drainNow) {
            return Duration.ZERO;
        }
        if (stopRequestedAt == NOT_YET) {
            return delays.drainDelay();
        }
        long left = drainDelayOfStop.toNanos() - (nanoClock.getAsLong() - stopRequestedAt);
        return left > 0 ? Duration.ofNanos(left) : Duration.ZERO;
    }

    /** The delays in force. */
    public synchronized RolloutDelays delays() {
        return delays;
    }

    /**
     * Puts {@code next} in force (see the class description): its drain delay for the next stop request, its start
     * delay only if the server is still starting.
     *
     * @return whether the start delay still applies: false once the server was ready (or a stop requested), when
     *         the start delay in force stays the one it started with
     */
    public synchronized boolean replaceDelays(RolloutDelays next) {
        boolean starting = stopRequestedAt == NOT_YET && (listeningAt == NOT_YET
                || nanoClock.getAsLong() - listeningAt < delays.startDelay().toNanos());
        delays = starting ? next : delays.withDrainDelay(next.drainDelay());
        return starting;
    }
}
