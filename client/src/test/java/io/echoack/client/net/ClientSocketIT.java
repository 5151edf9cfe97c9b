package io.echoack.client.net;

import static java.nio.charset.StandardCharsets.UTF_8;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import io.echoack.client.testing.TestServer;
import io.echoack.common.endpoint.Endpoint;
import io.echoack.common.endpoint.EndpointKind;
import io.echoack.common.testing.Ipv6Loopback;
import io.echoack.common.transport.Transport;
import java.io.BufferedReader;
import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.OutputStream;
import java.net.DatagramSocket;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * The client library against a real server on loopback: volume, concurrency, pipelining, binary data,
 * split messages, IPv6, and every failure a caller must be able to tell apart.
 */
@Timeout(60)
class ClientSocketIT {

    private static final int TCP_ACK_LINE = 0;
    private static final int TCP_ECHO_LENGTH = 1;
    private static final int TCP_ECHO_RAW = 2;
    private static final int TCP_ECHO_LINE = 3;
    private static final int UDP_ECHO = 4;
    private static final int UDP_ACK = 5;
    private static final int UNIX_ECHO_LENGTH = 6;
    private static final int UNIX_ECHO_RAW = 7;
    private static final int UNIXGRAM_ECHO = 8;
    private static final int UNIX_ACK_LINE = 9;

    @TempDir
    static Path socketDir;

    private static TestServer server;
    private static EchoAckClient client;

    @BeforeAll
    static void start() throws Exception {
        Transport transport = Transport.select(Transport.AUTO).transport();
        assumeTrue(transport.supports(EndpointKind.UNIXGRAM), "the Unix datagram endpoint needs epoll or kqueue");
        server = TestServer.start(transport, List.of(
                "tcp://127.0.0.1:0",
                "tcp://127.0.0.1:0?mode=echo&framing=length",
                "tcp://127.0.0.1:0?mode=echo&framing=raw",
                "tcp://127.0.0.1:0?mode=echo&framing=line",
                "udp://127.0.0.1:0?mode=echo",
                "udp://127.0.0.1:0",
                "unix://" + socketDir.resolve("echo-length.sock") + "?mode=echo&framing=length",
                "unix://" + socketDir.resolve("echo-raw.sock") + "?mode=echo&framing=raw",
                "unixgram://" + socketDir.resolve("echo.sock") + "?mode=echo",
                "unix://" + socketDir.resolve("ack-line.sock")));
        client = EchoAckClient.builder().timeout(Duration.ofSeconds(10)).ioThreads(2).build();
    }

    @AfterAll
    static void stop() {
        if (client != null) {
            client.close();
        }
        if (server != null) {
            server.close();
        }
    }

    private static Endpoint endpoint(int index) {
        return server.endpoint(index);
    }

    @ParameterizedTest(name = "endpoint #{0}")
    @ValueSource(ints = {TCP_ACK_LINE, UDP_ACK, UNIX_ECHO_LENGTH, UNIXGRAM_ECHO})
    void aThousandSequentialMessagesOnOneConnection(int index) {
        try (Connection connection = client.connect(endpoint(index))) {
            for (int i = 0; i < 1000; i++) {
                String message = "message " + i;
                String expected = connection.mode().id().equals("echo") ? message
                        : AckTexts.defaultFor(endpoint(index).kind());
                assertEquals(expected, connection.send(message));
            }
        }
    }

    @Test
    void twoHundredConcurrentClients() throws Exception {
        List<CompletableFuture<List<String>>> clients = new ArrayList<>();
        for (int c = 0; c < 200; c++) {
            int id = c;
            clients.add(client.connectAsync(endpoint(TCP_ECHO_LENGTH)).thenCompose(connection -> {
                CompletableFuture<List<String>> replies = CompletableFuture.completedFuture(new ArrayList<>());
                for (int m = 0; m < 5; m++) {
                    String message = "client " + id + " message " + m;
                    replies = replies.thenCompose(list -> connection.request(message.getBytes(UTF_8))
                            .thenApply(reply -> {
                                list.add(new String(reply, UTF_8));
                                return list;
                            }));
                }
                return replies.whenComplete((list, failure) -> connection.close());
            }));
        }
        CompletableFuture.allOf(clients.toArray(CompletableFuture[]::new)).get(50, TimeUnit.SECONDS);
        for (int c = 0; c < 200; c++) {
            List<String> expected = new ArrayList<>();
            for (int m = 0; m < 5; m++) {
                expected.add("client " + c + " message " + m);
            }
            assertEquals(expected, clients.get(c).join());
        }
    }

