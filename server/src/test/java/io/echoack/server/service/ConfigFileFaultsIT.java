package io.echoack.server.service;

import static io.echoack.server.service.FaultProbes.answered;
import static io.echoack.server.service.FaultProbes.assertResets;
import static io.echoack.server.service.FaultProbes.exchange;
import static io.echoack.server.testing.ServerProcess.bound;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.echoack.common.endpoint.Endpoint;
import io.echoack.server.testing.ChildProcess;
import io.echoack.server.testing.ServerProcess;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * Faults declared in a configuration file ({@code --config}) apply from the start, seen from a client over
 * loopback, and SIGHUP applies the file's new faults, listener by listener; a change made on the admin endpoint
 * holds until the file changes that listener's faults.
 */
@Timeout(120)
class ConfigFileFaultsIT {

    private static final Duration WAIT = Duration.ofSeconds(20);
    private static final String TOKEN = "5e2a8c4f6b1d3e7a9c0b2d4f6e8a1c3b";

    @TempDir
    Path dir;

    private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();

    /** The file: admin control on, then two TCP listeners and a UDP one, each with {@code faults} (YAML map keys). */
    private Path write(Path config, String first, String udp, String second) throws IOException {
        Path token = Files.writeString(dir.resolve("token"), TOKEN + "\n");
        Files.writeString(config, String.join("\n",
                "admin: http://127.0.0.1:0",
                "admin-control: true",
                "admin-token-file: " + token,
                "listeners:",
                "  - endpoint: tcp://127.0.0.1:0" + first,
                "  - endpoint: udp://127.0.0.1:0",
                "    mode: echo" + udp,
                "  - endpoint: tcp://127.0.0.1:0" + second,
                ""));
        return config;
    }

    @Test
    void faultsOfTheFileApplyAtStartAndSighupAppliesTheirChanges() throws Exception {
        Path config = write(dir.resolve("faults.yaml"), "\n    reset: 100%", "\n    drop: 100%", "");
        try (ChildProcess server = ServerProcess.start(List.of("--config", config.toString()), 3, false)) {
            List<Endpoint> bound = bound(server);
            assertTrue(bound.get(0).toString().endsWith("?reset=100%"), server::toString);
            assertResets(bound.get(0));
            assertEquals(0, answered(bound.get(1), 5), "every datagram's reply dropped");
            assertEquals("I got your message", exchange(bound.get(2)));

            write(config, "", "", "\n    reset: 100%");
            server.hangUp();
            assertTrue(server.awaitStderr(err -> err.contains("reload: faults of tcp://127.0.0.1:0#2: none -> "
                    + "reset=100%"), WAIT), server::toString);
            assertTrue(server.stderrText().contains("reload: faults of tcp://127.0.0.1:0: reset=100% -> none"),
                    server::toString);
            assertTrue(server.stderrText().contains("reload: faults of udp://127.0.0.1:0: drop=100% -> none"),
                    server::toString);
            assertEquals("I got your message", exchange(bound.get(0)));
            assertEquals(5, answered(bound.get(1), 5));
            assertResets(bound.get(2));
            assertEquals(List.of(), ServerProcess.problems(server.stderrText()), "nothing refused, nothing leaked");
        }
    }

    @Test
    void aChangeMadeOnTheAdminEndpointHoldsUntilTheFileChangesThatListener() throws Exception {
        Path config = write(dir.resolve("put.yaml"), "", "", "");
        try (ChildProcess server = ServerProcess.start(List.of("--config", config.toString()), 3, false)) {
            List<Endpoint> bound = bound(server);
            assertTrue(server.awaitStderr(err -> err.contains("admin endpoint on"), WAIT), server::toString);
            HttpResponse<String> put = put(server, "tcp://127.0.0.1:0", "reset=100%");
            assertEquals(200, put.statusCode(), put.body());
            assertResets(bound.get(0));

            write(config, "", "\n    drop: 100%", "");
            server.hangUp();
            assertTrue(server.awaitStderr(err -> err.contains("reload: faults of udp://127.0.0.1:0: none -> drop=100%"),
                    WAIT), server::toString);
            assertEquals(0, answered(bound.get(1), 5), "the file's change applies");
            assertResets(bound.get(0)); // the file did not change this listener: the PUT holds

            write(config, "\n    close: 0", "\n    drop: 100%", "");
            server.hangUp();
            assertTrue(server.awaitStderr(err -> err.contains("reload: nothing changed"), WAIT), server::toString);
            assertResets(bound.get(0)); // a key at 0 is no fault: the file's faults are still none

            write(config, "\n    delay: 1ms", "\n    drop: 100%", "");
            server.hangUp();
            assertTrue(server.awaitStderr(err -> err.contains("reload: faults of tcp://127.0.0.1:0: reset=100% -> "
                    + "delay=1ms"), WAIT), server::toString);
            assertEquals("I got your message", exchange(bound.get(0)), "now the file changed it: the file wins");
        }
    }

    private HttpResponse<String> put(ChildProcess server, String endpoint, String body) throws Exception {
        Matcher m = Pattern.compile("admin endpoint on http://127\\.0\\.0\\.1:(\\d+)").matcher(server.stderrText());
        assertTrue(m.find(), server::toString);
        HttpRequest request = HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + m.group(1) + "/faults?endpoint="
                        + endpoint)).timeout(Duration.ofSeconds(5)).header("Authorization", "Bearer " + TOKEN)
                .PUT(HttpRequest.BodyPublishers.ofString(body)).build();
        return http.send(request, HttpResponse.BodyHandlers.ofString());
    }
}
