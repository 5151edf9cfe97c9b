package io.echoack.server.proxy.header;

import io.echoack.common.endpoint.EndpointKind;
import io.echoack.server.access.Cidr;
import io.echoack.server.access.SourceFilter;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.SocketAddress;
import java.util.ArrayList;
import java.util.Collection;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Objects;

/**
 * The peers whose PROXY protocol headers are believed ({@code --trusted-proxy}): address ranges for TCP and TLS
 * listeners, and, only when said so with the word {@code unix}, every peer of a Unix-socket listener (a Unix
 * peer has no address to check; who may connect at all is the socket file's permissions). A header says who
 * the client is; believed from anyone, it would let any client claim any address past {@code --allow} and the
 * per-address limits, so a header from anyone else closes the connection. Immutable and thread-safe.
 */
public final class TrustedProxies {

    /** The word that trusts Unix-socket peers. */
    public static final String UNIX = "unix";

    /** Trusts nobody: the default. */
    public static final TrustedProxies NONE = new TrustedProxies(List.of(), false);

    private final List<Cidr> ranges;
    private final boolean unix;
    private final SourceFilter filter;

    /**
     * @param ranges the trusted address ranges (duplicates dropped, order kept)
     * @param unix   whether every peer of a Unix-socket listener is trusted
     */
    public TrustedProxies(Collection<Cidr> ranges, boolean unix) {
        this.ranges = List.copyOf(new LinkedHashSet<>(Objects.requireNonNull(ranges, "ranges")));
        this.unix = unix;
        this.filter = new SourceFilter(this.ranges);
    }

    /**
     * Reads {@code --trusted-proxy} values: each a CIDR range ({@code 10.0.0.0/8}, {@code 2001:db8::/32}, or one
     * address) or the word {@code unix}.
     *
     * @throws IllegalArgumentException for the first invalid entry, quoting it
     */
    public static TrustedProxies parse(Collection<String> entries) {
        List<Cidr> ranges = new ArrayList<>();
        boolean unix = false;
        for (String entry : entries) {
            if (entry.trim().toLowerCase(Locale.ROOT).equals(UNIX)) {
                unix = true;
                continue;
            }
            try {
                ranges.add(Cidr.parse(entry));
            } catch (IllegalArgumentException e) {
                throw new IllegalArgumentException(e.getMessage() + " (or " + UNIX + ", to trust Unix-socket peers)",
                        e);
            }
        }
        return new TrustedProxies(ranges, unix);
    }

    /** The trusted address ranges, in the order given. */
    public List<Cidr> ranges() {
        return ranges;
    }

    /** Whether every peer of a Unix-socket listener is trusted. */
    public boolean unix() {
        return unix;
    }

    /** True when nobody is trusted. */
    public boolean isEmpty() {
        return ranges.isEmpty() && !unix;
    }

    /**
     * Whether a header from the peer at {@code peer} is believed: an IP peer inside a range (IPv4-mapped IPv6
     * peers match IPv4 ranges), or a peer without an IP (a Unix socket's) when {@link #unix()}.
     */
    public boolean trusts(SocketAddress peer) {
        if (peer instanceof InetSocketAddress inet) {
            InetAddress address = inet.getAddress();
            return !ranges.isEmpty() && address != null && filter.allows(address);
        }
        return unix && peer != null;
    }

    /** Whether the peers of a listener of {@code kind} can be trusted at all (a range for IP, the word for Unix). */
    public boolean covers(EndpointKind kind) {
        return kind.isUnixDomain() ? unix : !ranges.isEmpty();
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof TrustedProxies other && ranges.equals(other.ranges) && unix == other.unix;
    }

    @Override
    public int hashCode() {
        return ranges.hashCode() * 31 + Boolean.hashCode(unix);
    }

    @Override
    public String toString() {
        if (isEmpty()) {
            return "trust no proxy";
        }
        List<String> parts = new ArrayList<>();
        ranges.forEach(r -> parts.add(r.toString()));
        if (unix) {
            parts.add(UNIX);
        }
        return "trust proxies " + parts;
    }
}
