package io.echoack.server.service;

import static io.echoack.server.testing.ServerProcess.bound;
import static io.echoack.server.testing.TlsClients.tcp;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.echoack.common.endpoint.Endpoint;
import io.echoack.common.info.InfoLine;
import io.echoack.server.testing.ChildProcess;
import io.echoack.server.testing.ServerProcess;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.net.DatagramPacket;
import java.net.DatagramSocket;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.SocketTimeoutException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * SIGHUP over real loopback sockets, with the server configured by a file: what it applies without a restart
 * (connection limits, identity, timeouts, {@code --allow}, the drain delay) reaches the next connection, datagram
 * or reply while every connection made before keeps being served; a file that no longer builds changes nothing.
 */
@Timeout(120)
class SighupReloadIT {

    private static final Duration WAIT = Duration.ofSeconds(20);

    @TempDir
    Path dir;

    @Test
    void aLoweredConnectionLimitRefusesNewConnectionsUntilUnderItAndClosesNone() throws Exception {
        Path config = dir.resolve("limits.yaml");
        String listeners = "listeners:\n  - tcp://127.0.0.1:0\n";
        Files.writeString(config, "max-connections: 3\n" + listeners);
        try (ChildProcess server = ServerProcess.start(List.of("--config", config.toString()), 1, false)) {
            Endpoint tcp = bound(server).get(0);
            try (Socket one = tcp(tcp); Socket two = tcp(tcp)) {
                assertEquals("I got your message", exchange(one, "one"));
                assertEquals("I got your message", exchange(two, "two"));

                Files.writeString(config, "max-connections: 1\n" + listeners);
                server.hangUp();
                assertTrue(server.awaitStderr("reload: limits: maxConnections 3 -> 1", WAIT), server::toString);
                assertEquals("I got your message", exchange(one, "still"), "open before: still served");
                assertEquals("I got your message", exchange(two, "still"));
                assertTrue(refused(tcp), "2 open, 1 allowed: the next one is refused");

                two.close();
                assertTrue(refused(tcp), "1 open: still not under 1");
                one.close();
                try (Socket again = admitted(tcp)) {
                    assertEquals("I got your message", exchange(again, "under it again"));

                    Files.writeString(config, "max-connections: -1\n" + listeners);
                    server.hangUp();
                    assertTrue(server.awaitStderr(text -> text.contains("reload: " + config + ":1: max-connections: "),
                            WAIT), server::toString);
                    assertTrue(server.stderrText().contains("nothing changed"), server::toString);
                    assertTrue(refused(tcp), "a file that does not build keeps the limit of 1");
                    assertEquals("I got your message", exchange(again, "and serves as it was"));
                }
            }
            server.terminate();
            assertEquals(0, server.awaitExit(WAIT).exitCode());
        }
    }

    @Test
    void aNewIdentityShowsInTheNextInfoReplyOnOpenConnectionsAndDatagrams() throws Exception {
        Path config = dir.resolve("identity.yaml");
        String listeners = "listeners:\n  - tcp://127.0.0.1:0?mode=info\n  - udp://127.0.0.1:0?mode=info&format=text\n";
        Files.writeString(config, "identity: {pod: web-1, zone: a}\n" + listeners);
        try (ChildProcess server = ServerProcess.start(List.of("--config", config.toString()), 2, false);
             DatagramSocket udp = new DatagramSocket(new InetSocketAddress("127.0.0.1", 0))) {
            List<Endpoint> bound = bound(server);
            udp.setSoTimeout(5000);
            try (Socket before = tcp(bound.get(0))) {
                Map<String, String> first = InfoLine.parseText(exchange(before, "one"));
                assertEquals("web-1", first.get("pod"));
                assertEquals("web-1", InfoLine.parseText(datagram(udp, bound.get(1), "one")).get("pod"));

                Files.writeString(config, "identity: {pod: web-2, build: '42'}\n" + listeners);
                server.hangUp();
                assertTrue(server.awaitStderr("reload: identity: build (none) -> '42'", WAIT), server::toString);
                String log = server.stderrText();
                assertTrue(log.contains("reload: identity: pod 'web-1' -> 'web-2'"), log);
                assertTrue(log.contains("reload: identity: zone 'a' -> (none)"), log);

                Map<String, String> next = InfoLine.parseText(exchange(before, "two"));
                assertEquals("web-2", next.get("pod"), "the same connection, the next reply");
                assertEquals("42", next.get("build"));
                assertNull(next.get("zone"));
                assertEquals("2", next.get("seq"));
                Map<String, String> udpNext = InfoLine.parseText(datagram(udp, bound.get(1), "two"));
                assertEquals("web-2", udpNext.get("pod"));
                assertNull(udpNext.get("zone"));
                try (Socket after = tcp(bound.get(0))) {
                    assertEquals("web-2", InfoLine.parseText(exchange(after, "three")).get("pod"));
                }
            }
            assertEquals(List.of(), ServerProcess.problems(server.stderrText()), server::toString);
        }
    }

