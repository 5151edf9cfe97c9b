package io.echoack.server.reload;

import io.echoack.server.config.ServerConfig;
import io.echoack.server.startup.ServerStartException;
import io.echoack.server.tls.ServerTls;
import java.util.List;
import java.util.Objects;
import java.util.Set;

/**
 * The TLS certificate, key, client CA and handshake timeout of the {@code tls://} listeners: the files are read
 * again on every reload, so a certificate rotated under the same path is picked up; connections made before keep
 * theirs. The provider is not part of it (another engine needs other handlers): changing it needs a restart.
 */
public final class TlsReload implements Reloadable {

    private final ServerTls tls;

    public TlsReload(ServerTls tls) {
        this.tls = Objects.requireNonNull(tls, "tls");
    }

    @Override
    public Set<String> fields() {
        return Set.of("tls");
    }

    @Override
    public List<String> apply(ServerConfig old, ServerConfig next) throws ReloadException {
        try {
            return tls.reload(next.tls()).stream().map(change -> "tls: " + change).toList();
        } catch (ServerStartException | IllegalArgumentException e) {
            throw new ReloadException(e.getMessage(), e);
        }
    }

    @Override
    public ServerConfig carry(ServerConfig current, ServerConfig next) {
        return current.toBuilder().tls(next.tls()).build();
    }
}
