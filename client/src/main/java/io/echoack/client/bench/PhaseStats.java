package io.echoack.client.bench;

import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.util.HashMap;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.HdrHistogram.Histogram;
import org.HdrHistogram.SingleWriterRecorder;

/**
 * The counters and latency recorder of one phase (warm-up or measured) on one event loop. Written only by
 * that event loop's thread, without locks or allocation; read at any time by the thread that reports
 * progress: counters with opaque reads, latencies through HdrHistogram's interval histograms. The counts by
 * value ({@code --count-by}) are read only once the event loop has stopped.
 */
final class PhaseStats {

    /** Latencies are recorded in nanoseconds, up to an hour; longer ones are recorded as an hour. */
    static final long HIGHEST_LATENCY_NANOS = TimeUnit.HOURS.toNanos(1);
    static final int SIGNIFICANT_DIGITS = 3;

    private static final VarHandle COUNTS = MethodHandles.arrayElementVarHandle(long[].class);
    private static final VarHandle LAST_REPLY;

    static {
        try {
            LAST_REPLY = MethodHandles.lookup().findVarHandle(PhaseStats.class, "lastReplyNanos", long.class);
        } catch (ReflectiveOperationException e) {
            throw new ExceptionInInitializerError(e);
        }
    }

    private final long[] counts = new long[Counter.values().length];
    private final SingleWriterRecorder latency =
            new SingleWriterRecorder(1, HIGHEST_LATENCY_NANOS, SIGNIFICANT_DIGITS);
    /** The reader's histogram, handed back to the recorder at each read. */
    private Histogram spare;
    @SuppressWarnings("unused") // through LAST_REPLY
    private long lastReplyNanos;
    private boolean anyReply;
    /** Correct identity replies by their value of the counted key; null = replies without the key. */
    private final Map<String, Long> byValue = new HashMap<>();

    /** Counts one of {@code counter}. Event-loop thread only. */
    void add(Counter counter) {
        add(counter, 1);
    }

    void add(Counter counter, long n) {
        int i = counter.ordinal();
        COUNTS.setOpaque(counts, i, (long) COUNTS.getOpaque(counts, i) + n);
    }

    /** Counts a correct reply and records its latency. Event-loop thread only. */
    void ok(long latencyNanos, long now) {
        add(Counter.OK);
        latency.recordValue(Math.max(1, Math.min(latencyNanos, HIGHEST_LATENCY_NANOS)));
        replied(now);
    }

    /**
     * Counts the reply to the message intended at {@code intended}, arrived at {@code now}: {@link #ok} with its
     * latency when {@code valid}, else a mismatch. Event-loop thread only.
     */
    void reply(boolean valid, long intended, long now) {
        if (valid) {
            ok(now - intended, now);
        } else {
            add(Counter.MISMATCH);
            replied(now);
        }
    }

    /** Notes that a reply (correct or not) arrived at {@code now}. Event-loop thread only. */
    void replied(long now) {
        LAST_REPLY.setOpaque(this, now);
        anyReply = true;
    }

    /** Counts one correct reply under its value of the counted key (null: it has none). Event-loop thread only. */
    void countValue(String value) {
        byValue.merge(value, 1L, Long::sum);
    }

    /** The counts of {@link #countValue}, by value (the null key: replies without one); after the loop stopped. */
    Map<String, Long> valueCounts() {
        return byValue;
    }

    /** The count of {@code counter} so far; any thread. */
    long get(Counter counter) {
        return (long) COUNTS.getOpaque(counts, counter.ordinal());
    }

    /** When the last reply arrived (System.nanoTime), valid once {@link #hasReplies()}; any thread. */
    long lastReplyNanos() {
        return (long) LAST_REPLY.getOpaque(this);
    }

    /** True once a reply was noted; read after the event loops stopped. */
    boolean hasReplies() {
        return anyReply;
    }

    /**
     * Adds the latencies recorded since the last call to {@code into}. Called by the one reporting thread.
     */
    void drainLatencyInto(Histogram into) {
        spare = latency.getIntervalHistogram(spare);
        into.add(spare);
    }

    static Histogram newHistogram() {
        return new Histogram(1, HIGHEST_LATENCY_NANOS, SIGNIFICANT_DIGITS);
    }
}
