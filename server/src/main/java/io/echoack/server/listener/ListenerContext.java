package io.echoack.server.listener;

import io.echoack.server.connectionlog.ConnectionLog;
import io.echoack.server.fault.ListenerFaults;
import io.echoack.server.identity.Identity;
import io.echoack.server.limits.RefusalWarnings;
import io.echoack.server.messagelog.MessageLog;
import io.echoack.server.metrics.ListenerMetrics;
import io.echoack.server.tls.ServerTls;
import io.netty.channel.group.ChannelGroup;
import java.util.Objects;
import java.util.function.Supplier;

/**
 * Everything one listener's pipelines are built from, in one value: the stream and datagram initializers take
 * this and nothing else, so that a per-listener feature is added here once instead of to every constructor on
 * the way down. Built by the server for each endpoint; tests and benchmarks build it the same way.
 *
 * @param spec        the endpoint and its effective settings
 * @param label       the listener's name in metrics and warnings (its address; {@code #2}, {@code #3} for repeats)
 * @param metrics     the listener's metrics
 * @param gates       the access, limit, timeout and reflection gates
 * @param tls         the server's TLS context on a {@code tls://} listener; null on every other kind
 * @param messageLog  where messages are printed when {@link ListenerSpec#printMessages()}; null when no listener
 *                    prints
 * @param connections every open stream connection of the server, for the drain at shutdown
 * @param warnings    the server's rate-limited WARN lines, told when a gate refuses
 * @param identity    who the server is now, for {@code info} replies (it may change on SIGHUP)
 * @param connectionLog where stream connections are logged when they end ({@code --connection-log}); null when
 *                    off (datagram listeners log nothing per datagram, so theirs ignore it)
 * @param faults      the faults the listener injects now, replaceable at run time
 */
public record ListenerContext(ListenerSpec spec, String label, ListenerMetrics metrics, ListenerGates gates,
                              ServerTls tls, MessageLog messageLog, ChannelGroup connections,
                              RefusalWarnings warnings, Supplier<Identity> identity,
                              ConnectionLog connectionLog, ListenerFaults faults) {

    public ListenerContext {
        Objects.requireNonNull(spec, "spec");
        Objects.requireNonNull(label, "label");
        Objects.requireNonNull(metrics, "metrics");
        Objects.requireNonNull(gates, "gates");
        Objects.requireNonNull(connections, "connections");
        Objects.requireNonNull(warnings, "warnings");
        Objects.requireNonNull(identity, "identity");
        Objects.requireNonNull(faults, "faults");
        if (spec.endpoint().kind().isTls() != (tls != null)) {
            throw new IllegalArgumentException("a TLS context goes with tls:// listeners, and only with them: "
                    + spec.endpoint().address());
        }
        if (spec.printMessages() && messageLog == null) {
            throw new IllegalArgumentException("no message log for a listener that prints messages: "
                    + spec.endpoint().address());
        }
    }
}
