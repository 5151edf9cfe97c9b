package io.echoack.server.rollout;

import java.time.Duration;
import java.util.Objects;

/**
 * The delays around readiness that a rollout needs: {@code --start-delay} and {@code --drain-delay}. Both are
 * {@link Duration#ZERO} by default, which is exactly the behaviour without them.
 *
 * @param startDelay how long the server stays not-ready after every listener is bound: it accepts and answers
 *                   meanwhile, but {@code /readyz} says 503 (to see what a slow start does to a rollout)
 * @param drainDelay after SIGTERM, how long the server keeps accepting and answering while already not-ready,
 *                   before it drains: a load balancer or Kubernetes, which take a backend out of rotation only
 *                   some time after it stops being ready (or after SIGTERM was sent), then sends it nothing
 *                   more before it stops listening
 */
public record RolloutDelays(Duration startDelay, Duration drainDelay) {

    /** The longest delay accepted: 1 h. */
    public static final Duration MAX_DELAY = Duration.ofHours(1);

    public RolloutDelays {
        check(startDelay, "startDelay");
        check(drainDelay, "drainDelay");
    }

    /** No delay either way. */
    public static RolloutDelays none() {
        return new RolloutDelays(Duration.ZERO, Duration.ZERO);
    }

    public RolloutDelays withStartDelay(Duration newStartDelay) {
        return new RolloutDelays(newStartDelay, drainDelay);
    }

    public RolloutDelays withDrainDelay(Duration newDrainDelay) {
        return new RolloutDelays(startDelay, newDrainDelay);
    }

    private static void check(Duration d, String field) {
        Objects.requireNonNull(d, field);
        if (d.isNegative() || d.compareTo(MAX_DELAY) > 0) {
            throw new IllegalArgumentException(field + " must be 0s.." + MAX_DELAY.toHours() + "h, was " + d);
        }
    }
}
