package io.echoack.server.service;

import static java.nio.charset.StandardCharsets.US_ASCII;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.echoack.server.testing.ChildProcess;
import io.echoack.server.testing.ServerProcess;
import io.echoack.server.testing.Tools;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * Run-time control on the admin endpoint of the real server process, over loopback: readiness switched by
 * hand with the token, refused without it, with a wrong one or with control off, and a token file that is
 * missing stops the start.
 */
@Timeout(value = 90, unit = TimeUnit.SECONDS)
class AdminControlIT {

    private static final String TOKEN = "3f9c2a7e5b1d4c6a8e0f2b4d6a8c0e1f";

    @TempDir
    Path dir;

    private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();

    private static ChildProcess server(String... adminArgs) throws Exception {
        List<String> args = new ArrayList<>(List.of("-l", "tcp://127.0.0.1:0", "--admin", "http://127.0.0.1:0"));
        args.addAll(List.of(adminArgs));
        ChildProcess server = ServerProcess.start(args, 1, false);
        assertTrue(server.awaitStderr(err -> err.contains("admin endpoint on"), ServerProcess.STARTUP_TIMEOUT),
                server::toString);
        return server;
    }

    private static int port(ChildProcess server, String pattern) {
        Matcher m = Pattern.compile(pattern).matcher(server.stderrText());
        assertTrue(m.find(), server::toString);
        return Integer.parseInt(m.group(1));
    }

    private HttpResponse<String> send(ChildProcess server, String method, String path, String authorization)
            throws Exception {
        int port = port(server, "admin endpoint on http://127\\.0\\.0\\.1:(\\d+)");
        HttpRequest.Builder request = HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + path))
                .timeout(Duration.ofSeconds(5)).method(method, HttpRequest.BodyPublishers.noBody());
        if (authorization != null) {
            request.header("Authorization", authorization);
        }
        return http.send(request.build(), HttpResponse.BodyHandlers.ofString());
    }

    private Path tokenFile() throws Exception {
        return Files.writeString(dir.resolve("admin-token"), TOKEN + "\n");
    }

    /** The data listener answers whatever readiness says: readiness is advice to balancers, not a gate. */
    private static void assertServes(ChildProcess server) throws Exception {
        int port = port(server, "listening on tcp://127\\.0\\.0\\.1:(\\d+)");
        try (Socket s = new Socket()) {
            s.connect(new InetSocketAddress("127.0.0.1", port), 5000);
            s.setSoTimeout(5000);
            s.getOutputStream().write("hi\n".getBytes(US_ASCII));
            assertEquals("I got your message\n", new String(s.getInputStream().readNBytes(19), US_ASCII));
        }
    }

    @Test
    void withTheTokenUnreadyAndReadySwitchReadyz() throws Exception {
        Path token = tokenFile();
        try (ChildProcess server = server("--admin-control", "--admin-token-file", token.toString())) {
            assertTrue(server.stderrText().contains("; control on, for the bearer token in " + token + ")"),
                    server::toString);
            assertEquals(200, send(server, "GET", "/readyz", null).statusCode());
            HttpResponse<String> unready = send(server, "POST", "/unready", "Bearer " + TOKEN);
            assertEquals(200, unready.statusCode(), unready.body());
            assertEquals("not ready: set unready by POST /unready\n", unready.body());
            HttpResponse<String> readyz = send(server, "GET", "/readyz", null);
            assertEquals(503, readyz.statusCode());
            assertServes(server);
            HttpResponse<String> again = send(server, "POST", "/unready", "Bearer " + TOKEN);
            assertEquals(200, again.statusCode(), "a second unready is harmless");
            assertEquals("not ready: set unready by POST /unready\n", again.body());
            HttpResponse<String> ready = send(server, "POST", "/ready", "Bearer " + TOKEN);
            assertEquals(200, ready.statusCode());
            assertEquals("ready\n", ready.body());
            assertEquals(200, send(server, "GET", "/readyz", null).statusCode());
            assertTrue(server.awaitStderr(err -> err.contains("admin: POST /ready from /127.0.0.1:"),
                    Duration.ofSeconds(10)), server::toString);
            assertFalse(server.stderrText().contains(TOKEN), "the token is never logged");
            assertEquals(List.of(), ServerProcess.problems(server.stderrText()), "no warning, no leak");
        }
    }

    @Test
    void withoutTheTokenOrWithAWrongOneNothingChanges() throws Exception {
        try (ChildProcess server = server("--admin-control", "--admin-token-file", tokenFile().toString())) {
            HttpResponse<String> none = send(server, "POST", "/unready", null);
            assertEquals(401, none.statusCode());
            assertEquals("Bearer realm=\"echoack-admin\"", none.headers().firstValue("www-authenticate").orElse(""));
            HttpResponse<String> wrong = send(server, "POST", "/unready", "Bearer " + TOKEN.replace('3', '4'));
            assertEquals(401, wrong.statusCode());
            assertEquals("Bearer realm=\"echoack-admin\", error=\"invalid_token\"",
                    wrong.headers().firstValue("www-authenticate").orElse(""));
            assertEquals(200, send(server, "GET", "/readyz", null).statusCode(), "still ready");
            assertTrue(server.awaitStderr(err -> err.contains("refused POST /unready from /127.0.0.1:")
                    && err.contains("wrong token"), Duration.ofSeconds(10)), server::toString);
            assertFalse(server.stderrText().contains(TOKEN.replace('3', '4')), "no presented token is logged");
        }
    }

    @Test
    void controlOffRefusesEvenTheRightToken() throws Exception {
        try (ChildProcess server = server()) {
            HttpResponse<String> unready = send(server, "POST", "/unready", "Bearer " + TOKEN);
            assertEquals(403, unready.statusCode());
            assertEquals("run-time control is off: start the server with --admin-control and --admin-token-file\n",
                    unready.body());
            assertEquals(200, send(server, "GET", "/readyz", null).statusCode());
            assertEquals(405, send(server, "GET", "/unready", null).statusCode());
            HttpResponse<String> faults = send(server, "GET", "/faults", null);
            assertEquals(200, faults.statusCode(), "reading faults needs no control");
            assertEquals("{\"listeners\":[{\"endpoint\":\"tcp://127.0.0.1:0\",\"faults\":{}}]}\n", faults.body());
            assertEquals(403, send(server, "DELETE", "/faults?endpoint=tcp://127.0.0.1:0", "Bearer " + TOKEN)
                    .statusCode());
        }
    }

    @Test
    void aMissingTokenFileStopsTheStart() throws Exception {
        Path missing = dir.resolve("no-such-token");
        List<String> command = List.of(Tools.java(), "-jar", Tools.serverJar(), "-l", "tcp://127.0.0.1:0",
                "--admin", "http://127.0.0.1:0", "--admin-control", "--admin-token-file", missing.toString());
        try (ChildProcess server = ChildProcess.startWithout(command, name -> name.startsWith("ECHOACK_"))) {
            ChildProcess.Result result = server.awaitExit(ServerProcess.STARTUP_TIMEOUT);
            assertEquals(2, result.exitCode(), result::toString);
            assertTrue(result.stderr().contains("echoack-server: --admin-token-file: cannot read " + missing
                    + ": no such file"), result::toString);
            assertFalse(result.stderr().contains("listening on"), "nothing was bound");
        }
    }
}
