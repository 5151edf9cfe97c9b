package io.echoack.server.limits;

/**
 * How many stream connections the server keeps open at once ({@code --max-connections}) and how many of
 * them may come from one source address ({@code --max-connections-per-ip}). Over a limit, a new connection
 * is accepted and closed at once; the ones already open are unharmed. 0 means unlimited.
 *
 * @param maxConnections      open connections over all stream listeners, TCP and Unix, 0 = unlimited
 * @param maxConnectionsPerIp open TCP connections from one IP address (IPv4-mapped IPv6 counts as its IPv4
 *                            address; Unix connections have no address and count only globally),
 *                            0 = unlimited
 */
public record ConnectionLimits(int maxConnections, int maxConnectionsPerIp) {

    /**
     * 10,000: a connection costs a file descriptor and a few KiB of buffers, so this keeps a connection
     * flood from exhausting descriptors (Netty's accept loop spins on EMFILE) or the heap, while being far
     * above what an echo/ack service legitimately holds open (it is the classic "C10k"). Keep it below the
     * process's {@code ulimit -n}, with room for listeners and the admin endpoint.
     */
    public static final int DEFAULT_MAX_CONNECTIONS = 10_000;
    /**
     * 0, no limit per address: behind a load balancer or a NAT gateway every client has the same source
     * address, so any per-address default would cap the whole service at that many connections per
     * balancer node, and a first load test from one host ({@code echoack bench -c 1000}) would fail against
     * the defaults. {@link #DEFAULT_MAX_CONNECTIONS} still bounds what one host can hold. Set a limit on a
     * server that clients reach directly, at their own addresses, to keep one of them from taking every
     * slot.
     */
    public static final int DEFAULT_MAX_CONNECTIONS_PER_IP = 0;
    /** The value that disables a limit. */
    public static final int UNLIMITED = 0;

    public ConnectionLimits {
        if (maxConnections < 0) {
            throw new IllegalArgumentException("maxConnections must be >= 0 (0 = unlimited), was " + maxConnections);
        }
        if (maxConnectionsPerIp < 0) {
            throw new IllegalArgumentException("maxConnectionsPerIp must be >= 0 (0 = unlimited), was "
                    + maxConnectionsPerIp);
        }
    }

    /** {@value #DEFAULT_MAX_CONNECTIONS} in all, no limit per address. */
    public static ConnectionLimits defaults() {
        return new ConnectionLimits(DEFAULT_MAX_CONNECTIONS, DEFAULT_MAX_CONNECTIONS_PER_IP);
    }

    /** No limit at all. */
    public static ConnectionLimits unlimited() {
        return new ConnectionLimits(UNLIMITED, UNLIMITED);
    }
}
