package io.echoack.server.binding;

import io.echoack.common.endpoint.Endpoint;
import io.echoack.server.config.ServerConfig;
import io.echoack.server.connectionlog.ConnectionLog;
import io.echoack.server.fault.ListenerFaults;
import io.echoack.server.identity.Identity;
import io.echoack.server.limits.ConnectionCounter;
import io.echoack.server.limits.RefusalWarnings;
import io.echoack.server.listener.ListenerContext;
import io.echoack.server.listener.ListenerGates;
import io.echoack.server.live.LiveSetting;
import io.echoack.server.messagelog.MessageLog;
import io.echoack.server.metrics.ServerMetrics;
import io.echoack.server.tls.ServerTls;
import io.netty.channel.group.ChannelGroup;
import java.util.Objects;

/**
 * Makes the {@link ListenerContext} of each endpoint from the server's config and what every listener of one
 * server shares (metrics registry, TLS context, connection group and counter, message and connection logs,
 * warnings). The
 * server uses one per start; tests and benchmarks use it to build exactly the pipelines the server builds.
 */
public final class ListenerContexts {

    private final ServerConfig config;
    private final ServerMetrics metrics;
    private final ServerTls tls;
    private final ChannelGroup connections;
    private final MessageLog messageLog;
    private final RefusalWarnings warnings;
    private final ConnectionLog connectionLog;
    private final ListenerGates gates;
    private final LiveSetting<Identity> identity;
    private final long faultSeed;

    /**
     * As the server makes them, without a connection log and with the identity of a server on the configured
     * transport (resolved here: this reads the host name), for tests and benchmarks.
     */
    public ListenerContexts(ServerConfig config, ServerMetrics metrics, ServerTls tls, ChannelGroup connections,
                            MessageLog messageLog, RefusalWarnings warnings) {
        this(config, metrics, tls, connections, messageLog, null, warnings,
                Identity.resolve(config.identity(), config.transport()));
    }

    /**
     * @param tls           the server's TLS context, or null when it has no {@code tls://} listener
     * @param messageLog    where messages are printed, or null when {@code config} does not print them
     * @param connectionLog where stream connections are logged when they end, or null when the log is off
     * @param identity      who the server is, resolved once at startup, for {@code info} replies
     */
    public ListenerContexts(ServerConfig config, ServerMetrics metrics, ServerTls tls, ChannelGroup connections,
                            MessageLog messageLog, ConnectionLog connectionLog, RefusalWarnings warnings,
                            Identity identity) {
        this.config = Objects.requireNonNull(config, "config");
        this.connectionLog = connectionLog;
        this.identity = LiveSetting.of(identity);
        this.metrics = Objects.requireNonNull(metrics, "metrics");
        this.tls = tls;
        this.connections = Objects.requireNonNull(connections, "connections");
        this.messageLog = messageLog;
        this.warnings = Objects.requireNonNull(warnings, "warnings");
        this.faultSeed = config.faultSeed().orElseGet(ListenerFaults::randomSeed);
        this.gates = new ListenerGates(config.allow(), new ConnectionCounter(config.limits()), config.timeouts(),
                config.udpGuard(), config.proxy());
    }

    /**
     * The gates every listener shares: their access list, limits, timeouts and guard settings are the ones a
     * reload (SIGHUP) replaces.
     */
    public ListenerGates gates() {
        return gates;
    }

    /** Who the server is, for every listener's {@code info} replies: what a reload (SIGHUP) replaces. */
    public LiveSetting<Identity> identity() {
        return identity;
    }

    /** The context of {@code endpoint}, named {@code label} in metrics and warnings. */
    public ListenerContext forEndpoint(Endpoint endpoint, String label) {
        return new ListenerContext(config.listenerSpec(endpoint), label, metrics.listener(label), gates,
                endpoint.kind().isTls() ? tls : null, messageLog, connections, warnings, identity, connectionLog,
                new ListenerFaults(endpoint, label, faultSeed));
    }

    /** The context of {@code endpoint}, named after its address. */
    public ListenerContext forEndpoint(Endpoint endpoint) {
        return forEndpoint(endpoint, endpoint.address());
    }
}
