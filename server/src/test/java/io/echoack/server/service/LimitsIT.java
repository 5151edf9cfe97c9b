package io.echoack.server.service;

import static java.nio.charset.StandardCharsets.US_ASCII;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.read.ListAppender;
import io.echoack.common.endpoint.Endpoint;
import io.echoack.server.EchoAckServer;
import io.echoack.server.RunningServer;
import io.echoack.server.config.ServerConfig;
import io.echoack.server.datagram.ReflectionGuard;
import io.echoack.server.limits.ReflectionGuardSettings;
import io.echoack.server.testing.ChildProcess;
import io.echoack.server.testing.ServerProcess;
import java.io.IOException;
import java.io.InputStream;
import java.lang.management.ManagementFactory;
import java.net.DatagramPacket;
import java.net.DatagramSocket;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.SocketException;
import java.net.SocketTimeoutException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.slf4j.LoggerFactory;

/**
 * The limits as a user meets them: the defaults take a first load test from one host, and whatever a limit
 * refuses shows in the server's log at WARN, rate-limited, naming the flag to change.
 */
@Timeout(value = 120, unit = TimeUnit.SECONDS)
class LimitsIT {

    /** A WARN line is due within a tick (1 s) of the refusal; this leaves a wide margin for a busy machine. */
    private static final Duration WARN_WITHIN = Duration.ofSeconds(20);
    private static final Pattern PORT = Pattern.compile("listening on tcp://127\\.0\\.0\\.1:(\\d+)");

    private static int port(ChildProcess server) {
        Matcher m = PORT.matcher(server.stderrText());
        assertTrue(m.find(), server::toString);
        return Integer.parseInt(m.group(1));
    }

    private static Socket connect(int port) throws IOException {
        Socket s = new Socket();
        s.connect(new InetSocketAddress("127.0.0.1", port), 10_000);
        s.setSoTimeout(20_000);
        return s;
    }

    /** Sends a line and reads the reply line; null when the server closed the connection instead. */
    private static String exchange(Socket s, String line) throws IOException {
        try {
            s.getOutputStream().write((line + "\n").getBytes(US_ASCII));
            s.getOutputStream().flush();
            InputStream in = s.getInputStream();
            StringBuilder reply = new StringBuilder();
            for (int b = in.read(); b != '\n'; b = in.read()) {
                if (b < 0) {
                    return null;
                }
                reply.append((char) b);
            }
            return reply.toString();
        } catch (SocketException reset) {
            return null;
        }
    }

    @Test
    void theDefaultLimitsServeAThousandConnectionsFromOneHost() throws Exception {
        // 1,000 sockets here, 1,000 in the server: each process needs that many file descriptors.
        long fds = ((com.sun.management.UnixOperatingSystemMXBean) ManagementFactory.getOperatingSystemMXBean())
                .getMaxFileDescriptorCount();
        assumeTrue(fds >= 1_200, "this process may open only " + fds + " files (ulimit -n)");
        try (ChildProcess server = ServerProcess.start(List.of("-l", "tcp://127.0.0.1:0"), 1, false)) {
            int port = port(server);
            List<Socket> sockets = new ArrayList<>();
            try {
                for (int i = 0; i < 1_000; i++) {
                    sockets.add(connect(port));
                }
                int answered = 0;
                for (Socket s : sockets) {
                    if ("I got your message".equals(exchange(s, "hello"))) {
                        answered++;
                    }
                }
                assertEquals(1_000, answered, server::toString);
            } finally {
                for (Socket s : sockets) {
                    s.close();
                }
            }
            server.terminate();
            ChildProcess.Result stopped = server.awaitExit(Duration.ofSeconds(30));
            assertEquals(0, stopped.exitCode(), stopped::toString);
            assertEquals(List.of(), ServerProcess.problems(stopped.stderr()));
        }
    }

    @Test
    void aRefusedTcpConnectionIsResetWhetherOrNotItSentAnything() throws Exception {
        try (ChildProcess server = ServerProcess.start(
                List.of("-l", "tcp://127.0.0.1:0?mode=echo", "--max-connections-per-ip", "1"), 1, false)) {
            int port = port(server);
            try (Socket served = connect(port)) {
                assertEquals("hello", exchange(served, "hello"));
                Refusals.assertReset(() -> connect(port), "a refused connection that sent nothing"); // a FIN: -1
                Refusals.assertReset(() -> {
                    Socket refused = connect(port);
                    refused.getOutputStream().write("hello\n".getBytes(US_ASCII));
                    return refused;
                }, "a refused connection that sent a line");
                assertEquals("still", exchange(served, "still"), "the admitted connection is untouched");
            }
        }
    }

