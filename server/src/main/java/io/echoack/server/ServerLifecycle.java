package io.echoack.server;

import io.echoack.common.endpoint.Endpoint;
import io.echoack.common.text.Durations;
import io.echoack.common.tls.TlsProviderSelection;
import io.echoack.common.transport.TransportSelection;
import io.echoack.server.admin.AdminAccess;
import io.echoack.server.admin.AdminServer;
import io.echoack.server.admin.Readiness;
import io.echoack.server.binding.BoundListener;
import io.echoack.server.binding.ListenerContexts;
import io.echoack.server.config.AdminEndpoint;
import io.echoack.server.config.ServerConfig;
import io.echoack.server.fault.ServerFaults;
import io.echoack.server.connectionlog.ConnectionLog;
import io.echoack.server.limits.RefusalWarnings;
import io.echoack.server.messagelog.MessageLog;
import io.echoack.server.metrics.ServerMetrics;
import io.echoack.server.output.LineQueue;
import io.echoack.server.reload.ConfigReload;
import io.echoack.server.reload.FaultsReload;
import io.echoack.server.reload.ReloadReport;
import io.echoack.server.reload.Reloadable;
import io.echoack.server.reload.AdminTokenReload;
import io.echoack.server.reload.AllowReload;
import io.echoack.server.reload.ConnectionLimitsReload;
import io.echoack.server.reload.IdentityReload;
import io.echoack.server.reload.RolloutReload;
import io.echoack.server.reload.TimeoutsReload;
import io.echoack.server.reload.UdpGuardReload;
import io.echoack.server.reload.TlsReload;
import io.echoack.server.rollout.ReadinessTimeline;
import io.echoack.server.stream.DrainHandler;
import io.echoack.server.tls.ServerTls;
import io.echoack.server.unix.SocketFileGuard;
import io.netty.channel.Channel;
import io.netty.channel.EventLoopGroup;
import io.netty.channel.group.ChannelGroup;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The running server: what {@link EchoAckServer} started (listeners, connections, socket files, the admin
 * endpoint and the event-loop group they share), its readiness, and the close sequence that drains it.
 */
final class ServerLifecycle implements RunningServer {

    /** The server's start and stop lines keep one logger name, whichever class writes them. */
    private static final Logger log = LoggerFactory.getLogger(EchoAckServer.class);

    /**
     * At shutdown, how long a drained connection waits for its client to close after receiving its last
     * reply and end of stream, before the server closes it (within the drain timeout).
     */
    static final long DRAIN_LINGER_MILLIS = 2_000;

    private final ServerConfig config;
    private final TransportSelection selection;
    private final ServerTls tls;
    private final EventLoopGroup group;
    private final ChannelGroup connections;
    private final Output output;
    private final ServerMetrics metrics;
    private final RefusalWarnings warnings;
    private final List<BoundListener> listeners = new ArrayList<>();
    private final List<Endpoint> bound = new ArrayList<>();
    /** Every listener's faults, added as each binds: what /faults and a reload of the file change. */
    private final ServerFaults faults = new ServerFaults();
    private final ConfigReload reloads;
    private AdminServer admin;
    private final ReadinessTimeline timeline;
    /** The timeline's say combined with a hold by hand: what /readyz and {@link #isReady()} report. */
    private final Readiness readiness = new Readiness(this::lifecycleNotReadyReason);
    /** Counted down by {@link #drainNow()}: ends the wait of a {@link #close()} in its drain delay. */
    private final CountDownLatch drainNow = new CountDownLatch(1);
    /** Set once every listener is bound: only a server that started waits out its drain delay. */
    private volatile boolean started;
    private final AtomicBoolean closing = new AtomicBoolean();
    private final CompletableFuture<Void> closed = new CompletableFuture<>();

    /**
     * What the server writes on standard output, each null when off: the queue both logs write through, the
     * message log ({@code --print-messages}) and the connection log ({@code --connection-log}).
     */
    record Output(LineQueue stdout, MessageLog messageLog, ConnectionLog connectionLog) {

        /** The logs' last words, then what is still queued, written out. */
        void close() {
            if (connectionLog != null) {
                connectionLog.close();
            }
            if (messageLog != null) {
                messageLog.close();
            }
            if (stdout != null) {
                stdout.close();
            }
        }
    }

