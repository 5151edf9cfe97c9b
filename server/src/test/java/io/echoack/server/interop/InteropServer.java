package io.echoack.server.interop;

import io.echoack.common.endpoint.Endpoint;
import io.echoack.server.EchoAckServer;
import io.echoack.server.RunningServer;
import io.echoack.server.config.ServerConfig;
import io.echoack.server.startup.ServerStartException;
import io.echoack.server.testing.Tools;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * In-process servers whose endpoints the tests name ({@code "tcp-ack"}, {@code "unix-echo"}, ...), so a
 * test asks for {@code port("tcp-ack")} instead of counting positions in {@code boundEndpoints()}.
 *
 * <p>All endpoints share one server where the configuration allows it. {@link ServerConfig} currently
 * rejects two endpoints with the same address even when their port is 0 (see
 * {@code NetcatInteropIT.ackAndEchoListenersOnPortZeroShareOneServer}), so an endpoint whose address is
 * already taken goes to a further server.
 */
final class InteropServer implements AutoCloseable {

    private final List<RunningServer> servers = new ArrayList<>();
    private final Map<String, Endpoint> byName = new LinkedHashMap<>();

    private InteropServer() {
    }

    /**
     * Starts servers for {@code endpoints} (name to endpoint URI, in order), every other setting from
     * {@code config}.
     */
    static InteropServer start(ServerConfig config, Map<String, String> endpoints) throws ServerStartException {
        List<List<String>> groups = new ArrayList<>();
        for (Map.Entry<String, String> entry : endpoints.entrySet()) {
            String address = Endpoint.parse(entry.getValue()).address();
            List<String> group = groups.stream()
                    .filter(names -> names.stream().noneMatch(n -> address(endpoints.get(n)).equals(address)))
                    .findFirst()
                    .orElseGet(() -> {
                        List<String> fresh = new ArrayList<>();
                        groups.add(fresh);
                        return fresh;
                    });
            group.add(entry.getKey());
        }
        InteropServer started = new InteropServer();
        try {
            for (List<String> names : groups) {
                String[] uris = names.stream().map(endpoints::get).toArray(String[]::new);
                RunningServer server = EchoAckServer.start(config.withListen(uris));
                started.servers.add(server);
                List<Endpoint> bound = server.boundEndpoints();
                for (int i = 0; i < names.size(); i++) {
                    started.byName.put(names.get(i), bound.get(i));
                }
            }
        } catch (ServerStartException | RuntimeException e) {
            started.close();
            throw e;
        }
        return started;
    }

    /**
     * One ack and one echo listener of each kind, named {@code tcp-ack}, {@code tcp-echo}, {@code udp-ack} ...
     * {@code unixgram-echo}, the Unix sockets in {@code dir}; a map that a test may add to.
     */
    static Map<String, String> ackAndEchoOfEachKind(Path dir) {
        Map<String, String> endpoints = new LinkedHashMap<>();
        endpoints.put("tcp-ack", "tcp://127.0.0.1:0");
        endpoints.put("tcp-echo", "tcp://127.0.0.1:0?mode=echo");
        endpoints.put("udp-ack", "udp://127.0.0.1:0");
        endpoints.put("udp-echo", "udp://127.0.0.1:0?mode=echo");
        endpoints.put("unix-ack", "unix://" + Tools.socketPath(dir, "a.sock"));
        endpoints.put("unix-echo", "unix://" + Tools.socketPath(dir, "e.sock") + "?mode=echo");
        endpoints.put("unixgram-ack", "unixgram://" + Tools.socketPath(dir, "ga.sock"));
        endpoints.put("unixgram-echo", "unixgram://" + Tools.socketPath(dir, "ge.sock") + "?mode=echo");
        return endpoints;
    }

    private static String address(String uri) {
        return Endpoint.parse(uri).address();
    }

    /** The port the OS gave the TCP or UDP endpoint {@code name}, as a command-line argument. */
    String port(String name) {
        return Integer.toString(endpoint(name).port());
    }

    /** The socket file of the Unix endpoint {@code name}. */
    String path(String name) {
        return endpoint(name).path().toString();
    }

    Endpoint endpoint(String name) {
        Endpoint endpoint = byName.get(name);
        if (endpoint == null) {
            throw new IllegalArgumentException("no endpoint named " + name + "; have " + byName.keySet());
        }
        return endpoint;
    }

    @Override
    public void close() {
        for (RunningServer server : servers) {
            server.close();
        }
    }
}
