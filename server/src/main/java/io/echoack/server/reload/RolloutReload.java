package io.echoack.server.reload;

import io.echoack.server.config.ServerConfig;
import io.echoack.server.rollout.ReadinessTimeline;
import io.echoack.server.rollout.RolloutDelays;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.Set;

/**
 * {@code --drain-delay} and {@code --start-delay}. A new drain delay is the one the next SIGTERM waits (a drain
 * delay already under way keeps its own). A start delay counts from startup: a new one applies while the server is
 * still starting (not yet ready), and once it is ready has no effect (logged as such, not refused: the file may
 * well say what the next start is to do).
 */
public final class RolloutReload implements Reloadable {

    private final ReadinessTimeline timeline;

    /** @param timeline the server's readiness timeline */
    public RolloutReload(ReadinessTimeline timeline) {
        this.timeline = Objects.requireNonNull(timeline, "timeline");
    }

    @Override
    public Set<String> fields() {
        return Set.of("rollout");
    }

    @Override
    public List<String> apply(ServerConfig old, ServerConfig next) {
        RolloutDelays was = old.rollout();
        RolloutDelays now = next.rollout();
        if (was.equals(now)) {
            return List.of();
        }
        boolean starting = timeline.replaceDelays(now);
        List<String> lines = new ArrayList<>();
        if (!was.drainDelay().equals(now.drainDelay())) {
            lines.add(Changes.line("rollout", "drainDelay", was.drainDelay(), now.drainDelay())
                    + " (from the next stop request)");
        }
        if (!was.startDelay().equals(now.startDelay())) {
            lines.add(Changes.line("rollout", "startDelay", was.startDelay(), now.startDelay())
                    + (starting ? " (counted from the start: the server is still starting)"
                    : ": no effect, the server is past its start (it applies at the next start)"));
        }
        return lines;
    }

    @Override
    public ServerConfig carry(ServerConfig current, ServerConfig next) {
        return current.toBuilder().rollout(next.rollout()).build();
    }
}
