package io.echoack.server.address;

import io.netty.channel.unix.DomainSocketAddress;
import java.net.Inet6Address;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.SocketAddress;
import java.net.UnixDomainSocketAddress;

/**
 * A socket address as echoack writes it for people and programs: {@code 10.0.0.7:41234}, {@code [2001:db8::7]:443}
 * (IPv4-mapped IPv6 as the IPv4 address it carries), or a Unix socket's path ({@code ""} for an unnamed peer).
 * Never resolves a name, so it is safe on an event loop.
 */
public final class AddressText {

    private AddressText() {
    }

    /** {@code address} as text; {@code ""} for null. */
    public static String of(SocketAddress address) {
        if (address == null) {
            return "";
        }
        if (address instanceof InetSocketAddress inet) {
            InetAddress ip = inet.getAddress();
            if (ip == null) {
                return hostPort(inet.getHostString(), inet.getPort());
            }
            ip = IpAddresses.unmap(ip);
            String host = ip.getHostAddress();
            return ip instanceof Inet6Address ? "[" + host + "]:" + inet.getPort() : host + ":" + inet.getPort();
        }
        if (address instanceof DomainSocketAddress unix) {
            return unix.path();
        }
        if (address instanceof UnixDomainSocketAddress unix) {
            return unix.getPath().toString();
        }
        return address.toString();
    }

    private static String hostPort(String host, int port) {
        return (host.indexOf(':') >= 0 ? "[" + host + "]" : host) + ":" + port;
    }
}
