package io.echoack.server.reload;

import io.echoack.server.config.ServerConfig;
import io.echoack.server.limits.ReflectionGuardSettings;
import io.echoack.server.live.LiveSetting;
import java.util.List;
import java.util.Objects;
import java.util.Set;

/**
 * The UDP reflection guard ({@code --[no-]udp-guard}, {@code --udp-rate}, {@code --udp-burst},
 * {@code --udp-allow-port}): the new settings judge the next datagram on every UDP listener. What each source has
 * left of its budgets carries over (a forger gains nothing from a reload): new rates refill them from then on, and
 * lowered bursts cap them at once. The number of sources the guard remembers sizes its tables at startup: changing
 * it needs a restart (refused, and nothing of the guard changes).
 */
public final class UdpGuardReload implements Reloadable {

    private final LiveSetting<ReflectionGuardSettings> guard;

    /** @param guard the settings every UDP listener's guard reads */
    public UdpGuardReload(LiveSetting<ReflectionGuardSettings> guard) {
        this.guard = Objects.requireNonNull(guard, "guard");
    }

    @Override
    public Set<String> fields() {
        return Set.of("udpGuard");
    }

    @Override
    public List<String> apply(ServerConfig old, ServerConfig next) throws ReloadException {
        ReflectionGuardSettings was = old.udpGuard();
        ReflectionGuardSettings now = next.udpGuard();
        if (was.equals(now)) {
            return List.of();
        }
        if (was.maxSources() != now.maxSources()) {
            throw new ReloadException(Changes.line("udpGuard", "maxSources", was.maxSources(), now.maxSources())
                    + " needs a restart (the guard's tables are sized at startup); the guard is unchanged", null);
        }
        guard.replace(now);
        return Changes.of("udpGuard", was, now);
    }

    @Override
    public ServerConfig carry(ServerConfig current, ServerConfig next) {
        return current.toBuilder().udpGuard(next.udpGuard()).build();
    }
}
