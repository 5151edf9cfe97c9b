package io.echoack.common.testing;

import java.io.IOException;
import java.net.Inet6Address;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;

/** Whether IPv6 tests can run here: machines and containers with IPv6 disabled have no {@code ::1}. */
public final class Ipv6Loopback {

    private Ipv6Loopback() {
    }

    /** True when a socket can be bound to {@code [::1]:0} here. */
    public static boolean isUsable() {
        try (ServerSocket probe = new ServerSocket()) {
            InetAddress loopback = InetAddress.getByName("::1");
            probe.bind(new InetSocketAddress(loopback, 0));
            return loopback instanceof Inet6Address;
        } catch (IOException e) {
            return false;
        }
    }
}
