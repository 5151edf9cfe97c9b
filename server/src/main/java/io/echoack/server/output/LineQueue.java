package io.echoack.server.output;

import java.io.PrintStream;
import java.time.Duration;
import java.util.Objects;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Lines for an output (standard output), queued for one writer thread of their own, so that an output that
 * does not keep up (a paused terminal, a pipe nobody reads) never holds up an event loop: {@link #offer} never
 * waits, and says false when the queue is full; the caller counts what it could not queue. Everything the server
 * prints on standard output goes through one queue, so that its lines keep the order they happened in (a
 * connection's messages, then its connection log line).
 *
 * <p>A {@link Line} is made into text on the writer thread: an event loop hands over the values, and the
 * formatting is paid off it. Thread-safe.
 */
public final class LineQueue implements AutoCloseable {

    /** Lines waiting for the writer; past this many, new lines are refused. */
    public static final int DEFAULT_CAPACITY = 65_536;
    /** How long {@link #close()} waits for the writer to take what is queued. */
    static final Duration CLOSE_WAIT = Duration.ofSeconds(1);

    private static final Logger log = LoggerFactory.getLogger(LineQueue.class);

    /** A line whose text is made by the writer thread, when it is written. */
    @FunctionalInterface
    public interface Line {
        /** The line, without a line end; null writes nothing. */
        String text();
    }

    private static final Line STOP = () -> null;

    private final BlockingQueue<Object> queue;
    private final PrintStream out;
    private final Thread writer;
    private boolean formatFailed; // writer thread only

    /** A queue of {@link #DEFAULT_CAPACITY} lines to {@code out}, with its writer started. */
    public LineQueue(PrintStream out) {
        this(out, DEFAULT_CAPACITY);
    }

    /** A queue of {@code capacity} lines to {@code out}, with its writer started. */
    public LineQueue(PrintStream out, int capacity) {
        this.out = Objects.requireNonNull(out, "out");
        this.queue = new ArrayBlockingQueue<>(capacity);
        this.writer = new Thread(this::writeLoop, "echoack-stdout");
        this.writer.setDaemon(true);
        this.writer.start();
    }

    /** Queues {@code line}; never waits. False when the queue is full: the line is not written. */
    public boolean offer(String line) {
        return queue.offer(line);
    }

    /** Queues {@code line}, to be made into text by the writer; never waits. False when the queue is full. */
    public boolean offer(Line line) {
        return queue.offer(line);
    }

    /**
     * Queues {@code line}, waiting up to {@code wait} for room: for threads that may wait (never an event loop),
     * e.g. a last line at shutdown. False when there was no room in time.
     */
    public boolean offer(String line, Duration wait) {
        try {
            return queue.offer(line, wait.toNanos(), TimeUnit.NANOSECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return false;
        }
    }

    private void writeLoop() {
        try {
            while (true) {
                Object next = queue.take();
                if (next == STOP) {
                    break;
                }
                String text = next instanceof Line line ? format(line) : (String) next;
                if (text != null) {
                    out.println(text);
                }
                if (queue.isEmpty()) {
                    out.flush();
                }
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        out.flush();
    }

    /** The line's text; a line that fails to format is left out (and said once, at ERROR: it is a bug). */
    private String format(Line line) {
        try {
            return line.text();
        } catch (RuntimeException e) {
            if (!formatFailed) {
                formatFailed = true;
                log.error("a line could not be formatted and was left out (further ones are left out silently)", e);
            }
            return null;
        }
    }

    /** Writes out what is queued (waiting at most {@link #CLOSE_WAIT}), then stops the writer. Idempotent. */
    @Override
    public void close() {
        try {
            if (writer.isAlive() && queue.offer(STOP, CLOSE_WAIT.toMillis(), TimeUnit.MILLISECONDS)) {
                writer.join(CLOSE_WAIT.toMillis());
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        out.flush();
    }
}
