package io.echoack.server.interop;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.echoack.server.testing.ChildProcess;
import java.time.Duration;
import java.util.List;

/** How the interop tests drive a command-line client (nc, socat, a tutorial client) against the server. */
final class ClientTool {

    private ClientTool() {
    }

    /** Runs {@code command} to its end with {@code input} on stdin; it must exit 0 and print nothing on stderr. */
    static ChildProcess.Result runCleanly(List<String> command, byte[] input, Duration timeout) throws Exception {
        ChildProcess.Result result = ChildProcess.run(command, input, timeout);
        assertEquals(0, result.exitCode(), result::toString);
        assertEquals("", result.stderr(), result::toString);
        return result;
    }

    /**
     * A datagram conversation: writes each request as one write to the client's stdin (which nc and socat send
     * as one datagram) and waits for its reply of {@code replyLength} bytes before writing the next, so that
     * neither pipe timing nor reordering can merge or lose messages; then closes stdin. The client must exit 0
     * (nc and socat do after their idle time).
     */
    static ChildProcess.Result converse(List<String> command, List<byte[]> requests, int replyLength,
                                        Duration timeout) throws Exception {
        try (ChildProcess client = ChildProcess.start(command)) {
            int expected = 0;
            for (byte[] request : requests) {
                expected += replyLength;
                client.write(request, false);
                int awaited = expected;
                assertTrue(client.awaitStdoutBytes(awaited, timeout),
                        () -> "no complete reply (" + awaited + " bytes expected) to " + Bytes.show(request) + "\n"
                                + client);
            }
            client.closeStdin();
            ChildProcess.Result result = client.awaitExit(timeout);
            assertEquals(0, result.exitCode(), result::toString);
            return result;
        }
    }
}
