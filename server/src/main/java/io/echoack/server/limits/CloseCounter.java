package io.echoack.server.limits;

import io.netty.channel.Channel;
import java.util.concurrent.atomic.LongAdder;

/**
 * A {@link CloseListener} that counts by reason: the simplest way to expose the limits' work, and what the
 * tests use. Thread-safe; counting never allocates.
 */
public final class CloseCounter implements CloseListener {

    private final LongAdder[] counts = new LongAdder[CloseReason.values().length];

    public CloseCounter() {
        for (int i = 0; i < counts.length; i++) {
            counts[i] = new LongAdder();
        }
    }

    @Override
    public void closing(CloseReason reason, Channel channel) {
        counts[reason.ordinal()].increment();
    }

    /** Connections closed for {@code reason} so far. */
    public long count(CloseReason reason) {
        return counts[reason.ordinal()].sum();
    }

    /** Connections closed for any reason so far. */
    public long total() {
        long sum = 0;
        for (LongAdder count : counts) {
            sum += count.sum();
        }
        return sum;
    }
}
