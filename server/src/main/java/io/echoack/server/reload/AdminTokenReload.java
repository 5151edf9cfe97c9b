package io.echoack.server.reload;

import io.echoack.server.admin.AdminAccess;
import io.echoack.server.admin.AdminToken;
import io.echoack.server.config.ServerConfig;
import io.echoack.server.startup.ServerStartException;
import java.util.List;
import java.util.Objects;
import java.util.Set;

/**
 * The admin endpoint's bearer token: its file is read again on every reload, so a rotated secret is picked up
 * without a restart; a file that cannot be read, or holds no acceptable token, leaves the token in force.
 * Turning control on or off needs a restart (it is refused as a failure, and the running state kept).
 */
public final class AdminTokenReload implements Reloadable {

    private final AdminAccess access;

    public AdminTokenReload(AdminAccess access) {
        this.access = Objects.requireNonNull(access, "access");
    }

    @Override
    public Set<String> fields() {
        return Set.of("adminControl");
    }

    @Override
    public List<String> apply(ServerConfig old, ServerConfig next) throws ReloadException {
        if (old.adminControl().enabled() != next.adminControl().enabled()) {
            throw new ReloadException("adminControl: turning control " + (next.adminControl().enabled() ? "on" : "off")
                    + " needs a restart", null);
        }
        if (!next.adminControl().enabled()) {
            return List.of();
        }
        AdminToken token;
        try {
            token = AdminToken.read(next.adminControl().tokenFile().orElseThrow());
        } catch (ServerStartException e) {
            throw new ReloadException(e.getMessage() + "; the admin token in force is kept", e);
        }
        return access.replaceToken(token) ? List.of("adminControl: a new bearer token from "
                + next.adminControl().tokenFile().orElseThrow()) : List.of();
    }

    @Override
    public ServerConfig carry(ServerConfig current, ServerConfig next) {
        return current.toBuilder().adminControl(next.adminControl()).build();
    }
}
