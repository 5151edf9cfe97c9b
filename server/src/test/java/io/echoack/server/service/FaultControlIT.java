package io.echoack.server.service;

import static io.echoack.server.service.FaultProbes.answered;
import static io.echoack.server.service.FaultProbes.assertResets;
import static io.echoack.server.service.FaultProbes.exchange;
import static java.nio.charset.StandardCharsets.US_ASCII;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.echoack.common.endpoint.Endpoint;
import io.echoack.server.EchoAckServer;
import io.echoack.server.RunningServer;
import io.echoack.server.config.ServerConfig;
import io.echoack.server.testing.TlsClients;
import java.net.Socket;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code /faults} on a running server, seen from a client over loopback: faults set by {@code PUT} reach a
 * listener that started without any (UDP: the channel bound at start; TCP: connections accepted after), a
 * {@code DELETE} makes it answer again, and bad requests are refused with the status the README gives.
 */
@Timeout(value = 60, unit = TimeUnit.SECONDS)
class FaultControlIT {

    private static final String TOKEN = "7c1e9a3b5d2f4e6a8b0c1d3e5f7a9b2c";
    private static final String BEARER = "Bearer " + TOKEN;

    @TempDir
    Path dir;

    private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();

    private RunningServer start(boolean control, String... listen) throws Exception {
        ServerConfig config = ServerConfig.defaults().withListen(listen).withThreads(2).withAdmin("http://127.0.0.1:0");
        if (control) {
            config = config.withAdminControl(Files.writeString(dir.resolve("token"), TOKEN + "\n"));
        }
        return EchoAckServer.start(config);
    }

    private HttpResponse<String> send(RunningServer server, String method, String query, String body,
                                      String authorization) throws Exception {
        HttpRequest.Builder request = HttpRequest.newBuilder(URI.create("http://127.0.0.1:"
                        + server.adminEndpoint().orElseThrow().port() + "/faults" + query))
                .timeout(Duration.ofSeconds(5))
                .method(method, body == null ? HttpRequest.BodyPublishers.noBody()
                        : HttpRequest.BodyPublishers.ofString(body));
        if (authorization != null) {
            request.header("Authorization", authorization);
        }
        return http.send(request.build(), HttpResponse.BodyHandlers.ofString());
    }

    private static String endpointQuery(String label) {
        return "?endpoint=" + URLEncoder.encode(label, StandardCharsets.UTF_8);
    }

    @Test
    void aDropSetAtRunTimeReachesAUdpListenerThatStartedCleanAndDeleteEndsIt() throws Exception {
        try (RunningServer server = start(true, "udp://127.0.0.1:0?mode=echo")) {
            Endpoint udp = server.boundEndpoints().get(0);
            assertEquals(5, answered(udp, 5), "clean at start");

            HttpResponse<String> put = send(server, "PUT", endpointQuery("udp://127.0.0.1:0"), "drop=100%", BEARER);
            assertEquals(200, put.statusCode(), put.body());
            assertEquals("{\"endpoint\":\"udp://127.0.0.1:0\",\"faults\":{\"drop\":\"100%\"}}\n", put.body());
            assertEquals(0, answered(udp, 5), "every reply dropped");
            HttpResponse<String> list = send(server, "GET", "", null, null);
            assertEquals("{\"listeners\":[{\"endpoint\":\"udp://127.0.0.1:0\",\"faults\":{\"drop\":\"100%\"}}]}\n",
                    list.body());

            HttpResponse<String> delete = send(server, "DELETE", endpointQuery("udp://127.0.0.1:0"), null, BEARER);
            assertEquals(200, delete.statusCode(), delete.body());
            assertEquals(5, answered(udp, 5), "answers again");
        }
    }

