package io.echoack.client.net;

import static io.echoack.common.text.FieldMessage.field;

import io.echoack.common.endpoint.Endpoint;
import io.echoack.common.text.FieldMessage;
import io.echoack.common.text.InvalidFieldException;
import io.netty.util.NetUtil;
import java.net.Inet4Address;
import java.net.Inet6Address;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.NetworkInterface;
import java.net.SocketAddress;
import java.net.UnknownHostException;
import java.util.List;
import java.util.Locale;
import java.util.Objects;
import java.util.Optional;

/**
 * A PROXY protocol header that the client sends first on every stream connection, before anything else (on
 * {@code tls://} before the TLS handshake), as HAProxy's {@code send-proxy} and {@code send-proxy-v2} do: so that
 * a server behind a load balancer that speaks the protocol (HAProxy's {@code accept-proxy}, nginx's
 * {@code proxy_protocol}, echoack's {@code ?proxy=}) can be tested without the balancer. Every connection sends
 * its own header; on datagram endpoints there is none (the protocol is for streams).
 *
 * <p>The addresses default to the connection's own: the client's address and port as the source, the server's
 * as the destination, so each connection's header names its own source port. On {@code unix://} there are no IP
 * addresses to default to: give both (the header then carries them, as a balancer forwarding a TCP client to a
 * Unix socket does), or, with v2 only, neither (the header then carries the two socket paths, family
 * {@code AF_UNIX}; the client's path is empty when its socket is not bound to one).
 *
 * @param version     v1 (a text line) or v2 (binary, with TLVs)
 * @param source      the client address the header claims; empty for the connection's own
 * @param destination the server address the header claims; empty for the connection's own
 * @param tlvs        v2 only: the TLVs after the addresses, in this order
 */
