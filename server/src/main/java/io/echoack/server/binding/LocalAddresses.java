package io.echoack.server.binding;

import java.net.InetAddress;
import java.net.NetworkInterface;
import java.net.SocketException;
import java.util.Collections;
import java.util.Enumeration;
import java.util.LinkedHashSet;
import java.util.Set;

/**
 * The addresses this host's interfaces carry now: a wildcard UDP endpoint binds one socket to each of them, so
 * that every reply leaves from the address its request was sent to. An interface is asked again on each call,
 * so the answer follows addresses added and removed while the server runs. A supplier, so tests can give their
 * own.
 */
@FunctionalInterface
public interface LocalAddresses {

    /**
     * The addresses of every interface, up or down (IPv6 link-local ones with their scope), in the order the
     * system lists them.
     *
     * @throws SocketException when the system cannot list its interfaces
     */
    Set<InetAddress> current() throws SocketException;

    /** The host's own interfaces, through {@link NetworkInterface}. Blocks briefly: never call on an event loop. */
    static LocalAddresses system() {
        return LocalAddresses::ofEveryInterface;
    }

    private static Set<InetAddress> ofEveryInterface() throws SocketException {
        Set<InetAddress> addresses = new LinkedHashSet<>();
        Enumeration<NetworkInterface> interfaces = NetworkInterface.getNetworkInterfaces();
        while (interfaces != null && interfaces.hasMoreElements()) {
            // Down interfaces too: an IPv4 address can be bound while its interface is down and is answered on
            // as soon as it comes up (a namespace's loopback starts down); an IPv6 one cannot, and is tried again.
            addresses.addAll(Collections.list(interfaces.nextElement().getInetAddresses()));
        }
        return addresses;
    }
}