    @Test
    void connectionsRefusedByALimitShowAsAWarnLineNamingTheFlag() throws Exception {
        try (ChildProcess server = ServerProcess.start(
                List.of("-l", "tcp://127.0.0.1:0", "--max-connections-per-ip", "2"), 1, false)) {
            int port = port(server);
            List<Socket> sockets = new ArrayList<>();
            int refused = 0;
            try {
                for (int i = 0; i < 5; i++) {
                    Socket s;
                    try {
                        s = connect(port);
                    } catch (SocketException reset) { // a refusal is an RST, which may fail the connect itself
                        refused++;
                        continue;
                    }
                    sockets.add(s);
                    if (exchange(s, "hello") == null) {
                        refused++;
                    }
                }
                assertEquals(3, refused, "two connections served, the others refused");
                Pattern line = Pattern.compile("WARN  ConnectionLimiter - refused (\\d+) connections? "
                        + "from 127\\.0\\.0\\.1 on tcp://127\\.0\\.0\\.1:" + port + " in the last \\d+s: "
                        + "--max-connections-per-ip 2 reached \\(raise it, or 0 for no limit\\)");
                assertTrue(server.awaitStderr(err -> line.matcher(err).find(), WARN_WITHIN),
                        () -> "no WARN line about the refusals within " + WARN_WITHIN + "\n" + server);

                server.terminate();
                ChildProcess.Result stopped = server.awaitExit(Duration.ofSeconds(30));
                assertEquals(0, stopped.exitCode(), stopped::toString);
                int told = 0;
                for (String problem : ServerProcess.problems(stopped.stderr())) {
                    Matcher m = line.matcher(problem);
                    assertTrue(m.find(), () -> "an unexpected WARN: " + problem);
                    told += Integer.parseInt(m.group(1));
                }
                assertEquals(refused, told, "every refused connection is counted in a line: " + stopped);
            } finally {
                for (Socket s : sockets) {
                    s.close();
                }
            }
        }
    }

    @Test
    void datagramsDroppedByTheUdpRateLimitShowAsAWarnLine() throws Exception {
        Logger guardLog = (Logger) LoggerFactory.getLogger(ReflectionGuard.class);
        ListAppender<ILoggingEvent> appender = new ListAppender<>();
        appender.start();
        guardLog.addAppender(appender);
        // Loopback is exempt from the rate limit by default; this test stands in for a remote client.
        ServerConfig config = ServerConfig.defaults().toBuilder()
                .listen(List.of(Endpoint.parse("udp://127.0.0.1:0")))
                .udpGuard(ReflectionGuardSettings.defaults().withExemptLoopback(false).withPacketRate(5, 5))
                .build();
        RunningServer server = EchoAckServer.start(config);
        int sent = 50;
        int answered = 0;
        Pattern line = null;
        try (DatagramSocket client = new DatagramSocket(new InetSocketAddress("127.0.0.1", 0))) {
            Endpoint bound = server.boundEndpoints().get(0);
            InetSocketAddress target = new InetSocketAddress("127.0.0.1", bound.port());
            client.setSoTimeout(1_000);
            byte[] hello = "hello".getBytes(US_ASCII);
            for (int i = 0; i < sent; i++) {
                client.send(new DatagramPacket(hello, hello.length, target));
            }
            byte[] buffer = new byte[100];
            try {
                while (answered < sent) {
                    client.receive(new DatagramPacket(buffer, buffer.length));
                    answered++;
                }
            } catch (SocketTimeoutException noMore) {
                // the rest were dropped
            }
            assertTrue(answered >= 5 && answered < sent, answered + " of " + sent + " answered");
            line = Pattern.compile("dropped (\\d+) datagrams? from 127\\.0\\.0\\.1 on udp://127\\.0\\.0\\.1:"
                    + bound.port() + " in the last \\d+s: the UDP guard's per-source rate reached: "
                    + "--udp-rate 5 replies/s with --udp-burst 5, .*--no-udp-guard turns the guard off\\)");
            long deadline = System.nanoTime() + WARN_WITHIN.toNanos();
            while (warnings(appender, line).isEmpty() && System.nanoTime() < deadline) {
                Thread.sleep(50);
            }
            assertEquals(1, warnings(appender, line).size(), () -> "no WARN line within " + WARN_WITHIN + ": "
                    + messages(appender));
        } finally {
            server.close();
            guardLog.detachAppender(appender);
        }
        int told = 0;
        for (String message : warnings(appender, line)) {
            Matcher m = line.matcher(message);
            assertTrue(m.find());
            told += Integer.parseInt(m.group(1));
        }
        assertEquals(sent - answered, told, () -> "every dropped datagram is counted in a line: " + messages(appender));
    }

    /** The WARN messages matching {@code line}. */
    private static List<String> warnings(ListAppender<ILoggingEvent> appender, Pattern line) {
        List<String> matching = new ArrayList<>();
        synchronized (appender) { // appending holds the appender's lock
            for (ILoggingEvent e : appender.list) {
                if (e.getLevel() == Level.WARN && line.matcher(e.getFormattedMessage()).find()) {
                    matching.add(e.getFormattedMessage());
                }
            }
        }
        return matching;
    }

    private static List<String> messages(ListAppender<ILoggingEvent> appender) {
        synchronized (appender) {
            return appender.list.stream().map(e -> e.getLevel() + " " + e.getFormattedMessage()).toList();
        }
    }
}
