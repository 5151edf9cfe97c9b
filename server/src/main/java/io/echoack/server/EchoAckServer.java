package io.echoack.server;

import io.echoack.common.endpoint.Endpoint;
import io.echoack.common.text.FieldMessage;
import io.echoack.common.text.InvalidFieldException;
import io.echoack.common.transport.Transport;
import io.echoack.common.transport.TransportSelection;
import io.echoack.common.transport.TransportUnavailableException;
import io.echoack.server.admin.AdminAccess;
import io.echoack.server.admin.AdminHandler;
import io.echoack.server.admin.AdminServer;
import io.echoack.server.admin.AdminToken;
import io.echoack.server.binding.BoundListener;
import io.echoack.server.binding.ListenerBinder;
import io.echoack.server.binding.ListenerContexts;
import io.echoack.server.config.ServerConfig;
import io.echoack.server.connectionlog.ConnectionLog;
import io.echoack.server.eventloop.ConnectionsPerLoop;
import io.echoack.server.identity.Identity;
import io.echoack.server.limits.RefusalWarnings;
import io.echoack.server.listener.ListenerContext;
import io.echoack.server.messagelog.MessageLog;
import io.echoack.server.metrics.ServerMetrics;
import io.echoack.server.output.LineQueue;
import io.echoack.server.startup.ServerStartException;
import io.echoack.server.tls.ServerTls;
import io.netty.channel.EventLoopGroup;
import io.netty.channel.MultiThreadIoEventLoopGroup;
import io.netty.channel.group.ChannelGroup;
import io.netty.util.concurrent.DefaultThreadFactory;
import io.netty.util.concurrent.GlobalEventExecutor;
import io.netty.util.concurrent.ThreadPerTaskExecutor;
import java.net.InetSocketAddress;
import java.time.Clock;
import java.util.HashSet;
import java.util.Set;
import java.util.function.Function;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Starts echoack: every configured endpoint, stream or datagram, bound on one event-loop group of one
 * transport. Either every listener binds and a {@link RunningServer} is returned, or nothing is left
 * open and a {@link ServerStartException} says which endpoint failed and why.
 *
 * <p>This class only composes: {@link ListenerContexts} makes each listener's context (what its pipelines are
 * built from), {@link ListenerBinder} binds each listener (bootstraps, socket options,
 * allocators, bind errors), {@link AdminServer} serves the admin endpoint, and {@link ServerLifecycle} holds
 * what was started and drains it at close.
 */
public final class EchoAckServer {

    private static final Logger log = LoggerFactory.getLogger(EchoAckServer.class);

    private EchoAckServer() {
    }

    /**
     * Binds every endpoint of {@code config}; see the class description. The startup log names settings by
     * their field ({@code requested with transport epoll}).
     */
    public static RunningServer start(ServerConfig config) throws ServerStartException {
        return start(config, Function.identity());
    }

