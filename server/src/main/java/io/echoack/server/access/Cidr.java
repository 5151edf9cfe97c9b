package io.echoack.server.access;

import io.echoack.server.address.IpAddresses;
import io.netty.util.NetUtil;
import java.net.InetAddress;
import java.net.UnknownHostException;

/**
 * One address range, {@code 10.0.0.0/8} or {@code 2001:db8::/32}, as given to {@code --allow}. A bare
 * address is a range of one ({@code 192.168.1.5} = {@code /32}, {@code ::1} = {@code /128}).
 *
 * <p>IPv4 and IPv6 are separate families: an IPv4 range matches IPv4 clients, also when a dual-stack socket
 * reports them as IPv4-mapped IPv6 addresses ({@code ::ffff:10.1.2.3} is in {@code 10.0.0.0/8}); an IPv6
 * range matches IPv6 clients only, so {@code ::/0} means "every IPv6 client", not "everyone". A mapped range
 * written in IPv6 ({@code ::ffff:10.0.0.0/104}) is the IPv4 range it denotes.
 *
 * <p>Parsing is strict and never resolves a host name: IPv4 in dotted-quad form without leading zeros
 * (is {@code 010} ten or eight?), no zone ids, no host bits set after the prefix
 * ({@code 10.1.2.3/8} is refused with a hint to {@code 10.0.0.0/8}, since it usually hides a typo).
 * Immutable and thread-safe.
 */
public final class Cidr {

    private final boolean ipv4;
    private final int prefixLength;
    // IPv4: the network in the low 32 bits of lo, mask likewise. IPv6: 128 bits as hi:lo.
    private final long hi;
    private final long lo;
    private final long maskHi;
    private final long maskLo;

    private Cidr(boolean ipv4, int prefixLength, long hi, long lo) {
        this.ipv4 = ipv4;
        this.prefixLength = prefixLength;
        if (ipv4) {
            this.maskHi = 0;
            this.maskLo = prefixLength == 0 ? 0 : (0xffff_ffffL << (32 - prefixLength)) & 0xffff_ffffL;
        } else {
            this.maskHi = prefixLength == 0 ? 0 : -1L << (64 - Math.min(prefixLength, 64));
            this.maskLo = prefixLength <= 64 ? 0 : -1L << (128 - prefixLength);
        }
        this.hi = hi;
        this.lo = lo;
    }

    /**
     * Parses {@code ADDRESS[/PREFIX]}; IPv6 may be bracketed ({@code [::1]/128}).
     *
     * @throws IllegalArgumentException {@code invalid CIDR '<text>': <what is wrong>}
     */
    public static Cidr parse(String text) {
        if (text == null) {
            throw new IllegalArgumentException("invalid CIDR 'null': no address");
        }
        String t = text.trim();
        int slash = t.indexOf('/');
        String addressText = slash < 0 ? t : t.substring(0, slash);
        if (addressText.startsWith("[") && addressText.endsWith("]")) {
            addressText = addressText.substring(1, addressText.length() - 1);
        }
        if (addressText.isEmpty()) {
            throw invalid(text, "no address (expected e.g. 10.0.0.0/8 or 2001:db8::/32)");
        }
        if (addressText.indexOf('%') >= 0) {
            throw invalid(text, "zone ids (%...) are not allowed");
        }
        byte[] bytes = addressText.indexOf(':') >= 0 ? ipv6(addressText) : ipv4(text, addressText);
        if (bytes == null) {
            throw invalid(text, "'" + addressText + "' is not an IPv4 or IPv6 address (host names are not allowed)");
        }
        boolean mapped = IpAddresses.isIpv4Mapped(bytes);
        int familyBits = bytes.length == 4 ? 32 : 128;
        int prefix = familyBits;
        if (slash >= 0) {
            prefix = prefixLength(text, t.substring(slash + 1), familyBits);
        }
        Cidr cidr;
        if (bytes.length == 4 || mapped) {
            if (mapped) {
                if (prefix < 96) {
                    throw invalid(text, "an IPv4-mapped range needs a prefix of at least 96 (write the IPv4 range)");
                }
                prefix -= 96;
            }
            cidr = new Cidr(true, prefix, 0, IpAddresses.ipv4Bits(bytes) & 0xffff_ffffL);
        } else {
            cidr = new Cidr(false, prefix, IpAddresses.longAt(bytes, 0), IpAddresses.longAt(bytes, 8));
        }
        if ((cidr.hi & ~cidr.maskHi) != 0 || (cidr.lo & ~cidr.maskLo) != 0) {
            Cidr network = new Cidr(cidr.ipv4, cidr.prefixLength, cidr.hi & cidr.maskHi, cidr.lo & cidr.maskLo);
            throw invalid(text, "host bits are set after the prefix (did you mean " + network + "?)");
        }
        return cidr;
    }