    @Test
    void twoHundredThreadsEachBlockingOnItsOwnConnection() throws Exception {
        ExecutorService threads = Executors.newFixedThreadPool(200);
        try {
            CountDownLatch go = new CountDownLatch(1);
            List<Future<String>> replies = new ArrayList<>();
            for (int c = 0; c < 200; c++) {
                String message = "thread " + c;
                replies.add(threads.submit(() -> {
                    go.await();
                    try (Connection connection = client.connect(endpoint(TCP_ECHO_LINE))) {
                        connection.send("warm-up");
                        return connection.send(message);
                    }
                }));
            }
            go.countDown();
            for (int c = 0; c < 200; c++) {
                assertEquals("thread " + c, replies.get(c).get(50, TimeUnit.SECONDS));
            }
        } finally {
            threads.shutdownNow();
        }
    }

    @Test
    void twoHundredConcurrentDatagramClients() throws Exception {
        List<Connection> connections = new ArrayList<>();
        try {
            List<CompletableFuture<byte[]>> replies = new ArrayList<>();
            for (int c = 0; c < 200; c++) {
                Connection connection = client.connect(endpoint(UDP_ECHO));
                connections.add(connection);
                replies.add(connection.request(("datagram client " + c).getBytes(UTF_8)));
            }
            for (int c = 0; c < 200; c++) {
                assertEquals("datagram client " + c, new String(replies.get(c).get(30, TimeUnit.SECONDS), UTF_8));
            }
        } finally {
            connections.forEach(Connection::close);
        }
    }

    @ParameterizedTest(name = "endpoint #{0}")
    @ValueSource(ints = {TCP_ECHO_LINE, TCP_ECHO_LENGTH, TCP_ECHO_RAW, UDP_ECHO, UNIX_ECHO_LENGTH, UNIX_ECHO_RAW,
            UNIXGRAM_ECHO})
    void aHundredPipelinedMessagesAreAnsweredInOrder(int index) throws Exception {
        try (Connection connection = client.connect(endpoint(index))) {
            List<CompletableFuture<byte[]>> replies = new ArrayList<>();
            for (int i = 0; i < 100; i++) {
                replies.add(connection.request(("pipelined " + i).getBytes(UTF_8)));
            }
            for (int i = 0; i < 100; i++) {
                assertEquals("pipelined " + i, new String(replies.get(i).get(20, TimeUnit.SECONDS), UTF_8));
            }
        }
    }

    @Test
    void pipelinedAcksAreCountedOnePerMessage() throws Exception {
        try (Connection connection = client.connect(endpoint(TCP_ACK_LINE))) {
            List<CompletableFuture<byte[]>> replies = Stream.iterate(0, i -> i + 1).limit(100)
                    .map(i -> connection.request(("ack me " + i).getBytes(UTF_8))).toList();
            for (CompletableFuture<byte[]> reply : replies) {
                assertEquals(AckTexts.STREAM, new String(reply.get(20, TimeUnit.SECONDS), UTF_8));
            }
        }
    }

    @ParameterizedTest(name = "endpoint #{0}")
    @ValueSource(ints = {TCP_ECHO_LENGTH, TCP_ECHO_RAW, UDP_ECHO, UNIX_ECHO_LENGTH, UNIX_ECHO_RAW, UNIXGRAM_ECHO})
    void everyByteValueSurvivesAnEcho(int index) {
        byte[] all = new byte[256];
        for (int i = 0; i < all.length; i++) {
            all[i] = (byte) i;
        }
        try (Connection connection = client.connect(endpoint(index))) {
            assertArrayEquals(all, connection.send(all));
            byte[] reversed = new byte[256];
            for (int i = 0; i < reversed.length; i++) {
                reversed[i] = (byte) (255 - i);
            }
            assertArrayEquals(reversed, connection.send(reversed));
        }
    }

