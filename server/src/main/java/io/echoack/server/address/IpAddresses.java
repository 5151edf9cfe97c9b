package io.echoack.server.address;

import java.net.Inet6Address;
import java.net.InetAddress;
import java.net.UnknownHostException;

/**
 * Address facts the limits and filters need, independent of how a socket reports its peer: a dual-stack
 * socket (bound to {@code ::}, or to {@code 0.0.0.0} on epoll) shows IPv4 clients as IPv4-mapped IPv6
 * addresses ({@code ::ffff:10.0.0.1}); everything here treats those as the IPv4 address they carry, so one
 * client is one client whichever socket it came through.
 */
public final class IpAddresses {

    private IpAddresses() {
    }

    /** True for {@code ::ffff:a.b.c.d} given as its 16 bytes. */
    public static boolean isIpv4Mapped(byte[] address) {
        if (address.length != 16) {
            return false;
        }
        for (int i = 0; i < 10; i++) {
            if (address[i] != 0) {
                return false;
            }
        }
        return address[10] == (byte) 0xff && address[11] == (byte) 0xff;
    }

    /**
     * The IPv4 address inside an IPv4-mapped IPv6 address; any other address unchanged (the same object).
     * Never resolves a name.
     */
    public static InetAddress unmap(InetAddress address) {
        if (!(address instanceof Inet6Address)) {
            return address;
        }
        byte[] bytes = address.getAddress();
        if (!isIpv4Mapped(bytes)) {
            return address;
        }
        try {
            return InetAddress.getByAddress(new byte[] {bytes[12], bytes[13], bytes[14], bytes[15]});
        } catch (UnknownHostException e) {
            throw new AssertionError("4 bytes are always an IPv4 address", e);
        }
    }

    /** The 32 bits of an IPv4 address given as 4 bytes, or as the last 4 of 16 (mapped). */
    public static int ipv4Bits(byte[] address) {
        int i = address.length - 4;
        return (address[i] & 0xff) << 24 | (address[i + 1] & 0xff) << 16 | (address[i + 2] & 0xff) << 8
                | (address[i + 3] & 0xff);
    }

    /** Bytes {@code from..from+7} of a 16-byte address as one big-endian long. */
    public static long longAt(byte[] address, int from) {
        long v = 0;
        for (int i = from; i < from + 8; i++) {
            v = v << 8 | (address[i] & 0xff);
        }
        return v;
    }
}
