package io.echoack.server.reload;

import io.echoack.server.config.ServerConfig;
import io.echoack.server.limits.ConnectionCounter;
import java.util.List;
import java.util.Objects;
import java.util.Set;

/**
 * {@code --max-connections} and {@code --max-connections-per-ip}: a new limit judges the connections that arrive
 * after the reload, counted against every connection open (those from before included). A lowered limit closes
 * nothing: new connections are refused until the count is below it; a raised one admits them at once.
 */
public final class ConnectionLimitsReload implements Reloadable {

    private final ConnectionCounter counter;

    /** @param counter the server's connection counter, whose limits every stream listener applies */
    public ConnectionLimitsReload(ConnectionCounter counter) {
        this.counter = Objects.requireNonNull(counter, "counter");
    }

    @Override
    public Set<String> fields() {
        return Set.of("limits");
    }

    @Override
    public List<String> apply(ServerConfig old, ServerConfig next) {
        if (old.limits().equals(next.limits())) {
            return List.of();
        }
        counter.replaceLimits(next.limits());
        return Changes.of("limits", old.limits(), next.limits());
    }

    @Override
    public ServerConfig carry(ServerConfig current, ServerConfig next) {
        return current.toBuilder().limits(next.limits()).build();
    }
}