    @Test
    void aLargeRawEchoArrivingInSeveralReadsIsOneReply() {
        byte[] big = new byte[60_000];
        for (int i = 0; i < big.length; i++) {
            big[i] = (byte) ('a' + i % 26);
        }
        try (Connection connection = client.connect(endpoint(TCP_ECHO_RAW))) {
            assertArrayEquals(big, connection.send(big));
            assertEquals("after", connection.send("after"));
        }
    }

    @Test
    void aLineSplitOverSeveralWritesIsOneMessage() throws IOException {
        Endpoint endpoint = endpoint(TCP_ACK_LINE);
        try (Socket socket = new Socket(endpoint.host(), endpoint.port())) {
            socket.setTcpNoDelay(true);
            socket.setSoTimeout(10_000);
            OutputStream out = socket.getOutputStream();
            for (String part : List.of("hel", "lo w", "orld", "\n")) {
                out.write(part.getBytes(UTF_8));
                out.flush();
            }
            BufferedReader in = new BufferedReader(new InputStreamReader(socket.getInputStream(), UTF_8));
            assertEquals(AckTexts.STREAM, in.readLine());
        }
    }

    @Test
    void aLengthFrameSplitOverSeveralWritesIsOneMessage() throws IOException {
        Endpoint endpoint = endpoint(TCP_ECHO_LENGTH);
        try (Socket socket = new Socket(endpoint.host(), endpoint.port())) {
            socket.setTcpNoDelay(true);
            socket.setSoTimeout(10_000);
            DataOutputStream out = new DataOutputStream(socket.getOutputStream());
            out.write(new byte[] {0, 0});
            out.flush();
            out.write(new byte[] {0, 5, 'h', 'e'});
            out.flush();
            out.write(new byte[] {'l', 'l', 'o'});
            out.flush();
            DataInputStream in = new DataInputStream(socket.getInputStream());
            assertEquals(5, in.readInt());
            byte[] payload = new byte[5];
            in.readFully(payload);
            assertEquals("hello", new String(payload, UTF_8));
        }
    }

    @Test
    void ipv6Loopback() throws Exception {
        assumeTrue(Ipv6Loopback.isUsable(), "no IPv6 loopback here");
        try (TestServer v6 = TestServer.start(Transport.AUTO, List.of("tcp://[::1]:0", "udp://[::1]:0?mode=echo"))) {
            try (Connection tcp = client.connect(v6.endpoint(0)); Connection udp = client.connect(v6.endpoint(1))) {
                assertEquals("tcp://[::1]:" + v6.endpoint(0).port(), tcp.endpoint().address());
                assertEquals(AckTexts.STREAM, tcp.send("over IPv6"));
                assertEquals("over IPv6", udp.send("over IPv6"));
            }
        }
    }

    @Test
    void aRefusedTcpConnectionNamesTheEndpoint() throws IOException {
        int closedPort;
        try (ServerSocket probe = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            closedPort = probe.getLocalPort();
        }
        Endpoint nowhere = Endpoint.parse("tcp://127.0.0.1:" + closedPort);
        ConnectionRefusedException refused = assertThrows(ConnectionRefusedException.class,
                () -> client.connect(nowhere));
        assertEquals("connection refused by tcp://127.0.0.1:" + closedPort, refused.getMessage());
        assertEquals(nowhere, refused.endpoint());
    }

    @Test
    void aMissingUnixSocketIsRefused() {
        Endpoint missing = Endpoint.parse("unix://" + socketDir.resolve("missing.sock"));
        ConnectionRefusedException refused = assertThrows(ConnectionRefusedException.class,
                () -> client.connect(missing));
        assertTrue(refused.getMessage().startsWith("connection refused by " + missing.address()), refused.getMessage());
    }

