package io.echoack.client.bench;

/**
 * Decides, for one connection (or connect-per-message worker), whether its next message may go out now and
 * at what intended time: in a closed loop, now, as long as the run goes on; in an open loop, the next time
 * of the {@link OpenLoopSchedule}, once it has come. A message whose intended time falls in the measured
 * phase counts against this connection's share of {@code count}, and none is sent past the end of a timed
 * run. Used on one event loop only.
 */
final class SendPlan {

    /** {@link #next}: no more messages, ever. */
    static final long DONE = Long.MIN_VALUE;
    /** {@link #next}: the next message is not due yet (open loop). */
    static final long NOT_YET = Long.MIN_VALUE + 1;

    private final RunTimes times;
    private final OpenLoopSchedule schedule;
    private final int connection;
    private final long quota;
    private final StopSignal stop;
    private long index;
    private long measuredSent;
    private boolean done;

    /**
     * @param schedule   the open-loop schedule, or null for a closed loop
     * @param connection this connection's index, which places it in the schedule
     * @param quota      measured messages this connection sends in a run of fixed count; ignored if timed
     */
    SendPlan(RunTimes times, OpenLoopSchedule schedule, int connection, long quota, StopSignal stop) {
        this.times = times;
        this.schedule = schedule;
        this.connection = connection;
        this.quota = times.timed() ? Long.MAX_VALUE : quota;
        this.stop = stop;
    }

    /** This connection's share of {@code count} messages over {@code connections}: as even as can be. */
    static long quota(long count, int connections, int connection) {
        return count / connections + (connection < count % connections ? 1 : 0);
    }

    /**
     * The intended send time of the next message if it may be sent at {@code now}; {@link #NOT_YET} if it is
     * not due yet; {@link #DONE} when this connection has nothing more to send.
     */
    long next(long now) {
        if (done) {
            return DONE;
        }
        if (stop.isStopped()) {
            done = true;
            return DONE;
        }
        if (now - times.start() < 0) {
            return NOT_YET; // every connection starts at the same time
        }
        long intended = schedule == null ? now : schedule.intended(times.start(), connection, index);
        // the phase is looked at last: a branch on it would be one only the warm-up took when the JIT compiled this
        if ((measuredSent >= quota || times.isPastEnd(intended)) && times.isMeasured(intended)) {
            done = true;
            return DONE;
        }
        if (intended - now > 0) {
            return NOT_YET;
        }
        return intended;
    }

    /** Records that the message {@link #next} allowed, intended for {@code intended}, was sent. */
    void sent(long intended) {
        measuredSent += times.phase(intended);
        index++;
    }

    /** The intended time of the next message in an open loop (meaningless in a closed loop). */
    long nextIntended() {
        return schedule.intended(times.start(), connection, index);
    }

    /** True once {@link #next} returned {@link #DONE}. */
    boolean isDone() {
        return done;
    }
}