    /**
     * As {@link #start(ServerConfig)}, with the startup log naming each setting as {@code settingNames} names
     * it, given the setting's field name: a command line passes the flag or variable its user gave, so that
     * the log says {@code requested with --transport epoll}.
     */
    public static RunningServer start(ServerConfig config, Function<String, String> settingNames)
            throws ServerStartException {
        TransportSelection selection = selectTransport(config);
        Transport transport = selection.transport();
        log.info("transport {} ({}), {} event-loop threads", transport, selection.reason().render(settingNames),
                config.effectiveThreads());
        // Read once, before anything binds: a missing or weak token stops the start.
        AdminAccess access = config.adminControl().enabled()
                ? AdminAccess.withToken(AdminToken.read(config.adminControl().tokenFile().orElseThrow()))
                : AdminAccess.off();
        ServerTls tls = null;
        if (config.listen().stream().anyMatch(e -> e.kind().isTls())) {
            tls = ServerTls.load(config.tls()); // once: every TLS listener and connection shares it
            log.info("{}", tls.describe().render(settingNames));
        }

        // A new connection stays on the event loop that accepted it unless that loop is the busier (ConnectionsPerLoop)
        ConnectionsPerLoop perLoop = new ConnectionsPerLoop();
        EventLoopGroup group = new MultiThreadIoEventLoopGroup(config.effectiveThreads(),
                new ThreadPerTaskExecutor(new DefaultThreadFactory("echoack-io", true)), perLoop.chooserFactory(),
                transport.ioHandlerFactory());
        ChannelGroup connections = perLoop.newConnectionGroup("echoack-connections", GlobalEventExecutor.INSTANCE);
        boolean logsConnections = config.connectionLog().isOn();
        LineQueue stdout = config.printMessages() || logsConnections ? new LineQueue(System.out) : null;
        MessageLog messageLog = config.printMessages() ? new MessageLog(stdout) : null;
        ConnectionLog connectionLog =
                logsConnections ? new ConnectionLog(config.connectionLog(), stdout, Clock.systemUTC()) : null;
        ServerMetrics metrics = new ServerMetrics();
        if (connectionLog != null) {
            metrics.connectionLogDropped(connectionLog::dropped);
        }
        RefusalWarnings warnings = new RefusalWarnings();
        Identity identity = Identity.resolve(config.identity(), transport); // the host name: once, here
        ListenerContexts contexts = new ListenerContexts(config, metrics, tls, connections, messageLog,
                connectionLog, warnings, identity);
        ServerLifecycle running = new ServerLifecycle(config, selection, tls, group, connections,
                new ServerLifecycle.Output(stdout, messageLog, connectionLog), metrics, warnings, access, contexts);
        ListenerBinder binder = new ListenerBinder(config, transport, group);
        try {
            Set<String> labels = new HashSet<>();
            for (Endpoint endpoint : config.listen()) {
                String label = uniqueLabel(endpoint, labels);
                ListenerContext context = contexts.forEndpoint(endpoint, label);
                running.faults().add(label, context.faults());
                BoundListener listener = binder.bind(context);
                Endpoint bound = boundEndpoint(endpoint, listener);
                running.add(listener, bound);
                warnings.bound(label, bound.toString());
                if (connectionLog != null) {
                    connectionLog.bound(label, bound.toString());
                }
                log.info("listening on {} ({})", bound, context.spec().describe());
                if (endpoint.kind().isStream() && !transport.supportsHalfClosure(endpoint.kind())) {
                    log.warn("{}: the {} transport closes Unix stream connections when the client shuts down its "
                            + "output; replies still owed then are lost (epoll and kqueue keep them)", endpoint.address(),
                            transport);
                }
            }
            if (config.admin().isPresent()) {
                AdminServer admin = AdminServer.start(config.admin().get(), transport, group,
                        new AdminHandler(metrics, running.readiness(), access, new AdminFaultControl(running.faults()),
                                settingNames));
                running.admin(admin);
                log.info("admin endpoint on {} (/metrics, /healthz, /readyz{})", admin.bound(),
                        config.adminControl().tokenFile().map(f -> "; control on, for the bearer token in " + f)
                                .orElse(""));
            }
        } catch (ServerStartException | RuntimeException e) {
            running.close();
            throw e;
        }
        warnings.start();
        running.ready();
        return running;
    }

    /** The configured transport, or the best available one, able to serve every endpoint's kind. */
    private static TransportSelection selectTransport(ServerConfig config) throws ServerStartException {
        TransportSelection selection;
        try {
            selection = Transport.select(config.transport());
        } catch (TransportUnavailableException e) {
            throw new ServerStartException(e.fieldMessage().orElseThrow(), e);
        }
        for (Endpoint endpoint : config.listen()) {
            try {
                selection.transport().requireSupport(endpoint);
            } catch (InvalidFieldException e) {
                throw new ServerStartException(FieldMessage.of("cannot listen on ", e.fieldMessage().orElseThrow()),
                        e);
            }
        }
        return selection;
    }

    /** The endpoint's address as the metrics and warnings label it; port 0 may repeat, so later ones get #2, #3. */
    private static String uniqueLabel(Endpoint endpoint, Set<String> labels) {
        String label = endpoint.address();
        for (int n = 2; !labels.add(label); n++) {
            label = endpoint.address() + "#" + n;
        }
        return label;
    }

    private static Endpoint boundEndpoint(Endpoint configured, BoundListener listener) {
        if (listener.localAddress() instanceof InetSocketAddress inet) {
            return configured.withPort(inet.getPort());
        }
        return configured;
    }
}