    @Test
    void aMissingUnixDatagramSocketIsRefused() {
        Endpoint missing = Endpoint.parse("unixgram://" + socketDir.resolve("missing-dgram.sock"));
        try (Connection connection = client.connect(missing)) {
            ConnectionRefusedException refused = assertThrows(ConnectionRefusedException.class,
                    () -> connection.send("anyone?"));
            assertTrue(refused.getMessage().startsWith("connection refused by " + missing.address()),
                    refused.getMessage());
        }
    }

    @Test
    void aSilentUdpPortTimesOutAfterEveryRetry() throws IOException {
        try (DatagramSocket silent = new DatagramSocket(0, InetAddress.getLoopbackAddress());
             EchoAckClient impatient = EchoAckClient.builder().timeout(Duration.ofMillis(200)).retries(2)
                     .ioThreads(1).build();
             Connection connection = impatient.connect(Endpoint.parse("udp://127.0.0.1:" + silent.getLocalPort()))) {
            long started = System.nanoTime();
            ReplyTimeoutException timeout = assertThrows(ReplyTimeoutException.class, () -> connection.send("hello?"));
            long elapsedMillis = (System.nanoTime() - started) / 1_000_000;
            assertEquals(3, timeout.attempts());
            assertEquals("no reply from udp://127.0.0.1:" + silent.getLocalPort() + " within 200ms (3 attempts)",
                    timeout.getMessage());
            assertTrue(elapsedMillis >= 590, "three attempts of 200ms each, took " + elapsedMillis + "ms");
        }
    }

    @Test
    void aServerThatHangsUpFailsTheRequestWithConnectionClosed() throws Exception {
        try (ServerSocket rude = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            CompletableFuture<Void> hangUp = CompletableFuture.runAsync(() -> {
                try (Socket accepted = rude.accept()) {
                    accepted.getInputStream().read(); // wait for the request, then close without replying
                } catch (IOException e) {
                    throw new CompletionException(e);
                }
            });
            try (Connection connection = client.connect(Endpoint.parse("tcp://127.0.0.1:" + rude.getLocalPort()))) {
                ConnectionClosedException closed = assertThrows(ConnectionClosedException.class,
                        () -> connection.send("hello"));
                assertEquals("connection closed by tcp://127.0.0.1:" + rude.getLocalPort()
                        + " before the reply arrived", closed.getMessage());
                assertFalse(connection.isOpen());
            }
            hangUp.get(10, TimeUnit.SECONDS);
        }
    }

    @Test
    void sendRefusesToBlockAnEventLoop() throws IOException {
        // The stage is attached long before the 300ms timeout completes the request on the event loop.
        try (DatagramSocket silent = new DatagramSocket(0, InetAddress.getLoopbackAddress());
             EchoAckClient impatient = EchoAckClient.builder().timeout(Duration.ofMillis(300)).retries(0)
                     .ioThreads(1).build();
             Connection connection = impatient.connect(Endpoint.parse("udp://127.0.0.1:" + silent.getLocalPort()))) {
            CompletableFuture<Object> nested = connection.request("first".getBytes(UTF_8))
                    .handle((reply, failure) -> {
                        try {
                            return connection.send("second");
                        } catch (IllegalStateException e) {
                            return e;
                        }
                    });
            assertInstanceOf(IllegalStateException.class, nested.join());
        }
    }

    @Test
    void closingTheClientClosesItsConnectionsAndRemovesUnixDatagramFiles() throws IOException {
        Path tmp = Path.of(System.getProperty("java.io.tmpdir"));
        long before = countClientSocketDirs(tmp);
        EchoAckClient own = EchoAckClient.builder().ioThreads(1).build();
        Connection stream = own.connect(endpoint(UNIX_ACK_LINE));
        Connection datagram = own.connect(endpoint(UNIXGRAM_ECHO));
        assertEquals("hi", datagram.send("hi"));
        assertEquals(before + 1, countClientSocketDirs(tmp));
        own.close();
        assertFalse(stream.isOpen());
        assertFalse(datagram.isOpen());
        assertEquals(before, countClientSocketDirs(tmp));
        assertThrows(ConnectionClosedException.class, () -> stream.send("after close"));
        assertThrows(IllegalStateException.class, () -> own.connect(endpoint(TCP_ACK_LINE)));
    }

