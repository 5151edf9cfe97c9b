package io.echoack.server;

import io.echoack.common.endpoint.Endpoint;
import io.echoack.common.text.Durations;
import io.echoack.common.tls.TlsProviderSelection;
import io.echoack.common.transport.Transport;
import io.echoack.common.transport.TransportSelection;
import io.echoack.common.transport.TransportUnavailableException;
import io.echoack.server.admin.AdminHandler;
import io.echoack.server.admin.AdminServer;
import io.echoack.server.binding.ListenerBinder;
import io.echoack.server.config.AdminEndpoint;
import io.echoack.server.config.ServerConfig;
import io.echoack.server.limits.ConnectionCounter;
import io.echoack.server.limits.RefusalWarnings;
import io.echoack.server.listener.ListenerSpec;
import io.echoack.server.messagelog.MessageLog;
import io.echoack.server.metrics.ServerMetrics;
import io.echoack.server.startup.ServerStartException;
import io.echoack.server.stream.DrainHandler;
import io.echoack.server.tls.ServerTls;
import io.echoack.server.unix.SocketFileGuard;
import io.netty.channel.Channel;
import io.netty.channel.EventLoopGroup;
import io.netty.channel.MultiThreadIoEventLoopGroup;
import io.netty.channel.group.ChannelGroup;
import io.netty.channel.group.DefaultChannelGroup;
import io.netty.util.concurrent.DefaultThreadFactory;
import io.netty.util.concurrent.GlobalEventExecutor;
import java.net.InetSocketAddress;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Starts echoack: every configured endpoint, stream or datagram, bound on one event-loop group of one
 * transport. Either every listener binds and a {@link RunningServer} is returned, or nothing is left
 * open and a {@link ServerStartException} says which endpoint failed and why.
 */
public final class EchoAckServer {

    private static final Logger log = LoggerFactory.getLogger(EchoAckServer.class);

    /**
     * At shutdown, how long a drained connection waits for its client to close after receiving its last
     * reply and end of stream, before the server closes it (within the drain timeout).
     */
    static final long DRAIN_LINGER_MILLIS = 2_000;

    private EchoAckServer() {
    }

    /** Binds every endpoint of {@code config}; see the class description. */
    public static RunningServer start(ServerConfig config) throws ServerStartException {
        TransportSelection selection;
        try {
            selection = Transport.select(config.transport());
        } catch (TransportUnavailableException e) {
            throw new ServerStartException(e.getMessage(), e);
        }
        Transport transport = selection.transport();
        for (Endpoint endpoint : config.listen()) {
            try {
                transport.requireSupport(endpoint);
            } catch (IllegalArgumentException e) {
                throw new ServerStartException("cannot listen on " + e.getMessage(), e);
            }
        }
        log.info("transport {} ({}), {} event-loop threads", transport, selection.reason(),
                config.effectiveThreads());
        ServerTls tls = null;
        if (config.listen().stream().anyMatch(e -> e.kind().isTls())) {
            tls = ServerTls.load(config.tls()); // once: every TLS listener and connection shares it
            log.info("{}", tls.describe());
        }

        EventLoopGroup group = new MultiThreadIoEventLoopGroup(config.effectiveThreads(),
                new DefaultThreadFactory("echoack-io", true), transport.ioHandlerFactory());
        ChannelGroup connections = new DefaultChannelGroup("echoack-connections", GlobalEventExecutor.INSTANCE);
        MessageLog messageLog = config.printMessages() ? new MessageLog(System.out) : null;
        ServerMetrics metrics = new ServerMetrics();
        RefusalWarnings warnings = new RefusalWarnings();
        Running running = new Running(config, selection, tls, group, connections, messageLog, metrics, warnings);
        ConnectionCounter counter = new ConnectionCounter(config.limits());
        ListenerBinder binder = new ListenerBinder(config, transport, group, connections, messageLog, counter, warnings);
        try {
            Set<String> labels = new HashSet<>();
            for (Endpoint endpoint : config.listen()) {
                ListenerSpec spec = config.listenerSpec(endpoint);
                String label = endpoint.address();
                for (int n = 2; !labels.add(label); n++) { // port 0 may repeat
                    label = endpoint.address() + "#" + n;
                }
                Channel listener = binder.bind(spec, metrics.listener(label), endpoint.kind().isTls() ? tls : null, label);
                running.add(listener, boundEndpoint(endpoint, listener));
                warnings.bound(label, running.bound.get(running.bound.size() - 1).toString());
                log.info("listening on {} ({})", running.bound.get(running.bound.size() - 1), spec.describe());
                if (endpoint.kind().isStream() && !transport.supportsHalfClosure(endpoint.kind())) {
                    log.warn("{}: the {} transport closes Unix stream connections when the client shuts down its "
                            + "output; replies still owed then are lost (epoll and kqueue keep them)", endpoint.address(),
                            transport);
                }
            }
            if (config.admin().isPresent()) {
                running.startAdmin(config.admin().get(), transport);
            }
        } catch (ServerStartException | RuntimeException e) {
            running.close();
            throw e;
        }
        warnings.start();
        running.ready = true;
        return running;
    }