    @Test
    void aResetSetAtRunTimeResetsTheNextConnectionOfATcpListener() throws Exception {
        try (RunningServer server = start(true, "tcp://127.0.0.1:0", "udp://127.0.0.1:0")) {
            Endpoint tcp = server.boundEndpoints().get(0);
            assertEquals("I got your message", exchange(tcp));
            try (Socket before = TlsClients.tcp(tcp)) {
                before.getOutputStream().write("one\n".getBytes(US_ASCII));
                assertEquals("I got your message\n", new String(before.getInputStream().readNBytes(19), US_ASCII));

                HttpResponse<String> put = send(server, "PUT", endpointQuery("tcp://127.0.0.1:0") + "&reset=100%25",
                        null, BEARER);
                assertEquals(200, put.statusCode(), put.body());
                assertResets(tcp);

                before.getOutputStream().write("two\n".getBytes(US_ASCII));
                assertEquals("I got your message\n", new String(before.getInputStream().readNBytes(19), US_ASCII),
                        "a connection accepted without faults has no fault handler to reset it (README)");
            }

            assertEquals(200, send(server, "DELETE", endpointQuery("tcp://127.0.0.1:0"), null, BEARER).statusCode());
            assertEquals("I got your message", exchange(tcp));
        }
    }

    @Test
    void badRequestsAreRefusedAndChangeNothing() throws Exception {
        try (RunningServer server = start(true, "tcp://127.0.0.1:0", "udp://127.0.0.1:0")) {
            String tcp = endpointQuery("tcp://127.0.0.1:0");
            HttpResponse<String> drop = send(server, "PUT", tcp, "drop=10%", BEARER);
            assertEquals(400, drop.statusCode());
            assertEquals("tcp://127.0.0.1:0: fault drop applies to datagram endpoints only (udp, unixgram); tcp is a "
                    + "stream\n", drop.body());
            HttpResponse<String> partly = send(server, "PUT", tcp, "delay=5ms&reset=120%", BEARER);
            assertEquals(400, partly.statusCode());
            assertTrue(partly.body().startsWith("tcp://127.0.0.1:0: fault reset=120%: "), partly.body());
            HttpResponse<String> unknownKey = send(server, "PUT", tcp, "colour=red", BEARER);
            assertEquals(400, unknownKey.statusCode());
            assertTrue(unknownKey.body().startsWith("tcp://127.0.0.1:0: unknown fault 'colour'"), unknownKey.body());
            HttpResponse<String> unknown = send(server, "PUT", endpointQuery("tcp://127.0.0.1:1"), "delay=5ms",
                    BEARER);
            assertEquals(400, unknown.statusCode());
            assertEquals("endpoint: no listener 'tcp://127.0.0.1:1'; the listeners are tcp://127.0.0.1:0, "
                    + "udp://127.0.0.1:0\n", unknown.body());
            HttpResponse<String> noToken = send(server, "PUT", tcp, "reset=100%", null);
            assertEquals(401, noToken.statusCode());
            assertEquals("{\"listeners\":[{\"endpoint\":\"tcp://127.0.0.1:0\",\"faults\":{}},"
                    + "{\"endpoint\":\"udp://127.0.0.1:0\",\"faults\":{}}]}\n", send(server, "GET", "", null, null)
                    .body(), "nothing changed, not even half of the refused PUT");
            assertEquals("I got your message", exchange(server.boundEndpoints().get(0)));
        }
    }

    @Test
    void withControlOffFaultsCanBeReadButNotChanged() throws Exception {
        try (RunningServer server = start(false, "tcp://127.0.0.1:0?delay=1ms")) {
            HttpResponse<String> list = send(server, "GET", "", null, null);
            assertEquals(200, list.statusCode());
            assertEquals("{\"listeners\":[{\"endpoint\":\"tcp://127.0.0.1:0\",\"faults\":{\"delay\":\"1ms\"}}]}\n",
                    list.body());
            HttpResponse<String> put = send(server, "PUT", endpointQuery("tcp://127.0.0.1:0"), "reset=100%", BEARER);
            assertEquals(403, put.statusCode());
            assertEquals(403, send(server, "DELETE", endpointQuery("tcp://127.0.0.1:0"), null, BEARER).statusCode());
            assertEquals("I got your message", exchange(server.boundEndpoints().get(0)));
        }
    }
}
