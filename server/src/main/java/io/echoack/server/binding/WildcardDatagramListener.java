package io.echoack.server.binding;

import io.echoack.common.endpoint.Endpoint;
import io.echoack.common.text.Durations;
import io.echoack.server.startup.ServerStartException;
import io.netty.bootstrap.Bootstrap;
import io.netty.channel.Channel;
import io.netty.channel.ChannelFuture;
import io.netty.util.NetUtil;
import java.net.Inet4Address;
import java.net.Inet6Address;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.NetworkInterface;
import java.net.SocketAddress;
import java.net.SocketException;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A wildcard UDP endpoint ({@code udp://0.0.0.0:P}, {@code udp://[::]:P}, {@code udp://:P}) served by one socket
 * per local address, all on one port, so that every reply leaves from the address its request was sent to.
 *
 * <p><b>Why.</b> A socket bound to the wildcard answers from the address the kernel picks for the route back;
 * on a host with several addresses that is not always the one the client sent to, and a client that connected
 * its UDP socket ({@code nc -u}, {@code socat UDP:}, most resolvers, echoack's own client) drops such a reply.
 * Choosing the source per datagram would need {@code IP_PKTINFO}/{@code IPV6_PKTINFO} on send, and no Netty
 * transport offers it: the epoll and io_uring datagram channels never put a source address into their
 * sendmsg/sendmmsg (a {@code DatagramPacket}'s sender is ignored on write, and {@code IP_RECVORIGDSTADDR} only
 * reports an IPv4 destination on receive), and NIO has no such option at all. A socket bound to each address
 * works the same on every transport. No wildcard socket stays beside them as a catch-all: the kernel lets a
 * specific and a wildcard socket share a port only with {@code SO_REUSEADDR} (then any user can take the port's
 * datagrams) or {@code SO_REUSEPORT} (any process of the same user), which would give up the port-in-use check.
 *
 * <p><b>Which addresses.</b> Those {@link LocalAddresses} lists: IPv4 ones for {@code 0.0.0.0}; IPv4 and IPv6
 * ones for {@code ::} and an empty host, whose sockets are dual-stack as the wildcard socket was. The list is
 * followed while the server runs ({@link AddressWatch}): a new address gets a socket, a removed one loses it. A
 * datagram to a local address that no interface lists (127.0.0.2 and the rest of 127.0.0.0/8 beyond
 * 127.0.0.1, an AnyIP route, a broadcast address) finds no socket and is not answered; listen on such an address
 * explicitly. An address that cannot be bound yet (an IPv6 address still in duplicate address detection) is
 * tried again on each round; one whose port another program holds is reported once, at WARN, and tried again.
 *
 * <p><b>One port.</b> The first socket's port (the configured one, or the one the kernel picked for port 0) is
 * every socket's port. With port 0, an address whose port turns out to be taken makes the whole endpoint start
 * again on a new port (a few times); with a fixed port, a taken port on any address at startup fails the start,
 * as a wildcard bind would have.
 *
 * <p><b>One listener.</b> The sockets share the endpoint's pipeline initializer and so its
 * {@link io.echoack.server.listener.ListenerContext}: one label in the metrics, one reflection guard (a source's
 * budget covers all the addresses), one line in the lifecycle. Readiness counts the addresses bound at startup;
 * an address added later that cannot be bound is logged, not a reason to turn unready. Thread-safe: the startup
 * thread, the address watch and the closing thread may call it.
 */
public final class WildcardDatagramListener implements BoundListener {

    private static final Logger log = LoggerFactory.getLogger(WildcardDatagramListener.class);

    /** How many ports a port-0 endpoint tries before giving up, when an address's port turns out to be taken. */
    static final int PORT_ATTEMPTS = 8;
    private static final int ADDRESSES_LOGGED = 8;

    private final Endpoint endpoint;
    private final Bootstrap bootstrap;
    private final InetAddress wildcard;
    private final AddressWatch watch;
    private final Map<String, Socket> sockets = new LinkedHashMap<>(); // by address text; guarded by this
    private final Map<String, String> failing = new HashMap<>(); // address text -> why it is not bound; this
    private volatile int port;
    private boolean closed; // guarded by this

    private WildcardDatagramListener(Endpoint endpoint, Bootstrap bootstrap, InetAddress wildcard,
                                     AddressWatch watch) {
        this.endpoint = endpoint;
        this.bootstrap = bootstrap;
        this.wildcard = wildcard;
        this.watch = watch;
    }

    /**
     * Binds {@code bootstrap} on each local address {@code wildcard} covers, all on {@code wildcard}'s port (or
     * one the kernel picks), and follows the addresses with {@code watch} from then on.
     *
     * @throws ServerStartException naming the endpoint (and the address) when the endpoint cannot listen
     */
    static WildcardDatagramListener bind(Endpoint endpoint, Bootstrap bootstrap, InetSocketAddress wildcard,
                                         AddressWatch watch) throws ServerStartException {
        if (!wildcard.getAddress().isAnyLocalAddress()) {
            throw new IllegalArgumentException("not a wildcard address: " + wildcard);
        }
        Set<InetAddress> addresses;
        try {
            addresses = watch.current();
        } catch (SocketException e) {
            throw new ServerStartException(endpoint, "cannot list this host's addresses: " + e.getMessage(), e);
        }
        WildcardDatagramListener listener = new WildcardDatagramListener(endpoint, bootstrap,
                wildcard.getAddress(), watch);
        listener.bindAll(addresses, wildcard.getPort());
        watch.add(listener);
        log.info("{} has a socket on each local address, so that replies leave from the address they were sent to: "
                + "{}; the addresses are checked again every {}", listener.bound(), listener.describeAddresses(),
                Durations.format(watch.interval()));
        return listener;
    }

    private synchronized void bindAll(Set<InetAddress> addresses, int requestedPort) throws ServerStartException {
        List<InetAddress> candidates = addresses.stream().filter(this::covers).toList();
        if (candidates.isEmpty()) {
            throw new ServerStartException(endpoint, "this host has no " + family() + " address to listen on");
        }
        int attempts = requestedPort == 0 ? PORT_ATTEMPTS : 1;
        for (int attempt = 1; ; attempt++) {
            port = requestedPort;
            failing.clear();
            StartFailure failure = bindEach(candidates, requestedPort == 0);
            if (failure == null && !sockets.isEmpty()) {
                return;
            }
            closeSockets();
            if (failure == null) {
                throw new ServerStartException(endpoint, "none of this host's " + family() + " addresses can be "
                        + "bound yet (" + String.join(", ", failing.keySet()) + ": " + BindFailure.NOT_AVAILABLE + ")");
            }
            if (!failure.retry() || attempt >= attempts) {
                throw new ServerStartException(endpoint, failure.reason() + " on " + failure.address()
                        + (failure.retry() ? " (tried " + attempts + " ports)" : ""), failure.cause());
            }
            log.debug("{}: port {} is taken on {}; trying another port", endpoint.address(), port, failure.address());
        }
    }

    /** Binds each candidate; null when every one is bound or not available yet, else why the endpoint fails. */
    private StartFailure bindEach(List<InetAddress> candidates, boolean portChosenHere) {
        for (InetAddress address : candidates) {
            Throwable cause = bindOne(address);
            if (cause == null) {
                continue;
            }
            String reason = BindFailure.reason(cause);
            if (reason.equals(BindFailure.NOT_AVAILABLE)) {
                failing.put(text(address), reason); // e.g. IPv6 duplicate address detection: the watch retries
                log.debug("{}: {} cannot be bound yet ({}); will try again", endpoint.address(), text(address),
                        cause.toString());
                continue;
            }
            boolean retry = portChosenHere && !sockets.isEmpty() && reason.equals(BindFailure.IN_USE);
            return new StartFailure(text(address), reason, retry, cause);
        }
        return null;
    }

    private record StartFailure(String address, String reason, boolean retry, Throwable cause) {
    }

    /**
     * Binds the addresses in {@code addresses} that have no socket yet and closes the sockets of addresses no
     * longer in it. Called by the {@link AddressWatch}; blocks while binding.
     */
    synchronized void follow(Set<InetAddress> addresses) {
        if (closed) {
            return;
        }
        Map<String, InetAddress> wanted = new LinkedHashMap<>();
        for (InetAddress address : addresses) {
            if (covers(address)) {
                wanted.put(text(address), address);
            }
        }
        for (Iterator<Map.Entry<String, Socket>> it = sockets.entrySet().iterator(); it.hasNext(); ) {
            Map.Entry<String, Socket> socket = it.next();
            boolean gone = !wanted.containsKey(socket.getKey());
            if (gone || !socket.getValue().channel().isOpen()) {
                it.remove();
                socket.getValue().channel().close().awaitUninterruptibly();
                if (gone) {
                    log.info("{} no longer answers on {}: the address is gone", bound(), socket.getKey());
                } else {
                    log.warn("{}: the socket on {} was closed; binding it again", bound(), socket.getKey());
                }
            }
        }
        failing.keySet().retainAll(wanted.keySet());
        for (Map.Entry<String, InetAddress> address : wanted.entrySet()) {
            if (!sockets.containsKey(address.getKey())) {
                bindLater(address.getKey(), address.getValue());
            }
        }
    }

    private void bindLater(String text, InetAddress address) {
        Throwable cause = bindOne(address);
        if (cause == null) {
            failing.remove(text);
            log.info("{} now also answers on {}", bound(), text);
            return;
        }
        String reason = BindFailure.reason(cause);
        String before = failing.put(text, reason);
        if (reason.equals(before) || reason.equals(BindFailure.NOT_AVAILABLE)) {
            log.debug("{}: {} cannot be bound ({}); will try again", bound(), text, cause.toString());
        } else {
            log.warn("{} cannot answer on {}: {}; trying again every {}", bound(), text, reason,
                    Durations.format(watch.interval()));
        }
    }

    /** Binds one socket on {@code address} and the port (choosing the port if it is still 0); null or the cause. */
    private Throwable bindOne(InetAddress address) {
        ChannelFuture bound = bootstrap.bind(new InetSocketAddress(address, port)).awaitUninterruptibly();
        if (!bound.isSuccess()) {
            bound.channel().close();
            return bound.cause();
        }
        if (port == 0) {
            port = ((InetSocketAddress) bound.channel().localAddress()).getPort();
        }
        sockets.put(text(address), new Socket(address, bound.channel()));
        return null;
    }

    /** One address's socket. */
    private record Socket(InetAddress address, Channel channel) {
    }

    private boolean covers(InetAddress address) {
        // An IPv6 wildcard socket is dual-stack (Netty and the JDK both clear IPV6_V6ONLY): it took IPv4 too.
        return !(wildcard instanceof Inet4Address) || address instanceof Inet4Address;
    }

    private String family() {
        return wildcard instanceof Inet4Address ? "IPv4" : "IPv4 or IPv6";
    }

    /**
     * The address as a key and in log lines: IPv6 in its short form, link-local with its scope (one link-local
     * address may sit on two interfaces; any other address is one whatever interface carries it).
     */
    static String text(InetAddress address) {
        String text = NetUtil.toAddressString(address);
        if (address instanceof Inet6Address v6 && v6.isLinkLocalAddress()) {
            NetworkInterface scope = v6.getScopedInterface();
            return text + "%" + (scope != null ? scope.getName() : Integer.toString(v6.getScopeId()));
        }
        return text;
    }

    /** The wildcard address with the port every socket shares. */
    @Override
    public SocketAddress localAddress() {
        return new InetSocketAddress(wildcard, port);
    }

    /** The addresses that have a socket now, each with the shared port. */
    public synchronized List<InetSocketAddress> boundAddresses() {
        List<InetSocketAddress> bound = new ArrayList<>(sockets.size());
        for (Socket socket : sockets.values()) {
            bound.add(new InetSocketAddress(socket.address(), port));
        }
        return bound;
    }

    /** Stops following addresses, closes every socket and waits until they are closed. */
    @Override
    public void close() {
        watch.remove(this); // first, and outside the lock: a round under way finishes before the sockets close
        synchronized (this) {
            if (closed) {
                return;
            }
            closed = true;
            closeSockets();
        }
    }

    private void closeSockets() {
        List<ChannelFuture> closing = new ArrayList<>(sockets.size());
        for (Socket socket : sockets.values()) {
            closing.add(socket.channel().close());
        }
        closing.forEach(ChannelFuture::awaitUninterruptibly);
        sockets.clear();
    }

    private String bound() {
        return endpoint.withPort(port).address();
    }

    private synchronized String describeAddresses() {
        List<String> names = new ArrayList<>(sockets.keySet());
        String shown = String.join(", ", names.subList(0, Math.min(names.size(), ADDRESSES_LOGGED)));
        String more = names.size() > ADDRESSES_LOGGED ? " and " + (names.size() - ADDRESSES_LOGGED) + " more" : "";
        return names.size() + " now (" + shown + more + ")";
    }

    @Override
    public String toString() {
        return bound();
    }
}