    private static Endpoint boundEndpoint(Endpoint configured, Channel listener) {
        if (listener.localAddress() instanceof InetSocketAddress inet) {
            return configured.withPort(inet.getPort());
        }
        return configured;
    }

    /** The running server: listeners, connections, socket files and the group they share. */
    private static final class Running implements RunningServer {
        private final ServerConfig config;
        private final TransportSelection selection;
        private final ServerTls tls;
        private final EventLoopGroup group;
        private final ChannelGroup connections;
        private final MessageLog messageLog;
        private final ServerMetrics metrics;
        private final RefusalWarnings warnings;
        private final List<Channel> listeners = new ArrayList<>();
        private final List<Endpoint> bound = new ArrayList<>();
        private AdminServer admin;
        private volatile boolean ready;
        private final AtomicBoolean closing = new AtomicBoolean();
        private final CompletableFuture<Void> closed = new CompletableFuture<>();

        Running(ServerConfig config, TransportSelection selection, ServerTls tls, EventLoopGroup group,
                ChannelGroup connections, MessageLog messageLog, ServerMetrics metrics, RefusalWarnings warnings) {
            this.config = config;
            this.selection = selection;
            this.tls = tls;
            this.group = group;
            this.connections = connections;
            this.messageLog = messageLog;
            this.metrics = metrics;
            this.warnings = warnings;
        }

        void add(Channel listener, Endpoint endpoint) {
            listeners.add(listener);
            bound.add(endpoint);
        }

        void startAdmin(AdminEndpoint endpoint, Transport transport) throws ServerStartException {
            admin = AdminServer.start(endpoint, transport, group, new AdminHandler(metrics, () -> ready));
            log.info("admin endpoint on {} (/metrics, /healthz, /readyz)", admin.bound());
        }

        @Override
        public List<Endpoint> boundEndpoints() {
            return List.copyOf(bound);
        }

        @Override
        public Optional<AdminEndpoint> adminEndpoint() {
            return Optional.ofNullable(admin).map(AdminServer::bound);
        }

        @Override
        public TransportSelection transport() {
            return selection;
        }

        @Override
        public Optional<TlsProviderSelection> tlsProvider() {
            return Optional.ofNullable(tls).map(ServerTls::provider);
        }

        @Override
        public int openConnections() {
            return connections.size();
        }

        @Override
        public boolean isReady() {
            return ready;
        }

        @Override
        public ServerMetrics metrics() {
            return metrics;
        }

        @Override
        public CompletableFuture<Void> closeFuture() {
            return closed;
        }

        @Override
        public void close() {
            if (!closing.compareAndSet(false, true)) {
                closed.join();
                return;
            }
            try {
                ready = false;
                long drainMillis = config.drainTimeout().toMillis();
                long deadline = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(drainMillis);
                if (!listeners.isEmpty()) {
                    log.info("draining: no new connections; {} open get up to {} to take their replies",
                            connections.size(), Durations.format(config.drainTimeout()));
                }
                for (Channel listener : listeners) {
                    listener.close().awaitUninterruptibly();
                }
                long linger = Math.min(drainMillis, DRAIN_LINGER_MILLIS);
                for (Channel connection : connections) {
                    connection.eventLoop().execute(() -> DrainHandler.start(connection, linger));
                }
                long left = TimeUnit.NANOSECONDS.toMillis(deadline - System.nanoTime());
                if (!connections.newCloseFuture().awaitUninterruptibly(Math.max(left, 0))) {
                    log.warn("{} connections still open after the drain timeout; closing them now", connections.size());
                    connections.close().awaitUninterruptibly();
                }
                for (Endpoint endpoint : bound) {
                    if (endpoint.kind().isUnixDomain()) {
                        SocketFileGuard.remove(endpoint.path());
                    }
                }
                if (admin != null) {
                    admin.close();
                }
                group.shutdownGracefully(0, 2, TimeUnit.SECONDS).awaitUninterruptibly();
                warnings.close(); // after the event loops: what they refused last is reported too
                if (messageLog != null) {
                    messageLog.close();
                }
                if (!bound.isEmpty()) {
                    log.info("closed {}", bound);
                }
            } finally {
                closed.complete(null);
            }
        }
    }
}