    private static IllegalArgumentException invalid(String text, String problem) {
        return new IllegalArgumentException("invalid CIDR '" + text + "': " + problem);
    }

    private static byte[] ipv6(String addressText) {
        return NetUtil.isValidIpV6Address(addressText)
                ? NetUtil.createByteArrayFromIpAddressString(addressText) : null;
    }

    private static byte[] ipv4(String text, String addressText) {
        String[] parts = addressText.split("\\.", -1);
        if (parts.length != 4) {
            return null;
        }
        byte[] out = new byte[4];
        for (int i = 0; i < 4; i++) {
            String p = parts[i];
            if (p.isEmpty() || p.length() > 3 || !p.chars().allMatch(c -> c >= '0' && c <= '9')) {
                return null;
            }
            if (p.length() > 1 && p.charAt(0) == '0') {
                throw invalid(text, "'" + p + "' has a leading zero (ambiguous: octal or decimal?)");
            }
            int v = Integer.parseInt(p);
            if (v > 255) {
                return null;
            }
            out[i] = (byte) v;
        }
        return out;
    }

    private static int prefixLength(String text, String p, int familyBits) {
        if (p.isEmpty()) {
            throw invalid(text, "missing prefix length after '/'");
        }
        if (p.length() > 3 || !p.chars().allMatch(c -> c >= '0' && c <= '9')) {
            throw invalid(text, "prefix length '" + p + "' is not a number 0.." + familyBits);
        }
        int prefix = Integer.parseInt(p);
        if (prefix > familyBits) {
            throw invalid(text, "prefix length must be 0.." + familyBits + " for "
                    + (familyBits == 32 ? "IPv4" : "IPv6") + ", was " + prefix);
        }
        return prefix;
    }

    /** True when {@code address} lies in this range; see the class description for IPv4-mapped addresses. */
    public boolean contains(InetAddress address) {
        byte[] bytes = address.getAddress();
        if (bytes.length == 4 || IpAddresses.isIpv4Mapped(bytes)) {
            return ipv4 && ((IpAddresses.ipv4Bits(bytes) & 0xffff_ffffL) & maskLo) == lo;
        }
        return !ipv4 && (IpAddresses.longAt(bytes, 0) & maskHi) == hi && (IpAddresses.longAt(bytes, 8) & maskLo) == lo;
    }

    /** True for an IPv4 range (including one written in IPv4-mapped IPv6 form). */
    public boolean isIpv4() {
        return ipv4;
    }

    /** The prefix length within the family: 0..32 for IPv4, 0..128 for IPv6. */
    public int prefixLength() {
        return prefixLength;
    }

    /** The first address of the range. */
    public InetAddress network() {
        byte[] bytes;
        if (ipv4) {
            bytes = new byte[] {(byte) (lo >>> 24), (byte) (lo >>> 16), (byte) (lo >>> 8), (byte) lo};
        } else {
            bytes = new byte[16];
            for (int i = 0; i < 8; i++) {
                bytes[i] = (byte) (hi >>> (56 - 8 * i));
                bytes[8 + i] = (byte) (lo >>> (56 - 8 * i));
            }
        }
        try {
            return InetAddress.getByAddress(bytes);
        } catch (UnknownHostException e) {
            throw new AssertionError(e);
        }
    }

    // Package-private views for SourceFilter's flat arrays.
    long hi() {
        return hi;
    }

    long lo() {
        return lo;
    }

    long maskHi() {
        return maskHi;
    }

    long maskLo() {
        return maskLo;
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof Cidr c && c.ipv4 == ipv4 && c.prefixLength == prefixLength && c.hi == hi && c.lo == lo;
    }

    @Override
    public int hashCode() {
        return Long.hashCode(hi * 31 + lo) * 31 + prefixLength * 2 + (ipv4 ? 1 : 0);
    }

    /** Canonical form: {@code 10.0.0.0/8}, {@code 2001:db8::/32}. */
    @Override
    public String toString() {
        return NetUtil.toAddressString(network()) + "/" + prefixLength;
    }
}
