package io.echoack.server.interop;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import io.echoack.server.config.ServerConfig;
import java.io.IOException;
import java.net.ConnectException;
import java.net.DatagramSocket;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.net.StandardProtocolFamily;
import java.net.UnixDomainSocketAddress;
import java.nio.channels.SocketChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.attribute.BasicFileAttributes;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;
import io.echoack.server.testing.ChildProcess;
import io.echoack.server.testing.ServerProcess;
import io.echoack.server.testing.Tools;

/**
 * The real {@code echoack-server} process started with no endpoint flags, exactly as a user of the
 * tutorial would: TCP and UDP on port 51717 and {@code /tmp/echoack.sock}, answering the tutorial's C
 * clients, printing messages with {@code --print-messages}, and stopping cleanly on SIGTERM.
 *
 * <p>These addresses are fixed, so each test is skipped when another process holds one of them.
 */
@Timeout(90)
class DefaultServerProcessIT {

    private static final Path DEFAULT_SOCKET = Path.of("/tmp/echoack.sock");
    private static final String PORT = Integer.toString(ServerConfig.DEFAULT_PORT);
    private static final String PROMPT = "Please enter the message: ";
    private static final Duration CLIENT_TIMEOUT = Duration.ofSeconds(20);
    private static final Duration STOP_TIMEOUT = Duration.ofSeconds(10);

    @TempDir
    static Path dir;

    private static String tcpClient;
    private static String udpClient;
    private static String unixClient;

    @BeforeAll
    @Timeout(120)
    static void compileClients() throws Exception {
        tcpClient = Tools.compile("tutorial_client", dir);
        udpClient = Tools.compile("tutorial_udp_client", dir);
        unixClient = Tools.compile("tutorial_unix_client", dir);
    }

    @Test
    void tutorialClientsAreAnsweredOnTheDefaultEndpointsAndSigtermStopsCleanly() throws Exception {
        // Other programs on this host may talk to the default endpoints too; a token marks our messages.
        String token = Long.toHexString(ProcessHandle.current().pid()) + "-" + System.nanoTime();
        try (ChildProcess server = startDefaultServer()) {
            assertClientPrints(PROMPT + "I got your message\n\n", List.of(tcpClient, "127.0.0.1", PORT), "hello\n");
            assertClientPrints(PROMPT + "Got your message\n", List.of(udpClient, "127.0.0.1", PORT),
                    "hello over udp " + token + "\n");
            assertClientPrints(PROMPT + "I got your message\n\n", List.of(unixClient, DEFAULT_SOCKET.toString()),
                    "hello over unix " + token + "\n");
            assertTrue(server.awaitStdout("hello over unix " + token, CLIENT_TIMEOUT), server::toString);

            server.terminate(); // SIGTERM
            ChildProcess.Result stopped = server.awaitExit(STOP_TIMEOUT);

            assertEquals(0, stopped.exitCode(), stopped::toString);
            // Stream messages are lines (terminator not shown); a datagram is printed whole, "\n" escaped.
            List<String> ours = stopped.stdoutText().lines()
                    .filter(line -> line.equals("Here is the message: hello") || line.contains(token))
                    .toList();
            assertEquals(List.of(
                    "Here is the message: hello",
                    "Here is the message: hello over udp " + token + "\\n",
                    "Here is the message: hello over unix " + token), ours, stopped::toString);
            assertFalse(Files.exists(DEFAULT_SOCKET, LinkOption.NOFOLLOW_LINKS),
                    "the server removes " + DEFAULT_SOCKET + " when it stops");
            assertTrue(stopped.stderr().contains("EchoAckServer - closed ["), stopped::toString);
            assertEquals(List.of(), ServerProcess.problems(stopped.stderr()), stopped::toString);
        }
    }

