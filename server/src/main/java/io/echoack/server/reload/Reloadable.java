package io.echoack.server.reload;

import io.echoack.server.config.ServerConfig;
import java.util.List;
import java.util.Set;

/**
 * One part of a running server that a new configuration can change without rebinding a listener: it owns some
 * of {@link ServerConfig}'s fields, and swaps the values it serves from (an immutable value behind an atomic
 * reference, read once per connection) so that no event loop ever waits for a reload. Every field no part owns
 * needs a restart ({@link ConfigReload}).
 */
public interface Reloadable {

    /** The {@link ServerConfig} fields this part applies; a change to any other field needs a restart. */
    Set<String> fields();

    /**
     * Applies {@code next} where it differs from {@code old} (or where the files it names changed: a certificate
     * rotated under the same path).
     *
     * @return what changed, one line each; empty when nothing did
     * @throws ReloadException when {@code next} cannot be applied; the part then keeps serving {@code old}
     */
    List<String> apply(ServerConfig old, ServerConfig next) throws ReloadException;

    /** {@code current} with this part's fields taken from {@code next}: what the server runs after applying it. */
    ServerConfig carry(ServerConfig current, ServerConfig next);
}