    private static long countClientSocketDirs(Path tmp) throws IOException {
        try (Stream<Path> entries = Files.list(tmp)) {
            return entries.filter(p -> p.getFileName().toString().startsWith("echoack-")).count();
        }
    }

    @Test
    void aMessageTheFramingCannotCarryIsRejectedBeforeSending() {
        try (Connection connection = client.connect(endpoint(TCP_ACK_LINE))) {
            assertThrows(IllegalArgumentException.class, () -> connection.send("two\nlines"));
            assertEquals(AckTexts.STREAM, connection.send("one line"));
        }
    }

    /**
     * A server that accepts and never reads: the kernel's buffers fill, then the client's own. A caller sending
     * in a loop is held at the channel's high water mark instead of growing the client's buffer without bound,
     * until the first request's reply timeout closes the connection; the waiting request then fails with
     * {@link ConnectionClosedException} saying why (or, when its own wait for room ends first, with
     * {@link SendTimeoutException}).
     */
    @Test
    void aCallerSendingToAServerThatDoesNotReadIsHeldAtTheHighWaterMark() throws Exception {
        int size = 32 * 1024;
        long maxRequests = 2048; // 64 MiB: far more than the kernel's socket buffers on loopback hold
        try (ServerSocket deaf = new ServerSocket()) {
            deaf.setReceiveBufferSize(4096);
            deaf.bind(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 1);
            CompletableFuture<Socket> accepted = CompletableFuture.supplyAsync(() -> {
                try {
                    return deaf.accept(); // and never read
                } catch (IOException e) {
                    throw new CompletionException(e);
                }
            });
            String address = "127.0.0.1:" + deaf.getLocalPort();
            try (EchoAckClient patient = EchoAckClient.builder().timeout(Duration.ofSeconds(3)).ioThreads(1).build();
                 Connection connection = patient.connect(Endpoint.parse("tcp://" + address))) {
                io.netty.channel.Channel channel = ((ChannelConnection) connection).channel();
                long bound = channel.config().getWriteBufferHighWaterMark() + size + 1024;
                byte[] message = "x".repeat(size).getBytes(UTF_8);
                long mostPending = 0;
                boolean sawFull = false;
                CompletableFuture<byte[]> last = null;
                long sent = 0;
                while (sent < maxRequests) {
                    sawFull |= channel.isActive() && !channel.isWritable();
                    last = connection.request(message);
                    sent++;
                    io.netty.channel.ChannelOutboundBuffer buffer = channel.unsafe().outboundBuffer();
                    if (buffer != null) { // null once closed
                        mostPending = Math.max(mostPending, buffer.totalPendingWriteBytes());
                    }
                    if (last.isCompletedExceptionally()) {
                        break;
                    }
                }
                assertTrue(sawFull, "the client's buffer never filled up in " + sent + " requests");
                assertTrue(mostPending <= bound, "pending outbound bytes reached " + mostPending
                        + ", more than the high water mark and one message (" + bound + ")");
                CompletionException failed = assertThrows(CompletionException.class, last::join,
                        "after " + sent + " requests");
                // Both clocks start within milliseconds of each other: the first request's reply timeout
                // (which closes the connection) and the held caller's own wait for room. Which one ends first
                // is up to the scheduler on a busy machine; either way the caller is told, and why.
                if (failed.getCause() instanceof SendTimeoutException timedOut) {
                    assertTrue(timedOut.getMessage().contains("tcp://" + address), timedOut.getMessage());
                } else {
                    ConnectionClosedException closed = assertInstanceOf(ConnectionClosedException.class,
                            failed.getCause());
                    assertEquals("connection to tcp://" + address + " is closed: connection to tcp://" + address
                            + " closed after a reply timed out: later replies could no longer be matched to their "
                            + "requests", closed.getMessage());
                }
            } finally {
                accepted.get(10, TimeUnit.SECONDS).close();
            }
        }
    }
}
