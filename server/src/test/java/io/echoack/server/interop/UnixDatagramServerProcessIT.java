package io.echoack.server.interop;

import static io.echoack.server.interop.Bytes.ascii;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;

import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;
import io.echoack.server.testing.ChildProcess;
import io.echoack.server.testing.ServerProcess;
import io.echoack.server.testing.Tools;

/**
 * The real server process with Unix datagram endpoints, driven by socat: it answers, logs nothing alarming,
 * and on SIGTERM exits 0 and removes its datagram socket files (Netty's datagram channel leaves them behind,
 * so the server must).
 */
@Timeout(90)
class UnixDatagramServerProcessIT {

    private static final Duration TIMEOUT = Duration.ofSeconds(20);

    @TempDir
    Path dir;

    @Test
    void answersInBothModesThenSigtermRemovesTheSocketFiles() throws Exception {
        String socat = Tools.require("socat", "socat");
        Path ack = Tools.socketPath(dir, "ga.sock");
        Path echo = Tools.socketPath(dir, "ge.sock");
        try (ChildProcess server = ServerProcess.start(
                List.of("-l", "unixgram://" + ack, "-l", "unixgram://" + echo + "?mode=echo"), 2, false)) {
            assertArrayEquals(ascii("Got your message"), exchange(socat, ack, "ca.sock", ascii("hello\n"), 16));
            assertArrayEquals(Bytes.binary(), exchange(socat, echo, "ce.sock", Bytes.binary(), Bytes.binary().length));

            server.terminate();
            ChildProcess.Result stopped = server.awaitExit(Duration.ofSeconds(10));
            assertEquals(0, stopped.exitCode(), stopped::toString);
            assertFalse(Files.exists(ack, LinkOption.NOFOLLOW_LINKS), ack + " is removed on shutdown");
            assertFalse(Files.exists(echo, LinkOption.NOFOLLOW_LINKS), echo + " is removed on shutdown");
        }
    }

    @Test
    void startsAndStopsWithoutWarnings() throws Exception {
        Path socket = Tools.socketPath(dir, "g.sock");
        try (ChildProcess server = ServerProcess.start(List.of("-l", "unixgram://" + socket), 1, false)) {
            server.terminate();
            ChildProcess.Result stopped = server.awaitExit(Duration.ofSeconds(10));
            assertEquals(0, stopped.exitCode(), stopped::toString);
            assertEquals(List.of(), ServerProcess.problems(stopped.stderr()), stopped::toString);
        }
    }

    /** One datagram to {@code server} from socat bound at {@code clientSocket}; returns the reply. */
    private byte[] exchange(String socat, Path server, String clientSocket, byte[] request, int replyLength)
            throws Exception {
        List<String> command = List.of(socat, "-", "UNIX-SENDTO:" + server + ",bind="
                + Tools.socketPath(dir, clientSocket));
        return ClientTool.converse(command, List.of(request), replyLength, TIMEOUT).stdout();
    }
}
