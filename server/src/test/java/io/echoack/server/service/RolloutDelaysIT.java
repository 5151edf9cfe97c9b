package io.echoack.server.service;

import static java.nio.charset.StandardCharsets.US_ASCII;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import io.echoack.common.endpoint.Endpoint;
import io.echoack.server.EchoAckServer;
import io.echoack.server.RunningServer;
import io.echoack.server.config.ServerConfig;
import io.echoack.server.testing.ChildProcess;
import io.echoack.server.testing.ServerProcess;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.net.ConnectException;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.function.BooleanSupplier;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * {@code --drain-delay} and {@code --start-delay} over real sockets: what a client and a load balancer's health
 * check see. The exact timing is {@code ReadinessTimelineTest}'s; here the margins are wide.
 */
@Timeout(value = 90, unit = TimeUnit.SECONDS)
class RolloutDelaysIT {

    private static final Duration WAIT = Duration.ofSeconds(20);

    private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();

    private static RunningServer start(ServerConfig config) throws Exception {
        return EchoAckServer.start(config.withListen("tcp://127.0.0.1:0").withAdmin("http://127.0.0.1:0")
                .withThreads(1));
    }

    @Test
    void duringTheDrainDelayTheServerIsNotReadyButStillAcceptsAndAnswersThenDrains() throws Exception {
        RunningServer server = start(ServerConfig.defaults().withDrainDelay(Duration.ofSeconds(3)));
        Endpoint tcp = server.boundEndpoints().get(0);
        try (Socket before = connect(tcp)) {
            assertEquals(200, readyz(server));
            long start = System.nanoTime();
            CompletableFuture<Void> closing = CompletableFuture.runAsync(server::close);
            await(() -> !server.isReady(), "not ready after close()");
            assertEquals(503, readyz(server), "/readyz says 503 at once");
            assertFalse(closing.isDone(), "close() waits out the drain delay");
            try (Socket during = connect(tcp)) {
                assertEquals("I got your message", ask(during, "new connection during the delay"));
            }
            assertEquals("I got your message", ask(before, "old connection during the delay"));
            closing.get(WAIT.toSeconds(), TimeUnit.SECONDS);
            long tookMillis = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - start);
            assertTrue(tookMillis >= 1500, "the drain waited for the delay (3 s), close() took " + tookMillis + " ms");
            assertThrows(ConnectException.class, () -> connect(tcp).close(), "no longer accepting after the drain");
        } finally {
            server.close();
        }
    }

    @Test
    void drainNowEndsTheDrainDelay() throws Exception {
        RunningServer server = start(ServerConfig.defaults().withDrainDelay(Duration.ofMinutes(10)));
        CompletableFuture<Void> closing = CompletableFuture.runAsync(server::close);
        try {
            await(() -> !server.isReady(), "not ready after close()");
            assertFalse(closing.isDone(), "close() waits out the drain delay");
            server.drainNow();
            closing.get(WAIT.toSeconds(), TimeUnit.SECONDS); // far below the 10-minute delay
        } finally {
            server.drainNow();
            server.close();
        }
    }

    @Test
    void duringTheStartDelayTheServerAnswersButIsNotReady() throws Exception {
        Duration startDelay = Duration.ofSeconds(4);
        long started = System.nanoTime();
        RunningServer server = start(ServerConfig.defaults().withStartDelay(startDelay));
        try (Socket s = connect(server.boundEndpoints().get(0))) {
            assertEquals("I got your message", ask(s, "during the start delay"));
            int during = readyz(server);
            Assumptions.assumeTrue(System.nanoTime() - started < startDelay.toNanos(),
                    "the machine took longer than the start delay to get here: nothing to see");
            assertEquals(503, during, "/readyz says 503 during the start delay");
            await(server::isReady, "ready after the start delay");
            assertEquals(200, readyz(server));
        } finally {
            server.close();
        }
    }

    /** The real process: a first SIGTERM starts the drain delay, a second one drains at once, and it exits 0. */
    @Test
    void aSecondSigtermDuringTheDrainDelayDrainsAtOnce() throws Exception {
        try (ChildProcess server = ServerProcess.start(List.of("-l", "tcp://127.0.0.1:0", "--drain-delay", "10m",
                "--threads", "1"), 1, false)) {
            Matcher port = Pattern.compile("listening on tcp://127\\.0\\.0\\.1:(\\d+)").matcher(server.stderrText());
            assertTrue(port.find(), server::toString);
            Endpoint tcp = Endpoint.parse("tcp://127.0.0.1:" + port.group(1));
            server.terminate();
            assertTrue(server.awaitStderr("before the drain (the drain delay)", WAIT), server::toString);
            try (Socket during = connect(tcp)) {
                assertEquals("I got your message", ask(during, "after the first SIGTERM"));
            }
            server.terminate();
            ChildProcess.Result exited = server.awaitExit(WAIT); // far below the 10-minute delay
            assertEquals(0, exited.exitCode(), server::toString);
            assertTrue(exited.stderr().contains("draining now"), server::toString);
            assertEquals(List.of(), ServerProcess.problems(exited.stderr()), server::toString);
        }
    }

    // ------------------------------------------------------------------------------------------ helpers

    private static Socket connect(Endpoint e) throws IOException {
        Socket s = new Socket();
        s.connect(new InetSocketAddress(e.host(), e.port()), 5000);
        s.setSoTimeout(10_000);
        return s;
    }

    private static String ask(Socket s, String what) throws IOException {
        s.getOutputStream().write((what + "\n").getBytes(US_ASCII));
        String reply = new BufferedReader(new InputStreamReader(s.getInputStream(), US_ASCII)).readLine();
        if (reply == null) {
            fail("no reply " + what);
        }
        return reply;
    }

    private int readyz(RunningServer server) throws Exception {
        var admin = server.adminEndpoint().orElseThrow();
        HttpRequest get = HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + admin.port() + "/readyz"))
                .timeout(Duration.ofSeconds(5)).build();
        return http.send(get, HttpResponse.BodyHandlers.ofString()).statusCode();
    }

    private static void await(BooleanSupplier condition, String what) throws InterruptedException {
        long deadline = System.nanoTime() + WAIT.toNanos();
        while (!condition.getAsBoolean()) {
            if (System.nanoTime() > deadline) {
                fail(what + ": not within " + WAIT);
            }
            Thread.sleep(20);
        }
    }
}
