package io.echoack.client.bench;

/**
 * The intended send times of an open-loop run: {@code rate} messages per second in all, spread evenly over
 * the connections. Connection {@code c} sends its {@code j}-th message at
 * {@code start + offset(c) + j * interval()}, where the interval is {@code connections / rate} seconds
 * (whole nanoseconds) and the offsets stagger the connections within one interval; so the global sequence
 * of messages is, in order, connection 0, 1, ..., n-1, 0, 1, ...
 *
 * <p>Latency is measured from these times, not from when a message actually left: a message delayed because
 * its connection's pipeline was full, or because the server stalled everything, is charged for the delay.
 * That is the correction for coordinated omission.
 */
final class OpenLoopSchedule {

    /** The schedule is driven by timer ticks at least this far apart; messages due in between go out together. */
    static final long MIN_TICK_NANOS = 10_000;

    private final int connections;
    private final long interval;

    OpenLoopSchedule(double rate, int connections) {
        if (!(rate > 0) || connections < 1) {
            throw new IllegalArgumentException("rate must be > 0 and connections >= 1");
        }
        this.connections = connections;
        this.interval = Math.max(1, Math.round(connections * 1e9 / rate));
    }

    /** Nanoseconds between two messages of one connection. */
    long interval() {
        return interval;
    }

    /** The rate this schedule really runs at, after rounding the interval to whole nanoseconds. */
    double effectiveRate() {
        return connections * 1e9 / interval;
    }

    /** Where connection {@code connection}'s messages sit within an interval. */
    long offset(int connection) {
        return connection * interval / connections;
    }

    /** The intended send time of message {@code j} of connection {@code connection}. */
    long intended(long start, int connection, long j) {
        return start + offset(connection) + j * interval;
    }

    /**
     * How often a connection's timer fires: its interval, or a whole multiple of it of at least
     * {@link #MIN_TICK_NANOS}, so that each tick lands exactly on an intended send time.
     */
    long tickPeriod() {
        return interval >= MIN_TICK_NANOS ? interval : interval * ((MIN_TICK_NANOS + interval - 1) / interval);
    }
}
