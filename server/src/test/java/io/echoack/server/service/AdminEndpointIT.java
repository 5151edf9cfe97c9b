package io.echoack.server.service;

import static java.nio.charset.StandardCharsets.US_ASCII;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.echoack.common.endpoint.Endpoint;
import io.echoack.server.EchoAckServer;
import io.echoack.server.RunningServer;
import io.echoack.server.config.AdminEndpoint;
import io.echoack.server.config.ServerConfig;
import io.echoack.server.startup.ServerStartException;
import java.io.IOException;
import java.net.DatagramPacket;
import java.net.DatagramSocket;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/** The admin HTTP endpoint, queried with the JDK's HTTP client against a running server. */
@Timeout(value = 60, unit = TimeUnit.SECONDS)
class AdminEndpointIT {

    private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();

    private static RunningServer start(ServerConfig config) throws ServerStartException {
        return EchoAckServer.start(config.withAdmin("http://127.0.0.1:0").withThreads(2));
    }

    private HttpResponse<String> get(RunningServer server, String path) throws Exception {
        return send(server, HttpRequest.newBuilder(uri(server, path)).GET());
    }

    private HttpResponse<String> send(RunningServer server, HttpRequest.Builder request) throws Exception {
        return http.send(request.timeout(Duration.ofSeconds(5)).build(), HttpResponse.BodyHandlers.ofString());
    }

    private static URI uri(RunningServer server, String path) {
        AdminEndpoint admin = server.adminEndpoint().orElseThrow();
        return URI.create("http://127.0.0.1:" + admin.port() + path);
    }

    /** Parses the Prometheus text format into "name{labels}" → value, checking every line's shape. */
    static Map<String, Double> samples(String body) {
        Pattern sample = Pattern.compile("^([a-zA-Z_:][a-zA-Z0-9_:]*(?:\\{[^}]*\\})?) (-?[0-9.eE+-]+|NaN|\\+Inf)$");
        return body.lines().filter(l -> !l.isEmpty()).peek(l -> {
            if (!l.startsWith("# HELP ") && !l.startsWith("# TYPE ") && !sample.matcher(l).matches()) {
                throw new AssertionError("not Prometheus text format: " + l);
            }
        }).filter(l -> !l.startsWith("#")).map(sample::matcher).filter(Matcher::matches)
                .collect(Collectors.toMap(m -> m.group(1), m -> Double.parseDouble(m.group(2)), (a, b) -> b));
    }

    @Test
    void healthAndReadinessWhileServing() throws Exception {
        try (RunningServer server = start(ServerConfig.defaults().withListen("tcp://127.0.0.1:0"))) {
            HttpResponse<String> health = get(server, "/healthz");
            assertEquals(200, health.statusCode());
            assertEquals("ok\n", health.body());
            HttpResponse<String> ready = get(server, "/readyz");
            assertEquals(200, ready.statusCode());
            assertEquals("ready\n", ready.body());
            assertTrue(server.isReady());
        }
    }

    @Test
    void metricsCountWhatHappenedPerEndpoint() throws Exception {
        ServerConfig config = ServerConfig.defaults().withListen("tcp://127.0.0.1:0", "udp://127.0.0.1:0?mode=echo")
                .withMaxFrameLength(16);
        try (RunningServer server = start(config)) {
            Endpoint tcp = server.boundEndpoints().get(0);
            try (Socket s = new Socket()) {
                s.connect(new InetSocketAddress(tcp.host(), tcp.port()), 5000);
                s.getOutputStream().write(("one\ntwo\nthree\n" + "x".repeat(40) + "\n").getBytes(US_ASCII));
                String expected = "I got your message\n".repeat(3) + "ERROR: message longer than 16 bytes\n";
                assertEquals(expected, new String(s.getInputStream().readNBytes(expected.length()), US_ASCII));
            }
            Endpoint udp = server.boundEndpoints().get(1);
            try (DatagramSocket d = new DatagramSocket()) {
                d.setSoTimeout(5000);
                for (int i = 0; i < 2; i++) {
                    d.send(new DatagramPacket(new byte[10], 10, new InetSocketAddress(udp.host(), udp.port())));
                    d.receive(new DatagramPacket(new byte[100], 100));
                }
            }
            awaitClosedConnections(server);
            HttpResponse<String> response = get(server, "/metrics");
            assertEquals(200, response.statusCode());
            assertTrue(response.headers().firstValue("content-type").orElse("").startsWith("text/plain; version=0.0.4"),
                    response.headers().toString());
            Map<String, Double> m = samples(response.body());
            String t = "{endpoint=\"tcp://127.0.0.1:0\"}";
            String u = "{endpoint=\"udp://127.0.0.1:0\"}";
            assertEquals(3.0, m.get("echoack_messages_received_total" + t), response.body());
            assertEquals(4.0, m.get("echoack_messages_sent_total" + t), "3 acks and 1 error line");
            assertEquals(14.0, m.get("echoack_bytes_received_total" + t), "one\\n two\\n three\\n");
            assertEquals(3 * 19.0 + 36, m.get("echoack_bytes_sent_total" + t));
            assertEquals(1.0, m.get("echoack_errors_total{endpoint=\"tcp://127.0.0.1:0\",kind=\"frame_too_long\"}"));
            assertEquals(1.0, m.get("echoack_connections_total" + t));
            assertEquals(0.0, m.get("echoack_connections_open" + t));
            assertEquals(2.0, m.get("echoack_messages_received_total" + u));
            assertEquals(20.0, m.get("echoack_bytes_sent_total" + u));
            assertTrue(m.get("echoack_reply_latency_seconds_count" + t) >= 1.0);
        }
    }

