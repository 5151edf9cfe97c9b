package io.echoack.server.service;

import static java.nio.charset.StandardCharsets.US_ASCII;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.echoack.common.endpoint.Endpoint;
import io.echoack.server.EchoAckServer;
import io.echoack.server.RunningServer;
import io.echoack.server.config.ServerConfig;
import io.echoack.server.testing.ChildProcess;
import io.echoack.server.testing.ServerProcess;
import io.echoack.server.testing.TcpQueues;
import java.io.BufferedReader;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/** Shutdown without losing a reply: the drain, in-process and on a real process under load. */
@Timeout(value = 90, unit = TimeUnit.SECONDS)
class GracefulDrainIT {

    @TempDir
    Path dir;

    private static Socket connect(Endpoint e) throws IOException {
        Socket s = new Socket();
        s.connect(new InetSocketAddress(e.host(), e.port()), 5000);
        return s;
    }

    private static double metric(RunningServer server, String series) throws IOException {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        server.metrics().writeTo(out);
        Double v = AdminEndpointIT.samples(out.toString(US_ASCII)).get(series);
        return v == null ? 0 : v;
    }

    @Test
    void everyMessageReadBeforeShutdownIsAnsweredThenTheClientSeesTheEnd() throws Exception {
        RunningServer server = EchoAckServer.start(ServerConfig.defaults()
                .withListen("tcp://127.0.0.1:0?mode=echo&framing=line").withThreads(1));
        try (Socket s = connect(server.boundEndpoints().get(0))) {
            StringBuilder lines = new StringBuilder();
            for (int i = 0; i < 1000; i++) {
                lines.append("message ").append(i).append('\n');
            }
            s.getOutputStream().write(lines.toString().getBytes(US_ASCII)); // and do not read yet
            long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
            String received = "echoack_messages_received_total{endpoint=\"tcp://127.0.0.1:0\"}";
            while (metric(server, received) < 1000 && System.nanoTime() < deadline) {
                Thread.sleep(5);
            }
            assertEquals(1000.0, metric(server, received), "the server read every message");
            CompletableFuture<Void> closing = CompletableFuture.runAsync(server::close);
            String replies = new String(s.getInputStream().readAllBytes(), US_ASCII); // EOF, not a reset
            assertEquals(lines.toString(), replies);
            closing.get(15, TimeUnit.SECONDS);
        } finally {
            server.close();
        }
    }

