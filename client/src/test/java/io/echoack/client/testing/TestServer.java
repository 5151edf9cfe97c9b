package io.echoack.client.testing;

import io.echoack.common.endpoint.Endpoint;
import io.echoack.common.transport.Transport;
import io.echoack.server.EchoAckServer;
import io.echoack.server.RunningServer;
import io.echoack.server.config.ServerConfig;
import io.echoack.server.limits.ConnectionLimits;
import io.echoack.server.tls.TlsSettings;
import java.util.List;

/** A real echoack server for client tests: the given endpoints (port 0 resolved), closed by {@link #close()}. */
public final class TestServer implements AutoCloseable {

    private final RunningServer server;

    private TestServer(RunningServer server) {
        this.server = server;
    }

    /** Starts a server on {@code transport} with the default config otherwise (ack, tutorial texts). */
    public static TestServer start(Transport transport, List<String> listen) throws Exception {
        return start(ServerConfig.defaults().withTransport(transport), listen);
    }

    /**
     * Starts a server with {@code config}, two event-loop threads and no connection limits (client tests
     * open hundreds of connections from one address; the limits are the server's own tests' business).
     */
    public static TestServer start(ServerConfig config, List<String> listen) throws Exception {
        return new TestServer(EchoAckServer.start(config.withThreads(2).withLimits(ConnectionLimits.unlimited())
                .withListen(listen.stream().map(Endpoint::parse).toList())));
    }

    /**
     * Starts a server with {@code limits} instead of none, {@code config} otherwise (its listen list replaced):
     * for tests of what a client meets at a server's connection limit.
     */
    public static TestServer startWithLimits(ServerConfig config, ConnectionLimits limits, List<String> listen)
            throws Exception {
        return new TestServer(EchoAckServer.start(config.withThreads(2).withLimits(limits)
                .withListen(listen.stream().map(Endpoint::parse).toList())));
    }

    /** Starts a server with {@code tls} for its {@code tls://} endpoints, the defaults otherwise. */
    public static TestServer startTls(TlsSettings tls, List<String> listen) throws Exception {
        return start(ServerConfig.defaults().toBuilder().tls(tls)
                .listen(listen.stream().map(Endpoint::parse).toList()).build(), listen);
    }

    /** The i-th endpoint of the listen list, with its real port. */
    public Endpoint endpoint(int i) {
        return server.boundEndpoints().get(i);
    }

    public List<Endpoint> endpoints() {
        return server.boundEndpoints();
    }

    @Override
    public void close() {
        server.close();
    }
}
