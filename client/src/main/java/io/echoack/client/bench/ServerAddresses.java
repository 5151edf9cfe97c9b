package io.echoack.client.bench;

import io.netty.util.NetUtil;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.SocketAddress;
import java.net.UnknownHostException;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * The addresses a run spreads its connections over: every address the endpoint's host name resolves to, of the
 * family of the first one. A name with several addresses is how many servers share one name without a balancer
 * in front (Docker Compose's name of a scaled service, a Kubernetes headless Service, DNS round-robin), and one
 * connection to each is what a fleet of clients needs to reach all of them; a single resolution would give all
 * of one client's connections to one server. The first address is the one a plain connect would use; an IP
 * literal or a Unix path is that address alone. The family is kept so that {@code localhost} (127.0.0.1 and ::1)
 * stays on 127.0.0.1, as a server on one of them expects.
 */
final class ServerAddresses {

    /** All addresses of a host name, as {@link InetAddress#getAllByName(String)}. */
    @FunctionalInterface
    interface Resolver {
        InetAddress[] allByName(String host) throws UnknownHostException;
    }

    private final List<SocketAddress> addresses;
    private final AtomicInteger next = new AtomicInteger();

    private ServerAddresses(List<SocketAddress> addresses) {
        this.addresses = List.copyOf(addresses);
    }

    /** Just this address, for every connection. */
    static ServerAddresses single(SocketAddress address) {
        return new ServerAddresses(List.of(address));
    }

    /**
     * {@code first} (what the transport made of the endpoint), then the host name's other addresses of the same
     * family in the order resolved. A name that no longer resolves keeps {@code first} alone.
     */
    static ServerAddresses resolve(SocketAddress first, Resolver resolver) {
        if (!(first instanceof InetSocketAddress inet) || inet.isUnresolved()
                || NetUtil.isValidIpV4Address(inet.getHostString()) || NetUtil.isValidIpV6Address(inet.getHostString())) {
            return single(first);
        }
        List<SocketAddress> all = new ArrayList<>();
        all.add(first);
        try {
            for (InetAddress address : resolver.allByName(inet.getHostString())) {
                InetSocketAddress other = new InetSocketAddress(address, inet.getPort());
                if (address.getClass() == inet.getAddress().getClass() && !all.contains(other)) {
                    all.add(other);
                }
            }
        } catch (UnknownHostException e) {
            return single(first);
        }
        return new ServerAddresses(all);
    }

    /** How many addresses the connections are spread over. */
    int size() {
        return addresses.size();
    }

    /** The address for the next new connection: each in turn. Thread-safe. */
    SocketAddress next() {
        return addresses.get(Math.floorMod(next.getAndIncrement(), addresses.size()));
    }
}
