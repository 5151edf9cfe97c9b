package io.echoack.server.identity;

import io.echoack.common.transport.Transport;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Objects;

/**
 * Who answers, for every {@code info} reply of one server: resolved once at startup (the host name is looked up
 * here, never on an event loop) and then only read.
 *
 * @param host      the host name: {@code --identity host=...}, else the machine's ({@link HostName#local()})
 * @param pairs     the other {@code --identity} pairs, in the order given ({@code host} removed)
 * @param transport the Netty transport in use, e.g. {@code epoll}
 * @param version   the server's version, e.g. {@code 0.1.0}
 */
public record Identity(String host, IdentityPairs pairs, String transport, String version) {

    public Identity {
        Objects.requireNonNull(host, "host");
        Objects.requireNonNull(pairs, "pairs");
        Objects.requireNonNull(transport, "transport");
        Objects.requireNonNull(version, "version");
        if (pairs.pairs().containsKey(InfoKeys.HOST)) {
            throw new IllegalArgumentException("the host is given on its own, not among the pairs");
        }
    }

    /** The identity of a server configured with {@code pairs}, running on {@code transport}. Blocks (host name). */
    public static Identity resolve(IdentityPairs pairs, Transport transport) {
        return of(pairs, transport.id(), serverVersion());
    }

    /**
     * The same server configured with other {@code pairs} (a reload): the host name from their {@code host=}, or
     * the machine's, read again. Blocks (host name): never on an event loop.
     */
    public Identity withPairs(IdentityPairs pairs) {
        return of(pairs, transport, version);
    }

    private static Identity of(IdentityPairs pairs, String transport, String version) {
        String host = pairs.get(InfoKeys.HOST);
        Map<String, String> rest = new LinkedHashMap<>(pairs.pairs());
        rest.remove(InfoKeys.HOST);
        return new Identity(host != null ? host : HostName.local(), new IdentityPairs(rest), transport, version);
    }

    /** The version in the server jar's manifest, or {@code development} when run from classes (tests, IDE). */
    public static String serverVersion() {
        String version = Identity.class.getPackage().getImplementationVersion();
        return version == null ? "development" : version;
    }
}