    private static void awaitClosedConnections(RunningServer server) throws InterruptedException {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(5);
        while (server.openConnections() > 0 && System.nanoTime() < deadline) {
            Thread.sleep(10);
        }
    }

    @Test
    void unknownPathsAndMethodsKeepAliveAndHead() throws Exception {
        try (RunningServer server = start(ServerConfig.defaults().withListen("tcp://127.0.0.1:0"))) {
            assertEquals(404, get(server, "/").statusCode());
            assertEquals(404, get(server, "/metricz").statusCode());
            HttpResponse<String> post = send(server, HttpRequest.newBuilder(uri(server, "/metrics"))
                    .POST(HttpRequest.BodyPublishers.ofString("x")));
            assertEquals(405, post.statusCode());
            assertEquals("GET, HEAD", post.headers().firstValue("allow").orElse(""));
            HttpResponse<String> head = send(server, HttpRequest.newBuilder(uri(server, "/healthz"))
                    .method("HEAD", HttpRequest.BodyPublishers.noBody()));
            assertEquals(200, head.statusCode());
            assertEquals("", head.body());
            for (int i = 0; i < 20; i++) { // one kept-alive connection serves them all
                assertEquals(200, get(server, "/metrics").statusCode());
            }
        }
    }

    @Test
    void readinessTurnsUnavailableWhileDraining() throws Exception {
        ServerConfig config = ServerConfig.defaults().withListen("tcp://127.0.0.1:0")
                .withDrainTimeout(Duration.ofSeconds(5));
        RunningServer server = start(config);
        URI readyz = uri(server, "/readyz");
        Endpoint tcp = server.boundEndpoints().get(0);
        try (Socket idle = new Socket()) {
            idle.connect(new InetSocketAddress(tcp.host(), tcp.port()), 5000); // keeps the drain busy a moment
            CompletableFuture<Void> closing = CompletableFuture.runAsync(server::close);
            HttpResponse<String> during = null;
            long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(5);
            while (System.nanoTime() < deadline && !closing.isDone()) {
                HttpResponse<String> r = http.send(HttpRequest.newBuilder(readyz).timeout(Duration.ofSeconds(2))
                        .GET().build(), HttpResponse.BodyHandlers.ofString());
                if (r.statusCode() != 200) {
                    during = r;
                    break;
                }
            }
            assertTrue(during != null, "readyz never reported draining");
            assertEquals(503, during.statusCode());
            assertEquals("not ready: draining\n", during.body());
            assertEquals(-1, idle.getInputStream().read(), "the idle client is told the end, then closed");
            closing.get(10, TimeUnit.SECONDS);
        }
        assertFalse(server.isReady());
        assertThrows(IOException.class, () -> http.send(HttpRequest.newBuilder(readyz)
                .timeout(Duration.ofSeconds(2)).GET().build(), HttpResponse.BodyHandlers.ofString()));
    }

    @Test
    void adminPortInUseIsAStartupError() throws Exception {
        try (RunningServer first = start(ServerConfig.defaults().withListen("tcp://127.0.0.1:0"))) {
            int port = first.adminEndpoint().orElseThrow().port();
            ServerStartException e = assertThrows(ServerStartException.class, () -> EchoAckServer.start(
                    ServerConfig.defaults().withListen("tcp://127.0.0.1:0").withAdmin("http://127.0.0.1:" + port)));
            assertEquals("cannot serve the admin endpoint on http://127.0.0.1:" + port + ": address already in use",
                    e.getMessage());
        }
    }

    @Test
    void adminEndpointSyntax() {
        assertEquals(new AdminEndpoint("", 9090), AdminEndpoint.parse("http://:9090"));
        assertEquals(new AdminEndpoint("::1", 9090), AdminEndpoint.parse("http://[::1]:9090"));
        assertEquals("http://0.0.0.0:9090", AdminEndpoint.parse("http://0.0.0.0:9090/").toString());
        for (String bad : new String[] {"https://x:1", "http://x", "http://x:1/metrics", "9090"}) {
            IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> AdminEndpoint.parse(bad));
            assertTrue(e.getMessage().startsWith("invalid admin endpoint '" + bad + "': "), e.getMessage());
        }
    }
}
