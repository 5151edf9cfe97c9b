package io.echoack.server.limits;

import io.echoack.server.proxy.ConnectionAddresses;
import io.netty.channel.Channel;
import java.net.InetSocketAddress;
import java.util.function.Supplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The {@link CloseListener} that makes connections refused by {@code --max-connections} or
 * {@code --max-connections-per-ip} show in the log: one rate-limited WARN line per limit and listener (see
 * {@link RefusalWarnings}), naming the flag. Other reasons for closing are left to the metrics and DEBUG
 * lines. One instance per stream listener; thread-safe, and a refusal costs a counter increment.
 */
public final class ConnectionLimitWarnings implements CloseListener {

    private static final Logger log = LoggerFactory.getLogger(ConnectionLimiter.class);

    private final RefusalCounter total;
    private final RefusalCounter perAddress;

    /**
     * @param warnings the server's warnings
     * @param listener the listener's name (see {@link RefusalWarnings#counter})
     * @param limits   the limits in force, for the lines
     */
    public ConnectionLimitWarnings(RefusalWarnings warnings, String listener, ConnectionLimits limits) {
        this(warnings, listener, () -> limits);
    }

    /**
     * @param warnings the server's warnings
     * @param listener the listener's name (see {@link RefusalWarnings#counter})
     * @param limits   the limits in force when a line is written (they may change on SIGHUP)
     */
    public ConnectionLimitWarnings(RefusalWarnings warnings, String listener, Supplier<ConnectionLimits> limits) {
        total = warnings.counter(log, listener, "refused", "connection", () -> "--max-connections "
                + limits.get().maxConnections() + " reached (open connections over all stream listeners; raise it, "
                + "or 0 for no limit)");
        perAddress = warnings.counter(log, listener, "refused", "connection", () -> "--max-connections-per-ip "
                + limits.get().maxConnectionsPerIp() + " reached (raise it, or 0 for no limit)");
    }

    @Override
    public void closing(CloseReason reason, Channel channel) {
        switch (reason) {
            case MAX_CONNECTIONS -> total.record(clientAddress(channel));
            case MAX_CONNECTIONS_PER_IP -> perAddress.record(clientAddress(channel));
            default -> {
                // not a limit on connections: counted in the metrics, logged at DEBUG where it happens
            }
        }
    }

    /** The client the lines name: the peer, or the source of the connection's PROXY header. */
    private static java.net.InetAddress clientAddress(Channel channel) {
        return ConnectionAddresses.client(channel) instanceof InetSocketAddress inet ? inet.getAddress() : null;
    }
}
