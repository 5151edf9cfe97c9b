package io.echoack.server.limits;

import io.echoack.server.address.IpAddresses;
import java.net.InetAddress;
import java.util.Objects;
import java.util.concurrent.atomic.LongAdder;
import java.util.function.Supplier;
import org.slf4j.Logger;

/**
 * Counts what one limit refuses on one listener, for the WARN line that {@link RefusalWarnings} writes
 * about it at most once per interval. {@link #record} is all a refusal costs on the event loop: a counter
 * increment and a look at the source address, no lock, no allocation, no logging. Thread-safe.
 */
public final class RefusalCounter {

    private final Logger logger;
    private final String listener;
    private final String verb;
    private final String noun;
    private final Supplier<String> cause;
    private final LongAdder count = new LongAdder();
    /** The first source seen since the last line, or null. */
    private volatile InetAddress source;
    /** Whether another source was seen since the last line. */
    private volatile boolean otherSources;

    // The state of the line, touched by the reporting thread only.
    private boolean reported;
    private long lastLine;
    private long windowStart;

    RefusalCounter(Logger logger, String listener, String verb, String noun, Supplier<String> cause, long now) {
        this.logger = Objects.requireNonNull(logger, "logger");
        this.listener = Objects.requireNonNull(listener, "listener");
        this.verb = Objects.requireNonNull(verb, "verb");
        this.noun = Objects.requireNonNull(noun, "noun");
        this.cause = Objects.requireNonNull(cause, "cause");
        this.windowStart = now;
    }

    /**
     * Counts one refusal; called on the event loop that refused.
     *
     * @param from the refused peer's address, or null when it has none (a Unix socket client)
     */
    public void record(InetAddress from) {
        count.increment();
        if (from != null) {
            InetAddress first = source;
            if (first == null) {
                source = from;
            } else if (!otherSources && !first.equals(from)) {
                otherSources = true;
            }
        }
    }

    /** Refusals counted and not yet reported. */
    long pending() {
        return count.sum();
    }

    String listener() {
        return listener;
    }

    Logger logger() {
        return logger;
    }

    /**
     * The line due at {@code now}, or null: none when nothing was refused since the last line, or the last
     * line is less than {@code intervalNanos} old (unless {@code flush}, at shutdown). Takes the count.
     *
     * @param shownAs the listener's endpoint as the line shows it
     */
    String line(long now, long intervalNanos, boolean flush, String shownAs) {
        if (reported && now - lastLine < intervalNanos && !flush) {
            return null; // too soon: keep counting
        }
        long n = count.sumThenReset();
        if (n == 0) {
            windowStart = now; // nothing refused up to now: the next line counts from here
            return null;
        }
        InetAddress from = source;
        boolean others = otherSources;
        source = null;
        otherSources = false;
        long seconds = Math.max(1, Math.round((now - windowStart) / 1e9));
        reported = true;
        lastLine = now;
        windowStart = now;
        StringBuilder line = new StringBuilder(160).append(verb).append(' ').append(n).append(' ').append(noun);
        if (n != 1) {
            line.append('s');
        }
        if (from != null) {
            line.append(" from ").append(IpAddresses.unmap(from).getHostAddress());
            if (others) {
                line.append(" and other addresses");
            }
        }
        return line.append(" on ").append(shownAs).append(" in the last ").append(seconds).append("s: ")
                .append(cause.get()).toString();
    }
}
