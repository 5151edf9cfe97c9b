package io.echoack.server.connectionlog;

import io.echoack.server.output.LineQueue;
import java.time.Clock;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.LongAdder;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Where the server's {@link ConnectionLogHandler}s send their lines: one line per stream connection when it
 * ends, on standard output through the server's {@link LineQueue} (in the order of the printed messages, and
 * as plain lines, so that JSON lines go straight into {@code jq} or a log collector; the server's own log
 * stays on stderr). An event loop only hands over a {@link ConnectionRecord}; the line is made on the writer
 * thread. When the output does not keep up, lines are dropped and counted ({@link #dropped()}, the metric
 * {@code echoack_connection_log_dropped_total}), never waited for; {@link #close()} says how many at WARN.
 *
 * <p>One per server, shared by every stream listener. Thread-safe.
 */
public final class ConnectionLog implements AutoCloseable {

    private static final Logger log = LoggerFactory.getLogger(ConnectionLog.class);

    private final ConnectionLogFormat format;
    private final LineQueue out;
    private final Clock clock;
    private final LongAdder dropped = new LongAdder();
    private final Map<String, String> shownAs = new ConcurrentHashMap<>();

    /**
     * @param format {@link ConnectionLogFormat#TEXT} or {@link ConnectionLogFormat#JSON}
     * @param out    where the lines go; the caller closes it after this log
     * @param clock  the wall clock of the {@code opened} and {@code closed} times (durations are measured on
     *               each connection's event-loop ticker)
     */
    public ConnectionLog(ConnectionLogFormat format, LineQueue out, Clock clock) {
        if (!Objects.requireNonNull(format, "format").isOn()) {
            throw new IllegalArgumentException("a connection log needs a format: text or json");
        }
        this.format = format;
        this.out = Objects.requireNonNull(out, "out");
        this.clock = Objects.requireNonNull(clock, "clock");
    }

    /** From now on, the lines of {@code listener} name it {@code endpoint} (e.g. with the port it bound). */
    public void bound(String listener, String endpoint) {
        shownAs.put(listener, endpoint);
    }

    /** The wall clock now, in milliseconds since the epoch. */
    long wallMillis() {
        return clock.millis();
    }

    /** Queues the line of a connection that ended; never waits. */
    void closed(ConnectionRecord record) {
        if (!out.offer(() -> line(record))) {
            dropped.increment();
        }
    }

    /** The line of {@code record} in this log's format. */
    String line(ConnectionRecord record) {
        String listener = shownAs.getOrDefault(record.listener(), record.listener());
        return format == ConnectionLogFormat.JSON ? ConnectionLine.json(record, listener)
                : ConnectionLine.text(record, listener);
    }

    /** Lines dropped so far because the output did not keep up. */
    public long dropped() {
        return dropped.sum();
    }

    /** Says at WARN (on stderr, not among the lines) how many lines were dropped, if any were. */
    @Override
    public void close() {
        long lost = dropped();
        if (lost > 0) {
            log.warn("{} connection log lines were dropped: standard output did not keep up", lost);
        }
    }
}