    @Test
    void aNewIdleTimeoutClosesIdleConnectionsWhileTalkingOnesStay() throws Exception {
        Path config = dir.resolve("timeouts.yaml");
        String listeners = "listeners:\n  - tcp://127.0.0.1:0\n";
        Files.writeString(config, "idle-timeout: 300s\n" + listeners);
        try (ChildProcess server = ServerProcess.start(List.of("--config", config.toString()), 1, false);
             Socket before = tcp(bound(server).get(0))) {
            Endpoint tcp = bound(server).get(0);
            assertEquals("I got your message", exchange(before, "hello"));
            Files.writeString(config, "idle-timeout: 2s\n" + listeners);
            server.hangUp();
            assertTrue(server.awaitStderr("reload: timeouts: idleTimeout 300s -> 2s", WAIT), server::toString);
            try (Socket idle = tcp(tcp)) {
                assertEquals("I got your message", exchange(idle, "then silence"));
                long start = System.nanoTime();
                assertEquals(-1, readUntilClosed(idle), "closed by the new idle timeout");
                assertTrue(System.nanoTime() - start >= Duration.ofSeconds(1).toNanos(), "not at once");
            }
            assertEquals(-1, readUntilClosed(before), "open before the reload, idle since: closed too");
            try (Socket talker = tcp(tcp)) {
                for (int i = 0; i < 8; i++) { // 4 s of a message every 0.5 s: twice the timeout, never idle for it
                    assertEquals("I got your message", exchange(talker, "still here " + i));
                    Thread.sleep(500);
                }
            }
            assertEquals(List.of(), ServerProcess.problems(server.stderrText()), server::toString);
        }
    }

    /** Waits (up to 20 s) for the server to close {@code socket}: -1, or the byte it sent instead. */
    private static int readUntilClosed(Socket socket) throws IOException {
        socket.setSoTimeout((int) WAIT.toMillis());
        return socket.getInputStream().read();
    }

    @Test
    void aNewAllowListJudgesTheNextConnectionAndDatagramAndKeepsTheOpenConnection() throws Exception {
        Path config = dir.resolve("allow.yaml");
        String listeners = "listeners:\n  - tcp://127.0.0.1:0\n  - udp://127.0.0.1:0\n";
        Files.writeString(config, "allow: [127.0.0.0/8]\n" + listeners);
        try (ChildProcess server = ServerProcess.start(List.of("--config", config.toString()), 2, false);
             DatagramSocket udp = new DatagramSocket(new InetSocketAddress("127.0.0.1", 0))) {
            List<Endpoint> bound = bound(server);
            udp.setSoTimeout(2000);
            try (Socket before = tcp(bound.get(0))) {
                assertEquals("I got your message", exchange(before, "one"));
                assertEquals("Got your message", datagram(udp, bound.get(1), "one"));

                Files.writeString(config, "allow: [10.0.0.0/8]\ndrain-delay: 3s\n" + listeners);
                server.hangUp();
                assertTrue(server.awaitStderr("reload: rollout: drainDelay 0ms -> 3s", WAIT), server::toString);
                assertTrue(server.stderrText().contains("reload: allow: [127.0.0.0/8] -> [10.0.0.0/8]"),
                        server::toString);
                assertTrue(refused(bound.get(0)), "127.0.0.1 is outside the new list");
                assertNull(datagramOrNull(udp, bound.get(1), "two"), "dropped, unanswered");
                assertEquals("I got your message", exchange(before, "two"), "accepted before: kept");

                server.terminate(); // the drain delay the reload set: not ready, still serving the open connection
                assertTrue(server.awaitStderr("before the drain (the drain delay)", WAIT), server::toString);
                assertEquals("I got your message", exchange(before, "three"));
                assertEquals(0, server.awaitExit(WAIT).exitCode());
            }
        }
    }

    /** True when a new connection is accepted and then closed by the server without a reply (a gate refused it). */
    private static boolean refused(Endpoint endpoint) throws IOException {
        try (Socket socket = tcp(endpoint)) {
            try {
                socket.getOutputStream().write("anyone?\n".getBytes(StandardCharsets.US_ASCII));
                return socket.getInputStream().read() == -1;
            } catch (SocketTimeoutException e) {
                return false; // open and silent: not refused
            } catch (IOException e) {
                return true; // reset: refused
            }
        }
    }

    /** A connection the server admits, once the connections closed before are uncounted (bounded: 10 s). */
    private static Socket admitted(Endpoint endpoint) throws IOException, InterruptedException {
        long deadline = System.nanoTime() + Duration.ofSeconds(10).toNanos();
        while (true) {
            Socket socket = tcp(endpoint);
            try {
                if ("I got your message".equals(exchange(socket, "in?"))) {
                    return socket;
                }
            } catch (IOException e) {
                // refused: try again
            }
            socket.close();
            if (System.nanoTime() > deadline) {
                throw new AssertionError("no connection admitted within 10 s");
            }
            Thread.sleep(100);
        }
    }

    /** Sends one line and reads the one-line reply (null when the server closed). */
    private static String exchange(Socket socket, String line) throws IOException {
        socket.getOutputStream().write((line + "\n").getBytes(StandardCharsets.US_ASCII));
        socket.getOutputStream().flush();
        return new BufferedReader(new InputStreamReader(socket.getInputStream(), StandardCharsets.UTF_8)).readLine();
    }

    private static String datagram(DatagramSocket udp, Endpoint endpoint, String text) throws IOException {
        String reply = datagramOrNull(udp, endpoint, text);
        if (reply == null) {
            throw new AssertionError("no reply to '" + text + "' from " + endpoint);
        }
        return reply;
    }

    /** Sends one datagram and waits for its reply: null when none came within the socket's timeout. */
    private static String datagramOrNull(DatagramSocket udp, Endpoint endpoint, String text) throws IOException {
        byte[] sent = text.getBytes(StandardCharsets.US_ASCII);
        udp.send(new DatagramPacket(sent, sent.length, new InetSocketAddress(endpoint.host(), endpoint.port())));
        DatagramPacket reply = new DatagramPacket(new byte[2048], 2048);
        try {
            udp.receive(reply);
        } catch (SocketTimeoutException e) {
            return null;
        }
        return new String(reply.getData(), 0, reply.getLength(), StandardCharsets.UTF_8).strip();
    }
}
