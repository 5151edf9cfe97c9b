package io.echoack.server.limits;

import io.echoack.server.address.IpAddresses;
import java.net.InetAddress;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * The live connection counts behind {@link ConnectionLimiter}: one instance per server, shared by every
 * stream listener and event loop. Thread-safe and lock-free on the global count; the per-address counts
 * live in a concurrent map whose entry for an address is removed when its count drops to zero, so memory
 * is bounded by the number of open connections, never by the number of addresses ever seen.
 *
 * <p>Checking and counting is one atomic step per limit, so the limits are never exceeded, even by
 * connections accepted at the same moment on different event loops. (A connection refused per address may
 * hold a global slot for an instant; that can only refuse, never over-admit.)
 *
 * <p>The limits can be replaced while connections are open ({@link #replaceLimits}, SIGHUP): every connection
 * is counted, per address too, whatever the limits say, so that a new limit is measured against every connection
 * open, those accepted before it included. A lowered limit closes nothing: it refuses new connections until the
 * count is below it again; a raised one admits them at once.
 */
public final class ConnectionCounter {

    private volatile ConnectionLimits limits;
    private final AtomicInteger open = new AtomicInteger();
    private final Map<InetAddress, Integer> perAddress = new ConcurrentHashMap<>();

    public ConnectionCounter(ConnectionLimits limits) {
        this.limits = Objects.requireNonNull(limits, "limits");
    }

    /** The limits in force now. */
    public ConnectionLimits limits() {
        return limits;
    }

    /**
     * Puts {@code next} in force for the connections that arrive from now on (see the class description).
     *
     * @return the limits it replaces
     */
    public ConnectionLimits replaceLimits(ConnectionLimits next) {
        ConnectionLimits old = limits;
        limits = Objects.requireNonNull(next, "next");
        return old;
    }

    /**
     * Counts a new connection if the limits allow it: {@link #tryAcquireTotal} and {@link #tryAcquireAddress}
     * in one step (a per-address refusal gives the global slot back).
     *
     * @param address the peer's IP address, or null for a connection without one (Unix sockets), which
     *                counts only toward the global limit
     * @return null when counted (then {@link #release} must follow exactly once), or why it is refused
     */
    public CloseReason tryAcquire(InetAddress address) {
        CloseReason refused = tryAcquireTotal();
        if (refused != null) {
            return refused;
        }
        refused = tryAcquireAddress(address);
        if (refused != null) {
            releaseTotal();
        }
        return refused;
    }

    /** Uncounts a connection that {@link #tryAcquire} counted, with the same address. */
    public void release(InetAddress address) {
        releaseAddress(address);
        releaseTotal();
    }

    /**
     * Counts a new connection toward {@code --max-connections} only, for a connection whose client is not
     * known yet (a PROXY protocol listener's, before its header).
     *
     * @return null when counted (then {@link #releaseTotal} must follow exactly once), or
     *         {@link CloseReason#MAX_CONNECTIONS}
     */
    public CloseReason tryAcquireTotal() {
        int max = limits.maxConnections();
        for (;;) {
            int n = open.get();
            if (max != ConnectionLimits.UNLIMITED && n >= max) {
                return CloseReason.MAX_CONNECTIONS;
            }
            if (open.compareAndSet(n, n + 1)) {
                return null;
            }
        }
    }

    /** Uncounts a connection that {@link #tryAcquireTotal} counted. */
    public void releaseTotal() {
        open.decrementAndGet();
    }

    /**
     * Counts a connection toward {@code --max-connections-per-ip} only (its global slot is counted apart, by
     * {@link #tryAcquireTotal}). Counted without a limit too, so that a limit set later counts it.
     *
     * @param address the client's IP address; null (a Unix client) is not counted, and always admitted
     * @return null when counted (then {@link #releaseAddress} must follow exactly once, with the same address),
     *         or {@link CloseReason#MAX_CONNECTIONS_PER_IP}
     */
    public CloseReason tryAcquireAddress(InetAddress address) {
        if (address == null) {
            return null; // nothing to count per address
        }
        int perIp = limits.maxConnectionsPerIp();
        boolean[] refused = new boolean[1];
        perAddress.compute(IpAddresses.unmap(address), (k, count) -> {
            int c = count == null ? 0 : count;
            if (perIp != ConnectionLimits.UNLIMITED && c >= perIp) {
                refused[0] = true;
                return count;
            }
            return c + 1;
        });
        return refused[0] ? CloseReason.MAX_CONNECTIONS_PER_IP : null;
    }

    /** Uncounts a connection that {@link #tryAcquireAddress} counted, with the same address. */
    public void releaseAddress(InetAddress address) {
        if (address != null) {
            perAddress.computeIfPresent(IpAddresses.unmap(address), (k, count) -> count <= 1 ? null : count - 1);
        }
    }

    /** Connections counted now. */
    public int open() {
        return open.get();
    }

    /** Connections counted now from {@code address} (mapped or not). */
    public int open(InetAddress address) {
        Integer n = perAddress.get(IpAddresses.unmap(address));
        return n == null ? 0 : n;
    }

    /** Addresses with at least one open connection: the size of the per-address table. */
    public int trackedAddresses() {
        return perAddress.size();
    }
}