    ServerLifecycle(ServerConfig config, TransportSelection selection, ServerTls tls, EventLoopGroup group,
                    ChannelGroup connections, Output output, ServerMetrics metrics, RefusalWarnings warnings,
                    AdminAccess adminAccess, ListenerContexts contexts) {
        this.config = config;
        this.selection = selection;
        this.tls = tls;
        this.group = group;
        this.connections = connections;
        this.output = output;
        this.metrics = metrics;
        this.warnings = warnings;
        this.timeline = new ReadinessTimeline(config.rollout(), System::nanoTime);
        List<Reloadable> parts = new ArrayList<>();
        if (tls != null) {
            parts.add(new TlsReload(tls));
        }
        parts.add(new AdminTokenReload(adminAccess));
        parts.add(new ConnectionLimitsReload(contexts.gates().connections()));
        parts.add(new TimeoutsReload(contexts.gates().timeouts()));
        parts.add(new UdpGuardReload(contexts.gates().udpGuard()));
        parts.add(new AllowReload(contexts.gates().allow()));
        parts.add(new IdentityReload(contexts.identity()));
        parts.add(new RolloutReload(timeline));
        parts.add(new FaultsReload(faults));
        this.reloads = new ConfigReload(config, parts);
    }

    @Override
    public synchronized ReloadReport reload(ServerConfig next) {
        ReloadReport report = reloads.apply(next);
        report.applied().forEach(change -> log.info("reload: {}", change));
        report.refused().forEach(change -> log.warn("reload: not applied: {}", change));
        report.failed().forEach(failure -> log.error("reload: {}; still serving the previous one", failure));
        if (report.isEmpty()) {
            log.info("reload: nothing changed");
        }
        return report;
    }

    /** A listener now bound, on {@code endpoint} (its port filled in); closed first at shutdown. */
    void add(BoundListener listener, Endpoint endpoint) {
        listeners.add(listener);
        bound.add(endpoint);
    }

    /** Every listener's faults, in configuration order; the server adds each listener's as it binds. */
    ServerFaults faults() {
        return faults;
    }

    /** The admin endpoint now serving; closed after the listeners' socket files are removed. */
    void admin(AdminServer admin) {
        this.admin = admin;
    }

    /**
     * Every listener is bound: {@code /readyz} says ready after the start delay, until shutdown begins (unless
     * held not ready by hand).
     */
    void ready() {
        started = true;
        timeline.listening();
        Duration startDelay = config.rollout().startDelay();
        if (!startDelay.isZero()) {
            log.info("listening, but not ready for {} (start delay)", Durations.format(startDelay));
        }
    }

    /** Whether the server should get traffic, and why not; the admin endpoint reads it and holds it by hand. */
    Readiness readiness() {
        return readiness;
    }

    /** What the timeline says: null when ready, else {@code starting} or {@code draining}. */
    private String lifecycleNotReadyReason() {
        if (timeline.isReady()) {
            return null;
        }
        return closing.get() ? "draining" : "starting";
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
        return readiness.isReady();
    }

    @Override
    public void drainNow() {
        timeline.drainNow();
        drainNow.countDown();
    }

    @Override
    public ServerMetrics metrics() {
        return metrics;
    }

    @Override
    public CompletableFuture<Void> closeFuture() {
        return closed;
    }

    /**
     * Not ready, still accepting and answering, until the drain delay has passed or {@link #drainNow()} is
     * called: bounded by the delay, which the timeline measures on the same clock.
     */
    private void awaitDrainDelay() {
        Duration left = timeline.untilDrain();
        if (left.isZero() || !started) { // a server that failed to start has nothing to hand over
            return;
        }
        log.info("not ready; still serving for {} before the drain (the drain delay)", Durations.format(left));
        boolean interrupted = false;
        while (!left.isZero()) {
            try {
                if (drainNow.await(left.toNanos(), TimeUnit.NANOSECONDS)) {
                    log.info("drain requested again: draining now");
                }
            } catch (InterruptedException e) {
                interrupted = true;
                timeline.drainNow(); // an interrupted close drains at once, and keeps the interrupt
            }
            left = timeline.untilDrain();
        }
        if (interrupted) {
            Thread.currentThread().interrupt();
        }
    }

    /**
     * Turns not-ready, keeps accepting and answering for the drain delay (or until {@link #drainNow()}), stops
     * accepting, lets every connection take its replies within the drain timeout (then closes the rest), removes
     * the Unix socket files, closes the admin endpoint, shuts the event loops down, then reports the last
     * refusals and writes out the message and connection logs.
     */
    @Override
    public void close() {
        if (!closing.compareAndSet(false, true)) {
            closed.join();
            return;
        }
        try {
            timeline.stopRequested();
            awaitDrainDelay();
            long drainMillis = config.drainTimeout().toMillis();
            long deadline = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(drainMillis);
            if (!listeners.isEmpty()) {
                log.info("draining: no new connections; {} open get up to {} to take their replies",
                        connections.size(), Durations.format(config.drainTimeout()));
            }
            for (BoundListener listener : listeners) {
                listener.close();
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
            output.close(); // after the event loops too: every connection's line is queued by now
            if (!bound.isEmpty()) {
                log.info("closed {}", bound);
            }
        } finally {
            closed.complete(null);
        }
    }
}
