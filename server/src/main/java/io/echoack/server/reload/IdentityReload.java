package io.echoack.server.reload;

import io.echoack.server.config.ServerConfig;
import io.echoack.server.identity.Identity;
import io.echoack.server.live.LiveSetting;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;

/**
 * {@code --identity}: the next {@code info} reply of every listener shows the new pairs, on connections already
 * open too. Without a {@code host=} pair the host is the machine's name, read again here (on the reload thread,
 * never an event loop).
 */
public final class IdentityReload implements Reloadable {

    private static final String NONE = "(none)";

    private final LiveSetting<Identity> identity;

    /** @param identity who the server is, as every listener's info replies read it */
    public IdentityReload(LiveSetting<Identity> identity) {
        this.identity = Objects.requireNonNull(identity, "identity");
    }

    @Override
    public Set<String> fields() {
        return Set.of("identity");
    }

    @Override
    public List<String> apply(ServerConfig old, ServerConfig next) {
        Map<String, String> was = old.identity().pairs();
        Map<String, String> now = next.identity().pairs();
        if (List.copyOf(was.entrySet()).equals(List.copyOf(now.entrySet()))) {
            return List.of(); // the same pairs in the same order
        }
        identity.replace(identity.get().withPairs(next.identity()));
        List<String> lines = new ArrayList<>();
        Set<String> keys = new LinkedHashSet<>(was.keySet());
        keys.addAll(now.keySet());
        for (String key : keys) {
            if (!Objects.equals(was.get(key), now.get(key))) {
                lines.add(Changes.line("identity", key, or(was.get(key)), or(now.get(key))));
            }
        }
        if (lines.isEmpty()) {
            lines.add(Changes.line("identity", "order", String.join(",", was.keySet()),
                    String.join(",", now.keySet())));
        }
        return lines;
    }

    private static String or(String value) {
        return value == null ? NONE : "'" + value + "'";
    }

    @Override
    public ServerConfig carry(ServerConfig current, ServerConfig next) {
        return current.toBuilder().identity(next.identity()).build();
    }
}