    @Test
    void aClientThatNeverReadsIsCutAtTheDrainTimeout() throws Exception {
        long drainMillis = 2_000;
        RunningServer server = EchoAckServer.start(ServerConfig.defaults()
                .withListen("tcp://127.0.0.1:0?mode=echo").withDrainTimeout(Duration.ofMillis(drainMillis)));
        try (Socket s = connect(server.boundEndpoints().get(0))) {
            s.setReceiveBufferSize(4096);
            OutputStream out = s.getOutputStream();
            byte[] chunk = new byte[64 * 1024];
            CompletableFuture<Void> writer = CompletableFuture.runAsync(() -> {
                try {
                    for (int i = 0; i < 4096; i++) { // at most 256 MB; blocks long before that
                        out.write(chunk);
                    }
                } catch (IOException expected) {
                    // cut by the server
                }
            });
            awaitRepliesBackedUp(server, s);
            long start = System.nanoTime();
            server.close();
            long tookMillis = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - start);
            // Wide margins both ways: a reply still owed holds the connection for the whole drain timeout (the
            // lower bound: never cut early), and close() is bounded by it (the upper: never waits for the client).
            assertTrue(tookMillis >= drainMillis / 2, "not cut before the drain timeout: close() took " + tookMillis + " ms");
            assertTrue(tookMillis < drainMillis + 10_000, "close() is bounded by the drain timeout, took " + tookMillis + " ms");
            assertEquals(0, server.openConnections());
            s.close();
            writer.get(10, TimeUnit.SECONDS);
        } finally {
            server.close();
        }
    }

    /**
     * Waits (up to 10 s) until the server owes {@code client} replies it cannot deliver. On Linux: the client's
     * receive side has stopped accepting (its unread bytes stand still, above zero, across three looks 50 ms apart)
     * while the server's socket still holds replies; elsewhere, the server has stopped reading (its byte count
     * stands still for half a second while the client keeps writing).
     */
    private static void awaitRepliesBackedUp(RunningServer server, Socket client) throws Exception {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
        int serverPort = client.getPort();
        int clientPort = client.getLocalPort();
        String received = "echoack_bytes_received_total{endpoint=\"tcp://127.0.0.1:0\"}";
        int seen = 0;
        long lastUnread = -1;
        double lastReceived = -1;
        String state = "nothing yet";
        while (seen < 2 && System.nanoTime() < deadline) {
            Thread.sleep(TcpQueues.observable() ? 50 : 500);
            if (TcpQueues.observable()) {
                TcpQueues atClient = TcpQueues.of(clientPort, serverPort).orElse(new TcpQueues(0, 0));
                TcpQueues atServer = TcpQueues.of(serverPort, clientPort).orElse(new TcpQueues(0, 0));
                state = "unread at the client: " + atClient.receiveQueue() + " bytes, unsent at the server: "
                        + atServer.sendQueue() + " bytes";
                boolean full = atClient.receiveQueue() > 0 && atClient.receiveQueue() == lastUnread;
                seen = full && atServer.sendQueue() > 0 ? seen + 1 : 0;
                lastUnread = atClient.receiveQueue();
            } else {
                double now = metric(server, received);
                state = "server read " + now + " bytes";
                seen = now > 0 && now == lastReceived ? 2 : 0;
                lastReceived = now;
            }
        }
        assertEquals(2, seen, "replies did not back up in 10 s: " + state);
    }

    @Test
    void idleConnectionsAndSocketFilesAreGoneAfterClose() throws Exception {
        Path sock = dir.resolve("d.sock");
        RunningServer server = EchoAckServer.start(ServerConfig.defaults()
                .withListen("tcp://127.0.0.1:0", "unix://" + sock));
        try (Socket idle = connect(server.boundEndpoints().get(0))) {
            long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(5);
            while (server.openConnections() == 0 && System.nanoTime() < deadline) {
                Thread.sleep(5);
            }
            server.close();
            assertEquals(-1, idle.getInputStream().read());
            assertEquals(0, server.openConnections());
            assertFalse(Files.exists(sock));
        }
    }

    /**
     * The real server under load from 8 clients gets SIGTERM. Every message it read (it prints each one)
     * must have reached its client as a reply, in order, before the connection ended; the process exits 0.
     */
    @Test
    void sigtermUnderLoadLosesNoReplyTheServerOwed() throws Exception {
        try (ChildProcess server = ServerProcess.start(List.of("--mode", "echo", "--framing", "line",
                "--print-messages", "--threads", "2", "--drain-timeout", "10s", "-l", "tcp://127.0.0.1:0"), 1, false)) {
            Matcher port = Pattern.compile("listening on tcp://127\\.0\\.0\\.1:(\\d+)").matcher(server.stderrText());
            assertTrue(port.find(), server::toString);
            InetSocketAddress address = new InetSocketAddress("127.0.0.1", Integer.parseInt(port.group(1)));

            int clients = 8;
            Map<Integer, List<Integer>> answered = new ConcurrentHashMap<>();
            Map<Integer, String> endings = new ConcurrentHashMap<>();
            List<CompletableFuture<Void>> load = new ArrayList<>();
            for (int c = 0; c < clients; c++) {
                int id = c;
                load.add(CompletableFuture.runAsync(() -> runClient(id, address, answered, endings)));
            }
            long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(20);
            while (answered.values().stream().mapToInt(List::size).sum() < 2000 && System.nanoTime() < deadline) {
                Thread.sleep(20);
            }
            server.terminate(); // SIGTERM, mid-load
            ChildProcess.Result result = server.awaitExit(Duration.ofSeconds(30));
            CompletableFuture.allOf(load.toArray(CompletableFuture[]::new)).get(30, TimeUnit.SECONDS);

            assertEquals(0, result.exitCode(), result::toString);
            String out = result.stdoutText();
            assertFalse(out.contains("were not printed"), "the message log kept up, so it lists every read");
            Map<Integer, List<Integer>> read = new HashMap<>();
            Matcher m = Pattern.compile("Here is the message: c(\\d+)-(\\d+)").matcher(out);
            while (m.find()) {
                read.computeIfAbsent(Integer.parseInt(m.group(1)), k -> new ArrayList<>()).add(Integer.parseInt(m.group(2)));
            }
            int total = 0;
            for (int c = 0; c < clients; c++) {
                List<Integer> got = answered.getOrDefault(c, List.of());
                assertEquals(read.getOrDefault(c, List.of()), got, "client " + c + " (ended by " + endings.get(c)
                        + "): replies must equal the messages the server read");
                assertFalse(endings.get(c).startsWith("error"), "client " + c + " ended by " + endings.get(c));
                total += got.size();
            }
            assertTrue(total >= 2000, "the load ran: " + total + " replies");
        }
    }

    /** Sends bursts of 20 numbered lines and reads their echoes, until the server ends the connection. */
    private static void runClient(int id, InetSocketAddress address, Map<Integer, List<Integer>> answered,
                                  Map<Integer, String> endings) {
        List<Integer> got = java.util.Collections.synchronizedList(new ArrayList<>());
        answered.put(id, got);
        try (Socket s = new Socket()) {
            s.connect(address, 5000);
            s.setSoTimeout(20_000);
            BufferedReader in = new BufferedReader(new InputStreamReader(s.getInputStream(), US_ASCII));
            OutputStream out = s.getOutputStream();
            int seq = 0;
            for (int burst = 0; burst < 5_000; burst++) {
                StringBuilder b = new StringBuilder();
                for (int i = 0; i < 20; i++) {
                    b.append('c').append(id).append('-').append(seq + i).append('\n');
                }
                try {
                    out.write(b.toString().getBytes(US_ASCII));
                } catch (IOException writeAfterEnd) {
                    // the server already shut down its side and may close; keep reading what it sent
                }
                for (int i = 0; i < 20; i++) {
                    String line = in.readLine();
                    if (line == null) {
                        endings.put(id, "end of stream");
                        return;
                    }
                    got.add(Integer.parseInt(line.substring(line.indexOf('-') + 1)));
                }
                seq += 20;
                Thread.sleep(2); // a steady load that the message log can keep up with
            }
            endings.put(id, "ran out of bursts");
        } catch (IOException | InterruptedException | RuntimeException e) {
            endings.put(id, "error: " + e);
        }
    }
}
