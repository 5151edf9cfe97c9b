package io.echoack.server.limits;

import io.netty.util.concurrent.Ticker;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import java.util.function.Supplier;
import org.slf4j.Logger;

/**
 * Tells the operator, at WARN, when a limit refuses connections or datagrams, without letting a flood flood
 * the log: one line per limit and listener at most every {@link #DEFAULT_INTERVAL}, with how many were
 * refused since the previous line, from where, and the flag to change, e.g.
 * <pre>
 * refused 37 connections from 127.0.0.1 on tcp://0.0.0.0:51717 in the last 10s:
 *     --max-connections-per-ip 100 reached (raise it, or 0 for no limit)
 * </pre>
 * (one line in the log).
 * A refusal only increments a {@link RefusalCounter} on the event loop; the lines are written by a thread of
 * this class's own, every {@link #DEFAULT_TICK}, so that writing to a slow stderr never holds up an event
 * loop. The first refusal after a quiet spell is reported within a tick; while refusals go on, one line per
 * interval covers them all. On {@link #close()} what is still pending is written at once.
 *
 * <p>One instance per server. Thread-safe.
 */
public final class RefusalWarnings implements AutoCloseable {

    /** At most one line per limit and listener this often. */
    public static final Duration DEFAULT_INTERVAL = Duration.ofSeconds(10);
    /** How often pending refusals are looked at: the delay of the first line after a quiet spell. */
    public static final Duration DEFAULT_TICK = Duration.ofSeconds(1);

    /** Where the lines go: SLF4J at WARN, or a test's list. */
    @FunctionalInterface
    interface Output {
        void warn(Logger logger, String line);
    }

    private final Ticker ticker;
    private final long intervalNanos;
    private final long tickNanos;
    private final Output output;
    private final List<RefusalCounter> counters = new CopyOnWriteArrayList<>();
    private final Map<String, String> shownAs = new ConcurrentHashMap<>();
    private final Object lock = new Object(); // one report at a time
    private volatile Thread reporter;
    private volatile boolean closed;

    /** Lines at most every {@link #DEFAULT_INTERVAL}, through SLF4J; {@link #start()} starts reporting. */
    public RefusalWarnings() {
        this(Ticker.systemTicker(), DEFAULT_INTERVAL, DEFAULT_TICK, Logger::warn);
    }

    RefusalWarnings(Ticker ticker, Duration interval, Duration tick, Output output) {
        this.ticker = Objects.requireNonNull(ticker, "ticker");
        this.intervalNanos = interval.toNanos();
        this.tickNanos = tick.toNanos();
        this.output = Objects.requireNonNull(output, "output");
        if (intervalNanos <= 0 || tickNanos <= 0) {
            throw new IllegalArgumentException("interval and tick must be > 0, were " + interval + ", " + tick);
        }
    }

    /**
     * A counter for one limit on one listener, whose lines read
     * {@code VERB N NOUNs from ADDRESS on LISTENER in the last Ts: CAUSE}.
     *
     * @param logger   the logger the lines go to (its name shows in the line)
     * @param listener the listener's name as the server knows it; shown until {@link #bound} says better
     * @param verb     {@code refused}, {@code dropped}, ...
     * @param noun     what is refused, singular: {@code connection}, {@code datagram}
     * @param cause    the limit and what to do about it, naming the flag
     */
    public RefusalCounter counter(Logger logger, String listener, String verb, String noun, String cause) {
        Objects.requireNonNull(cause, "cause");
        return counter(logger, listener, verb, noun, () -> cause);
    }

    /**
     * As {@link #counter(Logger, String, String, String, String)}, with a cause written anew for each line (on
     * the reporting thread), so that a line names the limit in force when it is written, after a reload too.
     */
    public RefusalCounter counter(Logger logger, String listener, String verb, String noun, Supplier<String> cause) {
        RefusalCounter counter = new RefusalCounter(logger, listener, verb, noun, cause, ticker.nanoTime());
        counters.add(counter);
        return counter;
    }

    /** From now on, the lines of {@code listener} name it {@code endpoint} (e.g. with the port it bound). */
    public void bound(String listener, String endpoint) {
        shownAs.put(listener, endpoint);
    }

    /** Starts the thread that writes the lines (a daemon, as it holds nothing that must be saved). */
    public synchronized void start() {
        if (reporter != null || closed) {
            return;
        }
        Thread t = new Thread(this::run, "echoack-limit-warnings");
        t.setDaemon(true);
        reporter = t;
        t.start();
    }

    private void run() {
        try {
            while (!closed) {
                ticker.sleep(tickNanos, TimeUnit.NANOSECONDS);
                report(false);
            }
        } catch (InterruptedException e) {
            // closed
        }
    }

    /**
     * Writes every line that is due: a counter with refusals whose last line is at least an interval old
     * (or any counter with refusals, when {@code flush}). Called by the reporting thread every tick, and by
     * tests with a clock of their own.
     */
    void report(boolean flush) {
        synchronized (lock) {
            long now = ticker.nanoTime();
            for (RefusalCounter c : counters) {
                String line = c.line(now, intervalNanos, flush, shownAs.getOrDefault(c.listener(), c.listener()));
                if (line != null) {
                    output.warn(c.logger(), line);
                }
            }
        }
    }

    /** Stops the reporting thread, then writes what is still pending. Idempotent. */
    @Override
    public void close() {
        Thread t;
        synchronized (this) {
            closed = true;
            t = reporter;
        }
        if (t != null) {
            t.interrupt();
            try {
                t.join(TimeUnit.NANOSECONDS.toMillis(tickNanos) + 1000);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
        report(true);
    }
}
