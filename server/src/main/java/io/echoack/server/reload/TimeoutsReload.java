package io.echoack.server.reload;

import io.echoack.server.config.ServerConfig;
import io.echoack.server.limits.Timeouts;
import io.echoack.server.live.LiveSetting;
import java.util.List;
import java.util.Objects;
import java.util.Set;

/**
 * {@code --idle-timeout} and {@code --frame-timeout}: a new timeout applies from the next check (within a second)
 * to every stream connection that has a timeout, measured from its last activity, so a lowered idle timeout
 * closes, at that check, connections already idle longer than it. Connections accepted while both timeouts were
 * off have none and get none; those accepted after the reload get the new ones.
 */
public final class TimeoutsReload implements Reloadable {

    private final LiveSetting<Timeouts> timeouts;

    /** @param timeouts the timeouts every stream listener reads */
    public TimeoutsReload(LiveSetting<Timeouts> timeouts) {
        this.timeouts = Objects.requireNonNull(timeouts, "timeouts");
    }

    @Override
    public Set<String> fields() {
        return Set.of("timeouts");
    }

    @Override
    public List<String> apply(ServerConfig old, ServerConfig next) {
        if (old.timeouts().equals(next.timeouts())) {
            return List.of();
        }
        timeouts.replace(next.timeouts());
        return Changes.of("timeouts", old.timeouts(), next.timeouts());
    }

    @Override
    public ServerConfig carry(ServerConfig current, ServerConfig next) {
        return current.toBuilder().timeouts(next.timeouts()).build();
    }
}
