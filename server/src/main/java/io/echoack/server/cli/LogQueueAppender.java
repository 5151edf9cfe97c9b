package io.echoack.server.cli;

import ch.qos.logback.classic.AsyncAppender;
import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.LoggerContext;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.classic.spi.LoggingEvent;
import io.netty.util.concurrent.FastThreadLocalThread;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.LockSupport;

/**
 * Queues log lines for one writer thread, so that an output that does not keep up (a full stderr pipe, a
 * stalled log collector) never stalls an event loop. Logback's {@link AsyncAppender} with {@code neverBlock}
 * drops silently when its queue is full; this one counts what it drops and queues a WARN line with the count
 * as soon as there is room again (or when it stops).
 *
 * <p>Event-loop threads (Netty's {@link FastThreadLocalThread}s) never wait: on a full queue their line is
 * dropped. Any other thread (the main thread at startup and shutdown, the limit-warnings thread) waits up to
 * {@link #ROOM_WAIT_MILLIS} for room first, so lifecycle lines survive a burst. No line is dropped by level
 * before the queue is full.
 */
final class LogQueueAppender extends AsyncAppender {

    /** Lines the queue holds before dropping. */
    static final int QUEUE_LINES = 4096;
    /** How long a thread that is not an event loop waits for room, and stopping waits for the queue to drain. */
    static final int ROOM_WAIT_MILLIS = 1000;

    private long unreported; // guarded by this
    private long dropped; // guarded by this

    LogQueueAppender(int queueLines) {
        setQueueSize(queueLines);
        setNeverBlock(true);
        setDiscardingThreshold(0);
        setMaxFlushTime(ROOM_WAIT_MILLIS);
    }

    @Override
    protected void append(ILoggingEvent event) {
        if (!(Thread.currentThread() instanceof FastThreadLocalThread)) {
            awaitRoom(); // for this line and a report of dropped lines before it
        }
        // Producers take turns, so a queue with room keeps it until the offer: only the writer takes from it.
        synchronized (this) {
            reportDropped();
            if (getRemainingCapacity() == 0) {
                unreported++;
                dropped++;
                return;
            }
            super.append(event);
        }
    }

    /** Lines dropped since start, reported or not. */
    synchronized long dropped() {
        return dropped;
    }

    @Override
    public void stop() {
        if (!isStarted()) {
            return;
        }
        awaitRoom();
        synchronized (this) {
            reportDropped();
        }
        super.stop();
    }

    /** Queues the WARN line for lines dropped since the last one, if any were and there is room for it. */
    private void reportDropped() {
        if (unreported > 0 && getRemainingCapacity() > 1) {
            Logger logger = ((LoggerContext) getContext()).getLogger(Logging.class);
            super.append(new LoggingEvent(Logger.class.getName(), logger, Level.WARN,
                    "dropped {} log lines: the log output did not keep up", null, new Object[] {unreported}));
            unreported = 0;
        }
    }

    /** Waits (up to {@link #ROOM_WAIT_MILLIS}) for room for two lines: a report of dropped lines and one more. */
    private void awaitRoom() {
        long deadline = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(ROOM_WAIT_MILLIS);
        while (isStarted() && getRemainingCapacity() < 2 && System.nanoTime() - deadline < 0) {
            LockSupport.parkNanos(TimeUnit.MILLISECONDS.toNanos(1));
        }
    }
}