public record ProxyHeader(Version version, Optional<InetSocketAddress> source,
                          Optional<InetSocketAddress> destination, List<ProxyTlv> tlvs) {

    /**
     * The most TLV bytes (types and lengths included) a v2 header carries with any address family: its length
     * field is 16 bits, and Unix socket addresses take 216 of them.
     */
    public static final int MAX_TLV_BYTES = 0xFFFF - 216;

    /** The protocol's two versions. */
    public enum Version {
        /** The text line {@code PROXY TCP4 <source> <destination> <source port> <destination port>\r\n}. */
        V1,
        /** The binary header: a 12-byte signature, addresses in binary, then TLVs. */
        V2;

        /** The name used on the command line: {@code v1}, {@code v2}. */
        public String id() {
            return name().toLowerCase(Locale.ROOT);
        }

        /** Parses {@code v1} or {@code v2} (any case; {@code 1} and {@code 2} too). */
        public static Version parse(String text) {
            String t = text.trim().toLowerCase(Locale.ROOT);
            for (Version version : values()) {
                if (version.id().equals(t) || version.id().substring(1).equals(t)) {
                    return version;
                }
            }
            throw new IllegalArgumentException("unknown PROXY protocol version '" + text + "' (expected v1 or v2)");
        }
    }

    /**
     * @throws InvalidFieldException naming the field at fault: TLVs with v1, TLVs too long for one header, or a
     *                               source and a destination of different address families
     */
    public ProxyHeader {
        Objects.requireNonNull(version, "version");
        Objects.requireNonNull(source, "source");
        Objects.requireNonNull(destination, "destination");
        tlvs = List.copyOf(tlvs);
        source.ifPresent(a -> requireIpLiteral(a, "source"));
        destination.ifPresent(a -> requireIpLiteral(a, "destination"));
        if (version == Version.V1 && !tlvs.isEmpty()) {
            throw new InvalidFieldException(FieldMessage.of(field("tlvs"), ": PROXY protocol v1 has no TLVs; use ",
                    field("proxyHeader"), " v2"));
        }
        int tlvBytes = tlvs.stream().mapToInt(ProxyTlv::encodedLength).sum();
        if (tlvBytes > MAX_TLV_BYTES) {
            throw new InvalidFieldException(FieldMessage.of(field("tlvs"), " take " + tlvBytes + " bytes; a v2 "
                    + "header holds at most " + MAX_TLV_BYTES));
        }
        if (source.isPresent() && destination.isPresent()
                && isIpv6(source.get()) != isIpv6(destination.get())) {
            throw new InvalidFieldException(FieldMessage.of(field("source"), " " + format(source.get()) + " is "
                    + family(source.get()) + " but ", field("destination"), " " + format(destination.get()) + " is "
                    + family(destination.get()) + ": a PROXY header carries one address family"));
        }
    }

    /** A header of {@code version} with the connection's own addresses and no TLVs. */
    public static ProxyHeader of(Version version) {
        return new ProxyHeader(version, Optional.empty(), Optional.empty(), List.of());
    }

    /** This header claiming {@code newSource} as the client's address; null for the connection's own. */
    public ProxyHeader withSource(InetSocketAddress newSource) {
        return new ProxyHeader(version, Optional.ofNullable(newSource), destination, tlvs);
    }

    /** This header claiming {@code newDestination} as the server's address; null for the connection's own. */
    public ProxyHeader withDestination(InetSocketAddress newDestination) {
        return new ProxyHeader(version, source, Optional.ofNullable(newDestination), tlvs);
    }

    /** This header with these TLVs (v2 only). */
    public ProxyHeader withTlvs(List<ProxyTlv> newTlvs) {
        return new ProxyHeader(version, source, destination, newTlvs);
    }

    /**
     * Checks that this header can be sent on connections to {@code endpoint}: a stream endpoint, and on
     * {@code unix://} addresses that need no defaults, or v2.
     *
     * @throws InvalidFieldException naming the field at fault, and the endpoint
     */
    public void requireUsableOn(Endpoint endpoint) {
        if (endpoint.kind().isDatagram()) {
            throw new InvalidFieldException(FieldMessage.of(field("proxyHeader"), " works on stream endpoints only "
                    + "(tcp://, tls://, unix://); " + endpoint.address() + " is a datagram endpoint"));
        }
        boolean both = source.isPresent() && destination.isPresent();
        boolean neither = source.isEmpty() && destination.isEmpty();
        if (!endpoint.kind().isUnixDomain() || both || (neither && version == Version.V2)) {
            return;
        }
        if (version == Version.V1) {
            throw new InvalidFieldException(FieldMessage.of(field("proxyHeader"), " v1 on " + endpoint.address()
                    + " needs both ", field("source"), " and ", field("destination"), ": v1 carries IP addresses "
                    + "only, and a Unix socket has none to default to"));
        }
        throw new InvalidFieldException(FieldMessage.of("on " + endpoint.address() + " give both ", field("source"),
                " and ", field("destination"), ", or neither (the header then carries the Unix socket paths): a "
                + "Unix socket has no IP address to default the other to"));
    }

    /**
     * Checks that an address given for one side fits the connection's own on the other: the same family as the
     * {@code server} the connection goes to, when only one of them is given.
     *
     * @param server the resolved address the client connects to; only IP addresses are checked
     * @throws InvalidFieldException naming the given field and the one to add
     */
    public void requireSameFamilyAs(SocketAddress server) {
        if (!(server instanceof InetSocketAddress inet) || inet.getAddress() == null
                || source.isPresent() == destination.isPresent()) {
            return;
        }
        String given = source.isPresent() ? "source" : "destination";
        InetSocketAddress address = source.orElseGet(destination::get);
        if (isIpv6(address) != (unmapped(inet.getAddress()) instanceof Inet6Address)) {
            throw new InvalidFieldException(FieldMessage.of(field(given), " " + format(address) + " is "
                    + family(address) + " but the connection to " + format(inet) + " is " + family(inet) + "; give ",
                    field(source.isPresent() ? "destination" : "source"), " too, of the same family"));
        }
    }

    /**
     * Parses {@code HOST:PORT} where HOST is an IP address, not a name (the header carries addresses):
     * {@code 192.0.2.1:51234}, {@code [2001:db8::1]:443}.
     *
     * @throws IllegalArgumentException quoting {@code text} and saying what is expected
     */
    public static InetSocketAddress parseAddress(String text) {
        String t = text.trim();
        int colon = t.lastIndexOf(':');
        String host = colon < 0 ? "" : t.substring(0, colon);
        String port = colon < 0 ? "" : t.substring(colon + 1);
        if (host.startsWith("[") && host.endsWith("]")) {
            host = host.substring(1, host.length() - 1);
            if (!NetUtil.isValidIpV6Address(host)) {
                host = "";
            }
        } else if (!NetUtil.isValidIpV4Address(host)) {
            host = "";
        }
        if (host.isEmpty() || !port.matches("[0-9]{1,5}") || Integer.parseInt(port) > 0xFFFF) {
            throw new IllegalArgumentException("'" + text + "' is not HOST:PORT with HOST an IP address and PORT "
                    + "0-65535 (e.g. 192.0.2.1:51234 or [2001:db8::1]:443)");
        }
        byte[] bytes = NetUtil.createByteArrayFromIpAddressString(host);
        try {
            // As typed: an IPv4-mapped IPv6 address stays IPv6 (getByAddress would make it IPv4).
            InetAddress address = bytes.length == 4 ? InetAddress.getByAddress(bytes)
                    : Inet6Address.getByAddress(null, bytes, (NetworkInterface) null);
            return new InetSocketAddress(address, Integer.parseInt(port));
        } catch (UnknownHostException e) {
            throw new IllegalStateException(e); // impossible: the bytes come from a valid literal
        }
    }

    /** {@code 192.0.2.1:80}, {@code [2001:db8::1]:443}: an address as {@link #parseAddress} reads it. */
    public static String format(InetSocketAddress address) {
        InetAddress ip = address.getAddress();
        String host = ip == null ? address.getHostString()
                : ip instanceof Inet6Address ? "[" + NetUtil.toAddressString(ip) + "]" : NetUtil.toAddressString(ip);
        return host + ":" + address.getPort();
    }

    /** An IPv4-mapped IPv6 address (as a dual-stack socket reports an IPv4 peer) as the IPv4 address it is. */
    static InetAddress unmapped(InetAddress address) {
        if (address instanceof Inet6Address v6) {
            byte[] b = v6.getAddress();
            boolean mapped = b[10] == (byte) 0xFF && b[11] == (byte) 0xFF;
            for (int i = 0; i < 10 && mapped; i++) {
                mapped = b[i] == 0;
            }
            if (mapped) {
                try {
                    return Inet4Address.getByAddress(new byte[] {b[12], b[13], b[14], b[15]});
                } catch (UnknownHostException e) {
                    throw new IllegalStateException(e); // impossible: four bytes
                }
            }
        }
        return address;
    }

    static boolean isIpv6(InetSocketAddress address) {
        return address.getAddress() instanceof Inet6Address;
    }

    private static String family(InetSocketAddress address) {
        return isIpv6(address) ? "IPv6" : "IPv4";
    }

    private static void requireIpLiteral(InetSocketAddress address, String field) {
        if (address.isUnresolved()) {
            throw new InvalidFieldException(FieldMessage.of(field(field), " must be an IP address, was '"
                    + address.getHostString() + "'"));
        }
    }
}
