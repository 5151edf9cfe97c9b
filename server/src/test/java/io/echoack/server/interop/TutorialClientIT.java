package io.echoack.server.interop;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;

import io.echoack.server.config.ServerConfig;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;
import io.echoack.server.testing.ChildProcess;
import io.echoack.server.testing.Tools;

/**
 * The clients of the classic sockets tutorial, compiled from src/test/c, against an in-process server:
 * echoack's defaults must answer them exactly as the tutorial's own servers do.
 */
@Timeout(60)
class TutorialClientIT {

    private static final String PROMPT = "Please enter the message: ";
    private static final Duration RUN_TIMEOUT = Duration.ofSeconds(20);

    @TempDir
    static Path dir;

    private static InteropServer server;
    private static String tcpClient;
    private static String unixClient;
    private static String udpClient;
    private static String unixgramClient;

    @BeforeAll
    @Timeout(120)
    static void compileClientsAndStartServer() throws Exception {
        tcpClient = Tools.compile("tutorial_client", dir);
        unixClient = Tools.compile("tutorial_unix_client", dir);
        udpClient = Tools.compile("tutorial_udp_client", dir);
        unixgramClient = Tools.compile("tutorial_unixgram_client", dir);

        Map<String, String> endpoints = new LinkedHashMap<>();
        endpoints.put("tcp", "tcp://127.0.0.1:0");
        endpoints.put("tcp-echo", "tcp://127.0.0.1:0?mode=echo");
        endpoints.put("tcp-raw", "tcp://127.0.0.1:0?framing=raw");
        endpoints.put("udp", "udp://127.0.0.1:0");
        endpoints.put("udp-echo", "udp://127.0.0.1:0?mode=echo");
        endpoints.put("unix", "unix://" + Tools.socketPath(dir, "s.sock"));
        endpoints.put("unixgram", "unixgram://" + Tools.socketPath(dir, "g.sock"));
        server = InteropServer.start(ServerConfig.defaults().withThreads(2), endpoints);
    }

    @AfterAll
    static void stopServer() {
        if (server != null) {
            server.close();
        }
    }

    @Test
    void tcpClientIsAcknowledged() throws Exception {
        ChildProcess.Result result = runClient(List.of(tcpClient, "127.0.0.1", server.port("tcp")), "hello\n");
        // The reply is "I got your message\n" (line framing) and the client adds its own "\n".
        assertEquals(PROMPT + "I got your message\n\n", result.stdoutText(), result::toString);
    }

    @Test
    void tcpClientOverIpv6IsAcknowledged() throws Exception {
        Tools.assumeIpv6Loopback();
        try (InteropServer v6 = InteropServer.start(ServerConfig.defaults().withThreads(1),
                Map.of("tcp6", "tcp://[::1]:0"))) {
            ChildProcess.Result result = runClient(List.of(tcpClient, "::1", v6.port("tcp6")), "hello\n");
            assertEquals(PROMPT + "I got your message\n\n", result.stdoutText(), result::toString);
        }
    }

    @Test
    void tcpClientInEchoModeGetsItsLineBack() throws Exception {
        ChildProcess.Result result = runClient(List.of(tcpClient, "127.0.0.1", server.port("tcp-echo")),
                "hello, echo\n");
        assertEquals(PROMPT + "hello, echo\n\n", result.stdoutText(), result::toString);
    }

    @Test
    void tcpClientWithoutNewlineIsAcknowledgedWithRawFraming() throws Exception {
        // Stdin without a final newline: the tutorial client sends "hello" with no terminator. Raw framing
        // answers every read, as the tutorial's server does (line framing would wait for the newline).
        ChildProcess.Result result = runClient(List.of(tcpClient, "127.0.0.1", server.port("tcp-raw")), "hello");
        assertEquals(PROMPT + "I got your message\n", result.stdoutText(), result::toString);
    }

    @Test
    void twentyConcurrentTcpClientsAreEachAcknowledged() throws Exception {
        ExecutorService pool = Executors.newFixedThreadPool(20);
        try {
            List<Future<ChildProcess.Result>> results = new ArrayList<>();
            for (int i = 0; i < 20; i++) {
                String line = "client " + i + "\n";
                Callable<ChildProcess.Result> client =
                        () -> runClient(List.of(tcpClient, "127.0.0.1", server.port("tcp")), line);
                results.add(pool.submit(client));
            }
            for (Future<ChildProcess.Result> future : results) {
                ChildProcess.Result result = future.get(30, TimeUnit.SECONDS);
                assertEquals(PROMPT + "I got your message\n\n", result.stdoutText(), result::toString);
            }
        } finally {
            pool.shutdownNow();
            pool.awaitTermination(30, TimeUnit.SECONDS);
        }
    }

    @Test
    void unixClientIsAcknowledged() throws Exception {
        ChildProcess.Result result = runClient(List.of(unixClient, server.path("unix")), "hello\n");
        assertEquals(PROMPT + "I got your message\n\n", result.stdoutText(), result::toString);
    }

    @Test
    void udpClientGetsTheDatagramAck() throws Exception {
        ChildProcess.Result result = runClient(List.of(udpClient, "127.0.0.1", server.port("udp")), "hello\n");
        // "Got your message" has no newline on datagrams; the client prints one.
        assertEquals(PROMPT + "Got your message\n", result.stdoutText(), result::toString);
    }

    @Test
    void udpClientInEchoModeGetsItsDatagramBack() throws Exception {
        ChildProcess.Result result = runClient(List.of(udpClient, "127.0.0.1", server.port("udp-echo")),
                "hello, echo\n");
        assertEquals(PROMPT + "hello, echo\n\n", result.stdoutText(), result::toString);
    }

    @Test
    void unixDatagramClientGetsTheDatagramAck() throws Exception {
        Path clientPath = Tools.socketPath(dir, "c.sock");
        ChildProcess.Result result = runClient(List.of(unixgramClient, server.path("unixgram"),
                clientPath.toString()), "hello\n");
        assertEquals(PROMPT + "Got your message\n", result.stdoutText(), result::toString);
        assertFalse(Files.exists(clientPath), "the client removes its own socket file");
    }

    /** Runs a tutorial client to completion with {@code input} on stdin; it must exit 0 and print no error. */
    private static ChildProcess.Result runClient(List<String> command, String input) throws Exception {
        return ClientTool.runCleanly(command, input.getBytes(StandardCharsets.UTF_8), RUN_TIMEOUT);
    }
}
