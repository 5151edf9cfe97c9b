package io.echoack.server.access;

import io.echoack.server.address.IpAddresses;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.SocketAddress;
import java.util.ArrayList;
import java.util.Collection;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Objects;

/**
 * The {@code --allow CIDR} list: which source addresses may use TCP and UDP endpoints. An empty list allows
 * everyone (the default); otherwise a source must lie in at least one range. TCP connections from elsewhere
 * are closed at accept ({@link SourceFilterHandler}), datagrams from elsewhere are dropped unanswered
 * ({@link #allows(SocketAddress)} in the datagram handler); both count as {@code not_allowed}.
 *
 * <p>Addresses without an IP (Unix-domain peers) are always allowed: file permissions govern those.
 * IPv4-mapped IPv6 sources match IPv4 ranges (see {@link Cidr}). Immutable and thread-safe; a check
 * scans the ranges of the source's family (meant for tens of ranges) and allocates nothing beyond the
 * JDK's copy of the address bytes.
 */
public final class SourceFilter {

    /** Allows every source. */
    public static final SourceFilter ALLOW_ALL = new SourceFilter(List.of());

    private final List<Cidr> ranges;
    private final long[] v4Network;
    private final long[] v4Mask;
    private final long[] v6NetworkHi;
    private final long[] v6NetworkLo;
    private final long[] v6MaskHi;
    private final long[] v6MaskLo;

    /** @param ranges the allowed ranges; empty allows every source; duplicates are dropped */
    public SourceFilter(Collection<Cidr> ranges) {
        this.ranges = List.copyOf(new LinkedHashSet<>(Objects.requireNonNull(ranges, "ranges")));
        List<Cidr> v4 = this.ranges.stream().filter(Cidr::isIpv4).toList();
        List<Cidr> v6 = this.ranges.stream().filter(c -> !c.isIpv4()).toList();
        v4Network = v4.stream().mapToLong(Cidr::lo).toArray();
        v4Mask = v4.stream().mapToLong(Cidr::maskLo).toArray();
        v6NetworkHi = v6.stream().mapToLong(Cidr::hi).toArray();
        v6NetworkLo = v6.stream().mapToLong(Cidr::lo).toArray();
        v6MaskHi = v6.stream().mapToLong(Cidr::maskHi).toArray();
        v6MaskLo = v6.stream().mapToLong(Cidr::maskLo).toArray();
    }

    /**
     * Parses each of {@code cidrs} with {@link Cidr#parse}.
     *
     * @throws IllegalArgumentException for the first invalid one, quoting it
     */
    public static SourceFilter parse(Collection<String> cidrs) {
        List<Cidr> parsed = new ArrayList<>(cidrs.size());
        for (String c : cidrs) {
            parsed.add(Cidr.parse(c));
        }
        return new SourceFilter(parsed);
    }

    /** The allowed ranges, in the order given; empty when everyone is allowed. */
    public List<Cidr> ranges() {
        return ranges;
    }

    /** True when there is no restriction. */
    public boolean allowsAll() {
        return ranges.isEmpty();
    }

    /** True when {@code address} may use the server. */
    public boolean allows(InetAddress address) {
        if (ranges.isEmpty()) {
            return true;
        }
        byte[] bytes = address.getAddress();
        if (bytes.length == 4 || IpAddresses.isIpv4Mapped(bytes)) {
            long v = IpAddresses.ipv4Bits(bytes) & 0xffff_ffffL;
            for (int i = 0; i < v4Network.length; i++) {
                if ((v & v4Mask[i]) == v4Network[i]) {
                    return true;
                }
            }
            return false;
        }
        long hi = IpAddresses.longAt(bytes, 0);
        long lo = IpAddresses.longAt(bytes, 8);
        for (int i = 0; i < v6NetworkHi.length; i++) {
            if ((hi & v6MaskHi[i]) == v6NetworkHi[i] && (lo & v6MaskLo[i]) == v6NetworkLo[i]) {
                return true;
            }
        }
        return false;
    }

    /**
     * True when a peer at {@code source} may use the server: its IP is allowed, or it has none (Unix
     * sockets). An unresolved address (never produced by a socket) is refused when there is a restriction.
     */
    public boolean allows(SocketAddress source) {
        if (ranges.isEmpty() || !(source instanceof InetSocketAddress inet)) {
            return true;
        }
        InetAddress address = inet.getAddress();
        return address != null && allows(address);
    }

    @Override
    public String toString() {
        return ranges.isEmpty() ? "allow all" : "allow " + ranges;
    }
}
