package io.echoack.server.reload;

import io.echoack.server.access.SourceFilter;
import io.echoack.server.config.ServerConfig;
import io.echoack.server.live.LiveSetting;
import java.util.List;
import java.util.Objects;
import java.util.Set;

/**
 * {@code --allow}: the new ranges judge every stream connection accepted after the reload and every datagram
 * received after it. A stream connection is judged once, when it arrives: one accepted before stays open even if
 * its source is outside the new ranges (a reload never drops a connection; a restart, or its own end, does).
 */
public final class AllowReload implements Reloadable {

    private final LiveSetting<SourceFilter> allow;

    /** @param allow the ranges every TCP, TLS and UDP listener reads */
    public AllowReload(LiveSetting<SourceFilter> allow) {
        this.allow = Objects.requireNonNull(allow, "allow");
    }

    @Override
    public Set<String> fields() {
        return Set.of("allow");
    }

    @Override
    public List<String> apply(ServerConfig old, ServerConfig next) {
        if (old.allow().ranges().equals(next.allow().ranges())) {
            return List.of();
        }
        allow.replace(next.allow());
        return List.of("allow: " + describe(old.allow()) + " -> " + describe(next.allow()));
    }

    private static String describe(SourceFilter filter) {
        return filter.allowsAll() ? "everyone" : filter.ranges().toString();
    }

    @Override
    public ServerConfig carry(ServerConfig current, ServerConfig next) {
        return current.toBuilder().allow(next.allow()).build();
    }
}
