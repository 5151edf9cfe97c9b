package io.echoack.server.service;

import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.net.Socket;
import java.net.SocketException;
import java.util.Locale;
import java.util.concurrent.Callable;

/**
 * How a client sees a stream connection that a gate (a connection limit, {@code --allow}) refused: the server resets
 * it (SO_LINGER 0), and the RST fails either the connect itself or the first read. A plain close would read as end
 * of stream instead, with no exception.
 */
final class Refusals {

    private Refusals() {
    }

    /** Connects with {@code connect}, reads, and asserts that the server reset the connection. */
    static void assertReset(Callable<Socket> connect, String what) {
        SocketException e = assertThrows(SocketException.class, () -> {
            try (Socket s = connect.call()) {
                s.getInputStream().read();
            }
        }, what);
        String said = String.valueOf(e.getMessage()).toLowerCase(Locale.ROOT);
        assertTrue(said.contains("reset") || said.contains("broken pipe"), e::getMessage);
    }
}
