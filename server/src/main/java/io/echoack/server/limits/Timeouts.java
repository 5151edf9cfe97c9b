package io.echoack.server.limits;

import java.time.Duration;
import java.util.Objects;

/**
 * How long a stream connection may stall before the server closes it: {@code --idle-timeout} and
 * {@code --frame-timeout}. {@link Duration#ZERO} turns either off. See {@link TimeoutHandler}.
 *
 * @param idleTimeout  how long a connection may go without a byte from the peer (while no reply is making
 *                     progress either) before it is closed
 * @param frameTimeout how long a message, once its first byte arrived, may stay incomplete before the
 *                     connection is closed; cuts a slowloris peer that keeps a connection busy by sending
 *                     one byte every few seconds and never finishing a message (which an idle timeout
 *                     alone never catches). Raw framing has no incomplete messages.
 */
public record Timeouts(Duration idleTimeout, Duration frameTimeout) {

    /** 300 s: well beyond any pause of a live client, short enough to reclaim dead ones. */
    public static final Duration DEFAULT_IDLE_TIMEOUT = Duration.ofSeconds(300);
    /**
     * 30 s: a message of up to the 64 KiB default arrives in well under a second from any client that
     * means to send it, and a person typing a line in a character-at-a-time terminal finishes it well
     * within 30 s; a slowloris peer is cut within 30 s of starting a message instead of holding its
     * connection (and a connection slot) forever. Like Apache's mod_reqtimeout request-header default
     * (20-40 s).
     */
    public static final Duration DEFAULT_FRAME_TIMEOUT = Duration.ofSeconds(30);
    /** The value that turns a timeout off. */
    public static final Duration DISABLED = Duration.ZERO;
    /** The longest timeout accepted: 24 h. */
    public static final Duration MAX_TIMEOUT = Duration.ofHours(24);

    public Timeouts {
        check(idleTimeout, "idleTimeout");
        check(frameTimeout, "frameTimeout");
    }

    private static void check(Duration d, String field) {
        Objects.requireNonNull(d, field);
        if (d.isNegative() || d.compareTo(MAX_TIMEOUT) > 0 || (!d.isZero() && d.toMillis() == 0)) {
            throw new IllegalArgumentException(field + " must be 0 (off) or 1ms.." + MAX_TIMEOUT.toHours()
                    + "h, was " + d);
        }
    }

    /** {@link #DEFAULT_IDLE_TIMEOUT} and {@link #DEFAULT_FRAME_TIMEOUT}. */
    public static Timeouts defaults() {
        return new Timeouts(DEFAULT_IDLE_TIMEOUT, DEFAULT_FRAME_TIMEOUT);
    }

    /** Both off. */
    public static Timeouts none() {
        return new Timeouts(DISABLED, DISABLED);
    }

    /** True when neither timeout is on (then no {@link TimeoutHandler} is needed). */
    public boolean disabled() {
        return idleTimeout.isZero() && frameTimeout.isZero();
    }
}
