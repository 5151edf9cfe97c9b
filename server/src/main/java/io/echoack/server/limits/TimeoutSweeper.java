package io.echoack.server.limits;

import io.netty.util.concurrent.EventExecutor;
import io.netty.util.concurrent.Ticker;
import java.time.Duration;
import java.util.Objects;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentMap;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.function.Supplier;

/**
 * The clock of a listener's {@link TimeoutHandler}s: one sweep per event loop, every {@link #tick()}, checks
 * the deadlines of all the connections on that loop. A connection therefore costs no timer of its own: no
 * task to allocate, queue and cancel when it opens and closes, and no clock read per read (a read only sets
 * a flag, which the next sweep turns into a time). This is what keeps the timeouts off the cost of a short
 * connection and out of the memory of an idle one.
 *
 * <p>The price is precision: a deadline is noticed at the first sweep after it, and activity is stamped at
 * the sweep after it happened, so a timeout closes a connection no earlier than it is due and at most two
 * ticks later. The tick is a tenth of the shortest timeout that is on, and between
 * {@value #MIN_TICK_MILLIS} ms and {@value #MAX_TICK_MILLIS} ms: with the defaults (300 s idle, 30 s frame)
 * a connection is closed within 2 s of its deadline. A loop with no connection to watch schedules nothing.
 *
 * <p>The timeouts may change while connections are open (SIGHUP): each sweep reads them, so a new idle or frame
 * timeout applies to every watched connection from the next sweep on, measured from its last activity (a lowered
 * idle timeout closes, at that sweep, connections already idle longer than it); the tick follows from the next
 * sweep on. A connection accepted while both timeouts were off has no watch and gets none later.
 *
 * <p>One instance per listener, shared by its connections on every event loop; thread-safe. Each loop's
 * sweep, and the list of connections it walks, is only ever touched on that loop.
 */
public final class TimeoutSweeper {

    /** The shortest tick. */
    public static final long MIN_TICK_MILLIS = 10;
    /** The longest tick. */
    public static final long MAX_TICK_MILLIS = 1_000;

    private final Supplier<Timeouts> current;
    private final CloseListener listener;
    private final ConcurrentMap<EventExecutor, Sweep> sweeps = new ConcurrentHashMap<>();
    /** The timeouts in force, in nanoseconds, worked out again when they are another value (a reload). */
    private volatile Deadlines deadlines;

    /**
     * @param timeouts the idle and frame timeouts
     * @param listener told once for each connection a timeout closes
     */
    public TimeoutSweeper(Timeouts timeouts, CloseListener listener) {
        this(constant(timeouts), listener);
    }

    /**
     * @param timeouts the idle and frame timeouts in force, read at each sweep (they may change on SIGHUP)
     * @param listener told once for each connection a timeout closes
     */
    public TimeoutSweeper(Supplier<Timeouts> timeouts, CloseListener listener) {
        this.current = Objects.requireNonNull(timeouts, "timeouts");
        this.listener = Objects.requireNonNull(listener, "listener");
        this.deadlines = new Deadlines(timeouts.get());
    }

    private static Supplier<Timeouts> constant(Timeouts timeouts) {
        Objects.requireNonNull(timeouts, "timeouts");
        return () -> timeouts;
    }

    /** The timeouts in force now. */
    public Timeouts timeouts() {
        return deadlines().timeouts;
    }

    /** How often deadlines are checked now; a timeout fires at most two ticks after it is due. */
    public Duration tick() {
        return Duration.ofNanos(deadlines().tickNanos);
    }

    CloseListener listener() {
        return listener;
    }

    /** The timeouts in force, in the form the sweeps use. */
    Deadlines deadlines() {
        Timeouts now = current.get();
        Deadlines d = deadlines;
        if (d.timeouts != now) {
            d = new Deadlines(now);
            deadlines = d;
        }
        return d;
    }

    /** One value of the timeouts, in nanoseconds, with the tick it calls for. */
    static final class Deadlines {
        final Timeouts timeouts;
        final long idleNanos;
        final long frameNanos;
        final long tickNanos;

        Deadlines(Timeouts timeouts) {
            this.timeouts = Objects.requireNonNull(timeouts, "timeouts");
            idleNanos = timeouts.idleTimeout().toNanos();
            frameNanos = timeouts.frameTimeout().toNanos();
            long shortest = idleNanos == 0 ? frameNanos : frameNanos == 0 ? idleNanos : Math.min(idleNanos, frameNanos);
            long max = TimeUnit.MILLISECONDS.toNanos(MAX_TICK_MILLIS);
            tickNanos = shortest == 0 ? max // both off: the sweep only lets go of the connections it still watches
                    : Math.max(TimeUnit.MILLISECONDS.toNanos(MIN_TICK_MILLIS), Math.min(max, shortest / 10));
        }
    }

    /** The sweep of {@code executor}'s connections (created on first use). */
    Sweep sweepOf(EventExecutor executor) {
        Sweep sweep = sweeps.get(executor);
        return sweep != null ? sweep : sweeps.computeIfAbsent(executor, Sweep::new);
    }

    /**
     * The connections of one event loop, as an intrusive doubly linked list of their handlers (linking and
     * unlinking allocate nothing), and the task that walks it every tick while it is not empty.
     */
    final class Sweep implements Runnable {
        private final EventExecutor executor;
        private final Ticker ticker;
        private TimeoutHandler head;
        private TimeoutHandler tail;
        private boolean scheduled;

        Sweep(EventExecutor executor) {
            this.executor = executor;
            this.ticker = executor.ticker();
        }

        TimeoutSweeper sweeper() {
            return TimeoutSweeper.this;
        }

        long nanoTime() {
            return ticker.nanoTime();
        }

        /** Starts watching {@code h}; on the event loop. */
        void add(TimeoutHandler h) {
            h.prev = tail;
            h.next = null;
            if (tail == null) {
                head = h;
            } else {
                tail.next = h;
            }
            tail = h;
            if (!scheduled) {
                schedule();
            }
        }

        /**
         * Stops watching {@code h}; on the event loop. Its {@code next} is kept, so that a sweep standing on
         * it (the handler closed its own connection) still finds the rest of the list.
         */
        void remove(TimeoutHandler h) {
            if (h.prev == null) {
                head = h.next;
            } else {
                h.prev.next = h.next;
            }
            if (h.next == null) {
                tail = h.prev;
            } else {
                h.next.prev = h.prev;
            }
            h.prev = null;
        }

        private void schedule() {
            try {
                executor.schedule(this, deadlines().tickNanos, TimeUnit.NANOSECONDS);
                scheduled = true;
            } catch (RejectedExecutionException shuttingDown) {
                scheduled = false; // the loop is going away, and its connections with it
            }
        }

        @Override
        public void run() {
            scheduled = false;
            long now = ticker.nanoTime();
            Deadlines d = deadlines();
            for (TimeoutHandler h = head; h != null; ) {
                TimeoutHandler next = h.next;
                h.check(now, d); // may close h's connection or let go of it, which unlinks h (and only h)
                h = next;
            }
            if (head != null && !executor.isShuttingDown()) {
                schedule();
            }
        }
    }
}