    @Test
    void sigtermWithAClientConnectedFlushesItsReplyClosesItAndExitsZero() throws Exception {
        try (ChildProcess server = startDefaultServer(); Socket client = new Socket()) {
            client.connect(new InetSocketAddress(InetAddress.getLoopbackAddress(), ServerConfig.DEFAULT_PORT), 5_000);
            client.setSoTimeout((int) STOP_TIMEOUT.toMillis());
            client.getOutputStream().write("still connected\n".getBytes(StandardCharsets.UTF_8));
            byte[] ack = "I got your message\n".getBytes(StandardCharsets.UTF_8);
            assertArrayEquals(ack, client.getInputStream().readNBytes(ack.length));

            server.terminate(); // SIGTERM while the connection is open and idle
            // The server closes the connection: the client reads EOF, not a timeout.
            assertEquals(-1, client.getInputStream().read(), "the server closes open connections when it stops");

            ChildProcess.Result stopped = server.awaitExit(STOP_TIMEOUT);
            assertEquals(0, stopped.exitCode(), stopped::toString);
            assertFalse(Files.exists(DEFAULT_SOCKET, LinkOption.NOFOLLOW_LINKS));
            assertTrue(stopped.stderr().contains("EchoAckServer - closed ["), stopped::toString);
            assertEquals(List.of(), ServerProcess.problems(stopped.stderr()), stopped::toString);
        }
    }

    /**
     * Starts {@code java -jar target/echoack-server.jar --print-messages} with no endpoint flags, after
     * checking that the default addresses are free (the test is skipped otherwise).
     */
    private static ChildProcess startDefaultServer() throws IOException, InterruptedException {
        assumeDefaultEndpointsFree();
        return ServerProcess.start(List.of("--print-messages"), 3, true);
    }

    private static void assumeDefaultEndpointsFree() {
        try (ServerSocket tcp = new ServerSocket()) {
            tcp.setReuseAddress(true); // as the server does: TIME_WAIT leftovers do not block a new listener
            tcp.bind(new InetSocketAddress("0.0.0.0", ServerConfig.DEFAULT_PORT));
        } catch (IOException e) {
            assumeTrue(false, "TCP port " + PORT + " is in use by another process (" + e.getMessage() + ")");
        }
        try (DatagramSocket udp = new DatagramSocket(null)) {
            udp.bind(new InetSocketAddress("0.0.0.0", ServerConfig.DEFAULT_PORT));
        } catch (IOException e) {
            assumeTrue(false, "UDP port " + PORT + " is in use by another process (" + e.getMessage() + ")");
        }
        if (Files.exists(DEFAULT_SOCKET, LinkOption.NOFOLLOW_LINKS)) {
            // A stale socket file is fine (the server replaces it); a live one or a non-socket is not.
            assumeTrue(isSocketFile(DEFAULT_SOCKET), DEFAULT_SOCKET + " exists and is not a socket");
            try (SocketChannel probe = SocketChannel.open(StandardProtocolFamily.UNIX)) {
                probe.connect(UnixDomainSocketAddress.of(DEFAULT_SOCKET));
                assumeTrue(false, DEFAULT_SOCKET + " is in use by a running server");
            } catch (ConnectException stale) {
                // nobody listens: the server will remove it
            } catch (IOException e) {
                assumeTrue(false, DEFAULT_SOCKET + " cannot be probed: " + e.getMessage());
            }
        }
    }

    private static boolean isSocketFile(Path path) {
        try {
            return Files.readAttributes(path, BasicFileAttributes.class, LinkOption.NOFOLLOW_LINKS).isOther();
        } catch (IOException e) {
            return false;
        }
    }

    private static void assertClientPrints(String expected, List<String> command, String input) throws Exception {
        ChildProcess.Result result = ChildProcess.run(command, input.getBytes(StandardCharsets.UTF_8), CLIENT_TIMEOUT);
        assertEquals(0, result.exitCode(), result::toString);
        assertEquals(expected, result.stdoutText(), result::toString);
    }
}
