package io.echoack.client.bench;

import io.echoack.common.text.Durations;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.format.DateTimeParseException;
import java.util.concurrent.TimeUnit;

/**
 * A shared start time ({@code --start-at}): clients started anywhere set up their connections, then wait until this
 * wall-clock instant to begin their warm-up together, so that their measured phases overlap. A client that is ready
 * only after it begins at once and says how late it is ({@link #lateMillis}).
 */
public final class StartAt {

    /** How far from now a start time may be, either way: farther is a typing error rather than a plan. */
    public static final Duration MAX_DISTANCE = Duration.ofHours(24);
    /** The longest single wait: the wall clock is read again after each, so that a clock step is followed. */
    static final long MAX_STEP_NANOS = TimeUnit.SECONDS.toNanos(1);

    private StartAt() {
    }

    /**
     * Reads a start time: an ISO-8601 instant ({@code 2026-12-06T15:00:00Z}, or with an offset
     * {@code 2026-12-06T16:00:00+01:00}), or {@code +DURATION} from {@code now} ({@code +30s}, {@code +2m}, any
     * duration the command line reads).
     *
     * @throws IllegalArgumentException quoting {@code text}: unreadable, or more than {@link #MAX_DISTANCE} from now
     */
    public static Instant parse(String text, Instant now) {
        String t = text.trim();
        Instant at;
        if (t.startsWith("+")) {
            Duration after;
            try {
                after = Durations.parse(t.substring(1));
            } catch (IllegalArgumentException e) {
                throw new IllegalArgumentException(unreadable(text));
            }
            if (after.compareTo(MAX_DISTANCE) > 0) {
                throw new IllegalArgumentException(tooFar(text));
            }
            at = now.plus(after);
        } else {
            try {
                at = OffsetDateTime.parse(t).toInstant();
            } catch (DateTimeParseException e) {
                throw new IllegalArgumentException(unreadable(text));
            }
            if (Duration.between(now, at).abs().compareTo(MAX_DISTANCE) > 0) {
                throw new IllegalArgumentException(tooFar(text));
            }
        }
        return at;
    }

    private static String unreadable(String text) {
        return "'" + text + "' is not a start time: give an ISO-8601 instant (2026-12-06T15:00:00Z, "
                + "2026-12-06T16:00:00+01:00) or +DURATION from now (+30s)";
    }

    private static String tooFar(String text) {
        return "'" + text + "' is more than " + MAX_DISTANCE.toHours() + "h from now";
    }

    /**
     * How many milliseconds after {@code at} a client ready at {@code ready} begins: 0 when it was ready in time (it
     * waits, and begins at {@code at}), else the milliseconds it is late, rounded down.
     */
    static long lateMillis(Instant at, Instant ready) {
        return ready.isAfter(at) ? Duration.between(at, ready).toMillis() : 0;
    }

    /** Waits a while, unless a stop comes first. */
    @FunctionalInterface
    interface Sleeper {
        /** Waits {@code nanos} (or less); returns false when the run was stopped meanwhile. */
        boolean sleep(long nanos) throws InterruptedException;
    }

    /**
     * Waits until {@code clock} reads {@code at} or later, in steps of at most {@link #MAX_STEP_NANOS}, reading the
     * clock again after each; never returns early but for a stop. Returns false when {@code sleeper} reported a
     * stop (or the thread was interrupted, which it keeps set), true once the time has come.
     */
    static boolean await(Instant at, Clock clock, Sleeper sleeper) {
        while (true) {
            long remaining = Duration.between(clock.instant(), at).toNanos();
            if (remaining <= 0) {
                return true;
            }
            try {
                if (!sleeper.sleep(Math.min(remaining, MAX_STEP_NANOS))) {
                    return false;
                }
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return false;
            }
        }
    }
}
