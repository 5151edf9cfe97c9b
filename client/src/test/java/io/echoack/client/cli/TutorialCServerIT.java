package io.echoack.client.cli;

import static java.nio.charset.StandardCharsets.UTF_8;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import io.echoack.client.testing.CliRun;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * The echoack client against the kind of server it grew out of: the BSD sockets tutorial's TCP server,
 * written in C (src/test/c/tutorial_server.c) and compiled with gcc for the test. Skipped without gcc.
 */
@Timeout(60)
class TutorialCServerIT {

    @TempDir
    static Path buildDir;

    private static Path serverBinary;

    @BeforeAll
    static void compile() throws Exception {
        assumeTrue(gccWorks(), "gcc is not installed");
        Path source = Path.of(System.getProperty("basedir", "."), "src", "test", "c", "tutorial_server.c");
        serverBinary = buildDir.resolve("tutorial_server");
        Process gcc = new ProcessBuilder("gcc", "-Wall", "-o", serverBinary.toString(), source.toString())
                .redirectErrorStream(true).start();
        String output = new String(gcc.getInputStream().readAllBytes(), UTF_8);
        assertTrue(gcc.waitFor(30, TimeUnit.SECONDS), "gcc did not finish");
        assertEquals(0, gcc.exitValue(), "gcc failed: " + output);
    }

    private static boolean gccWorks() {
        try {
            Process probe = new ProcessBuilder("gcc", "--version").redirectErrorStream(true).start();
            probe.getInputStream().readAllBytes();
            return probe.waitFor(10, TimeUnit.SECONDS) && probe.exitValue() == 0;
        } catch (IOException | InterruptedException e) {
            return false;
        }
    }

    /** A running C server: its port, and everything it printed once it exited. */
    private record CServer(Process process, BufferedReader stdout, int port) {

        static CServer start() throws IOException {
            Process process = new ProcessBuilder(serverBinary.toString(), "0")
                    .redirectError(ProcessBuilder.Redirect.INHERIT).start();
            BufferedReader stdout = new BufferedReader(new InputStreamReader(process.getInputStream(), UTF_8));
            String first = stdout.readLine();
            assertTrue(first != null && first.startsWith("port: "), "the C server announces its port: " + first);
            return new CServer(process, stdout, Integer.parseInt(first.substring("port: ".length())));
        }

        List<String> printedAfterExit() throws Exception {
            assertTrue(process.waitFor(20, TimeUnit.SECONDS), "the C server exits after one message");
            List<String> lines = stdout.lines().collect(Collectors.toList());
            assertEquals(0, process.exitValue());
            return lines;
        }

        void kill() {
            process.destroyForcibly();
        }
    }

    @Test
    void sendWithRawFramingGetsTheTutorialsAck() throws Exception {
        CServer server = CServer.start();
        try {
            CliRun run = CliRun.run("", "send", "127.0.0.1", String.valueOf(server.port()), "hello",
                    "--framing", "raw");
            assertEquals("", run.err());
            assertEquals(ExitCodes.OK, run.exitCode());
            assertEquals("I got your message" + System.lineSeparator(), run.out());
            assertEquals("Here is the message: hello", server.printedAfterExit().get(0));
        } finally {
            server.kill();
        }
    }

    @Test
    void sendWithDefaultLineFramingTakesTheAckEndedByTheClose() throws Exception {
        CServer server = CServer.start();
        try {
            CliRun run = CliRun.run("", "send", "127.0.0.1", String.valueOf(server.port()), "hello");
            assertEquals(ExitCodes.OK, run.exitCode(), run.err());
            assertEquals("I got your message" + System.lineSeparator(), run.out());
            assertEquals("Here is the message: hello", server.printedAfterExit().get(0));
        } finally {
            server.kill();
        }
    }

    @Test
    void theTutorialPromptOnATerminal() throws Exception {
        CServer server = CServer.start();
        try {
            CliRun run = CliRun.run("typed line\n", true, "send", "127.0.0.1", String.valueOf(server.port()),
                    "--framing", "raw");
            assertEquals(ExitCodes.OK, run.exitCode(), run.err());
            assertEquals("Please enter the message: I got your message" + System.lineSeparator(), run.out());
            assertEquals("Here is the message: typed line", server.printedAfterExit().get(0));
        } finally {
            server.kill();
        }
    }

    @Test
    void checkExpectAckAgainstTheTutorialServer() throws Exception {
        CServer server = CServer.start();
        try {
            CliRun run = CliRun.run("", "check", "tcp://127.0.0.1:" + server.port(), "--expect", "ack",
                    "--framing", "raw");
            assertEquals(ExitCodes.OK, run.exitCode(), run.err());
            assertTrue(server.printedAfterExit().get(0).startsWith("Here is the message: echoack-check "));
        } finally {
            server.kill();
        }
    }
}
