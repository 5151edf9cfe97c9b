package io.echoack.client.net;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import io.echoack.client.testing.TestServer;
import io.echoack.common.endpoint.Endpoint;
import io.echoack.common.fault.Faults;
import io.echoack.common.transport.Transport;
import io.echoack.server.config.ServerConfig;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * The two ways a server ends a stream connection, a clean close (FIN) and a reset (RST), told apart by the client
 * library on every transport it runs on, over real sockets: a server's {@code close} and {@code reset} faults.
 */
@Timeout(60)
class ServerEndIT {

    @TempDir
    static Path socketDir;

    private static TestServer server;

    @BeforeAll
    static void start() throws Exception {
        server = TestServer.start(ServerConfig.defaults().withTransport(Transport.select(Transport.AUTO).transport()),
                List.of("tcp://127.0.0.1:0?mode=echo&close=100%",
                        "tcp://127.0.0.1:0?mode=echo&reset=100%",
                        "unix://" + socketDir.resolve("close.sock") + "?mode=echo&close=100%",
                        "unix://" + socketDir.resolve("reset.sock") + "?mode=echo&reset=100%"));
    }

    @AfterAll
    static void stop() {
        if (server != null) {
            server.close();
        }
    }

    /** What sending one message to listener {@code index} with the client on {@code transport} fails with. */
    private static ConnectionClosedException failure(Transport transport, int index) {
        assumeTrue(transport.isAvailable(), transport + " is not available here");
        Endpoint endpoint = server.endpoint(index).withFaults(Faults.NONE);
        assumeTrue(!endpoint.kind().isUnixDomain() || transport.supports(endpoint.kind()),
                transport + " has no Unix sockets");
        try (EchoAckClient client = EchoAckClient.builder().transport(transport).timeout(Duration.ofSeconds(10))
                .ioThreads(1).build();
             Connection connection = client.connect(endpoint)) {
            return assertThrows(ConnectionClosedException.class, () -> connection.send("hello"));
        }
    }

    @ParameterizedTest
    @EnumSource(value = Transport.class, names = {"NIO", "EPOLL", "IO_URING", "KQUEUE"})
    void aTcpCloseIsAFinAndATcpResetAnRst(Transport transport) {
        ConnectionClosedException closed = failure(transport, 0);
        assertTrue(closed.isClosedByServer(), closed.getMessage());
        assertFalse(closed.isReset(), closed.getMessage());
        ConnectionClosedException reset = failure(transport, 1);
        assertTrue(reset.isReset(), reset.getMessage());
        assertFalse(reset.isClosedByServer(), reset.getMessage());
        assertEquals(FailureKind.RESET, closed.kind(), "one exit code for both");
        assertEquals(FailureKind.RESET, reset.kind(), "one exit code for both");
    }

    /** A Unix socket has no RST: the server's reset fault is a plain close there, and the client sees end of stream. */
    @ParameterizedTest
    @EnumSource(value = Transport.class, names = {"NIO", "EPOLL", "IO_URING", "KQUEUE"})
    void onAUnixSocketBothAreACleanClose(Transport transport) {
        ConnectionClosedException closed = failure(transport, 2);
        assertTrue(closed.isClosedByServer(), closed.getMessage());
        assertFalse(closed.isReset(), closed.getMessage());
        ConnectionClosedException reset = failure(transport, 3);
        assertTrue(reset.isClosedByServer(), reset.getMessage());
        assertFalse(reset.isReset(), reset.getMessage());
    }
}
