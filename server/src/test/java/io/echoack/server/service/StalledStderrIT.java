package io.echoack.server.service;

import static java.nio.charset.StandardCharsets.US_ASCII;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.echoack.server.testing.ChildProcess;
import io.echoack.server.testing.ServerProcess;
import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * A server whose stderr nobody reads (a stalled log collector, a paused terminal) keeps answering: its log
 * lines are dropped and counted instead of stalling the event loop on a full pipe. Once stderr is read again,
 * the count shows up as a WARN line, and the shutdown lines come out whole.
 */
@Timeout(value = 120, unit = TimeUnit.SECONDS)
class StalledStderrIT {

    private static final Pattern PORT = Pattern.compile("listening on tcp://127\\.0\\.0\\.1:(\\d+)");
    /**
     * Each round logs one DEBUG line of about 150 bytes: in total, several times what a 64 KiB pipe and the
     * server's queue of 4,096 lines hold.
     */
    private static final int ROUNDS = 20_000;
    /** Wide: one reply on an idle loopback takes microseconds; a stalled event loop never answers. */
    private static final int REPLY_TIMEOUT_MILLIS = 15_000;
    private static final Duration WHOLE_RUN = Duration.ofSeconds(60);

    @Test
    void aServerWhoseStderrIsNotReadKeepsAnswering() throws Exception {
        try (ChildProcess server = ServerProcess.start(List.of("--mode", "echo", "--framing", "line",
                "--max-frame", "16", "--threads", "1", "--log-level", "debug", "-l", "tcp://127.0.0.1:0"), 1, false)) {
            Matcher port = PORT.matcher(server.stderrText());
            assertTrue(port.find(), server::toString);
            server.pauseStderr();

            int answered = 0;
            try (Socket socket = new Socket()) {
                socket.connect(new InetSocketAddress("127.0.0.1", Integer.parseInt(port.group(1))), 10_000);
                socket.setSoTimeout(REPLY_TIMEOUT_MILLIS);
                OutputStream out = socket.getOutputStream();
                BufferedReader in = new BufferedReader(new InputStreamReader(socket.getInputStream(), US_ASCII));
                long deadline = System.nanoTime() + WHOLE_RUN.toNanos();
                for (int i = 0; i < ROUNDS && System.nanoTime() < deadline; i++) {
                    // Too long for --max-frame 16: a DEBUG line on the server and an error reply; then an echo.
                    out.write(("this line is longer than sixteen bytes " + i + "\nping " + i + "\n").getBytes(US_ASCII));
                    out.flush();
                    assertEquals("ERROR: message longer than 16 bytes", in.readLine(), "round " + i);
                    assertEquals("ping " + i, in.readLine(), "round " + i);
                    answered++;
                }
            }
            assertEquals(ROUNDS, answered, "rounds answered within " + WHOLE_RUN);

            server.resumeStderr();
            server.terminate();
            ChildProcess.Result result = server.awaitExit(Duration.ofSeconds(30));
            assertEquals(0, result.exitCode(), result::toString);
            assertTrue(Pattern.compile(" WARN  Logging - dropped \\d+ log lines: the log output did not keep up")
                    .matcher(result.stderr()).find(), result::toString);
            assertTrue(result.stderr().contains(" INFO  EchoAckServer - draining: "), result::toString);
            assertTrue(result.stderr().contains(" INFO  EchoAckServer - closed [tcp://127.0.0.1:"), result::toString);
        }
    }
}
